package scaleout_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
)

// failsAt is a ledger whose n-th Create fails.
type failsAt struct {
	*scaleout.MemoryLedger
	n, calls int
}

func (l *failsAt) Create(ctx context.Context, key string, data []byte) (bool, error) {
	if l.calls++; l.calls == l.n {
		return false, errors.New("ledger down")
	}
	return l.MemoryLedger.Create(ctx, key, data)
}

// A ledger that fails part way: Notify returns the error with the
// notification it recorded before, which no later call emits again, and
// a later call emits the one whose record failed.
func TestNotifyReturnsWhatItRecordedWithTheError(t *testing.T) {
	ctx := context.Background()
	plan := callsGoal(t, "anna, bob")
	src := memory.New(time.UTC)
	if err := src.Import(ctx, func(add func(*kpi.Event) error) error {
		for i, who := range []string{"anna", "bob"} {
			e := kpi.Event{ID: who, Kind: "call", Actor: who, Time: time.Date(2025, 3, 5+i, 10, 0, 0, 0, time.UTC)}
			if err := add(&e); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	ledger := &failsAt{MemoryLedger: &scaleout.MemoryLedger{}, n: 2}
	first, err := scaleout.Notify(ctx, plan, src, ledger, at)
	if err == nil || err.Error() != "ledger down" || len(first) != 1 {
		t.Fatalf("Notify with a ledger that fails at its second record: %v, %v; want one notification and the error", first, err)
	}
	again, err := scaleout.Notify(ctx, plan, src, ledger, at)
	if err != nil || len(again) != 1 || again[0].Key == first[0].Key {
		t.Fatalf("the next Notify: %v, %v; want the other notification", again, err)
	}
}
