package kpi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// Table.Import into a table that holds events stages the versions and
// applies them once fn returns, so that applying cannot fail: a version of
// a kind past the table's room for kinds (65,534) is refused as it comes,
// with nothing applied (it once passed the stage and the staged apply
// panicked with the versions before it applied).
func TestImportPastTheEventKindsRefuses(t *testing.T) {
	tab := kpi.NewTable(time.UTC)
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := tab.Apply(&kpi.Event{ID: "first", Kind: "k0", Time: at, Actor: "u"}); err != nil {
		t.Fatal(err)
	}
	var err error
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("Import past the kinds panicked: %v", r)
			}
		}()
		err = tab.Import(context.Background(), func(add func(*kpi.Event) error) error {
			for i := 1; i <= 1<<16-2; i++ {
				if err := add(&kpi.Event{ID: fmt.Sprint("e", i), Kind: fmt.Sprint("k", i), Time: at, Actor: "u"}); err != nil {
					return err
				}
			}
			return nil
		})
	}()
	if err == nil || !strings.Contains(err.Error(), "too many event kinds") {
		t.Errorf("Import past the kinds: %v, want a refusal", err)
	}
	if n := tab.Len(); n != 1 {
		t.Errorf("a refused import left %d events, want the 1 before it", n)
	}
}
