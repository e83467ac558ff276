package memory_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// An import refuses an amount or a decimal attribute whose exponent is past
// ±1000 as Apply does, naming the event, and keeps nothing: it took and
// kept them, so a store loaded by import held what Apply and every other
// store refuse.
func TestImportRefusesExponentsApplyRefuses(t *testing.T) {
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		e    kpi.Event
		want string
	}{
		{kpi.Event{ID: "a", Kind: "k", Time: at, Amount: decimal.NewNullDecimal(decimal.New(1, -1001))},
			`event "a": amount exponent -1001 is outside ±1000`},
		{kpi.Event{ID: "b", Kind: "k", Time: at, Amount: decimal.NewNullDecimal(decimal.New(7, 1001))},
			`event "b": amount exponent 1001 is outside ±1000`},
		{kpi.Event{ID: "c", Kind: "k", Time: at, Attrs: map[string]any{"x": decimal.New(1, 1001)}},
			`event "c": attribute "x": exponent 1001 is outside ±1000`},
	} {
		s := memory.New(time.UTC)
		good := kpi.Event{ID: "ok", Kind: "k", Time: at}
		err := s.Import(context.Background(), func(add func(*kpi.Event) error) error {
			if err := add(&good); err != nil {
				return err
			}
			return add(&tc.e)
		})
		if err == nil || err.Error() != tc.want {
			t.Errorf("Import: %v, want %q", err, tc.want)
		}
		if n := s.Len(); n != 0 {
			t.Errorf("Import of %s kept %d events", tc.e.ID, n)
		}
		if err := s.Apply(tc.e); err == nil || err.Error() != "event 0: "+tc.want {
			t.Errorf("Apply: %v, want %q", err, "event 0: "+tc.want)
		}
	}
}
