package memory_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// ImportColumns into an empty store checks ctx every few thousand
// versions, as Import does, however often fn calls columns: a function
// that called columns anew for every few versions (its names changing)
// was never stopped by a cancelled ctx, each call counting from zero, and
// the import kept every version.
func TestImportColumnsCancelledAcrossCallsOfColumns(t *testing.T) {
	for _, every := range []int{1, 3, 1000} {
		ctx, cancel := context.WithCancel(context.Background())
		s := memory.New(time.UTC)
		const versions = 20_000
		added := 0
		err := s.ImportColumns(ctx, func(columns func(int, []string) func(*kpi.Event, []any) error) error {
			var add func(*kpi.Event, []any) error
			for i := range versions {
				if i == 10 {
					cancel()
				}
				if i%every == 0 {
					add = columns(every, []string{fmt.Sprint("n", i/every%5)})
				}
				e := &kpi.Event{ID: fmt.Sprint("e", i), Kind: "call", Time: time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC), Actor: "ann"}
				if err := add(e, []any{"x"}); err != nil {
					return err
				}
				added++
			}
			return nil
		})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("columns every %d versions: %v after %d versions, want context.Canceled", every, err, added)
		}
		// ctx is checked every 4096 versions at the most.
		if added >= 10+4096 {
			t.Errorf("columns every %d versions: %d versions added after the cancel, want fewer than 4096", every, added-10)
		}
		if s.Len() != 0 {
			t.Errorf("columns every %d versions: a cancelled import kept %d events", every, s.Len())
		}
	}
}
