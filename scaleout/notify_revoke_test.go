package scaleout_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
)

// Notify emits achievement_revoked as a live tracker's Tick does
// (docs/goals.md): once achieved was recorded in the ledger, a retraction
// that takes the achievement back is told. Each call ticks a fresh
// tracker, which knows nothing of the ledger: it never judges an
// achievement emitted before, so the revocation is never emitted.
func TestNotifyRevokesAnAchievementRetracted(t *testing.T) {
	ctx := context.Background()
	plan, src := annaCalls(t)
	ledger := &scaleout.MemoryLedger{}
	ns, err := scaleout.Notify(ctx, plan, src, ledger, time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 1 || ns[0].Kind != goal.NotifyAchieved {
		t.Fatalf("first notify: %+v", ns)
	}
	// Still achieved a day later: nothing to tell. A fresh tracker that
	// knows the ledger's keys judges the period from its start, when the
	// goal was not reached yet; that is no revocation.
	if ns, err := scaleout.Notify(ctx, plan, src, ledger, time.Date(2025, 3, 10, 13, 0, 0, 0, time.UTC)); err != nil || len(ns) != 0 {
		t.Fatalf("notify again while achieved: %+v, %v; want nothing", ns, err)
	}
	gone := kpi.Event{ID: "1", Deleted: true}
	if err := src.Import(ctx, func(add func(*kpi.Event) error) error { return add(&gone) }); err != nil {
		t.Fatal(err)
	}
	ns, err = scaleout.Notify(ctx, plan, src, ledger, time.Date(2025, 3, 11, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []goal.NotifyKind
	for _, n := range ns {
		kinds = append(kinds, n.Kind)
	}
	if len(kinds) != 1 || kinds[0] != goal.NotifyKind("achievement_revoked") {
		t.Fatalf("after the call that achieved the goal was retracted, Notify emitted %v; want achievement_revoked", kinds)
	}
}

// Notify over a goal achieved, taken back by a retraction and reached
// again by a later call tells what one live tracker that ticks at the
// same instants tells.
func TestNotifyAchievedAgainAsALiveTracker(t *testing.T) {
	ctx := context.Background()
	plan, src := annaCalls(t)
	live, err := plan.Track(ctx, memory.NewTrackStore())
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	first := kpi.Event{ID: "1", Kind: "call", Actor: "anna", Time: time.Date(2025, 3, 5, 10, 0, 0, 0, time.UTC)}
	if err := live.Apply(ctx, first); err != nil {
		t.Fatal(err)
	}
	ledger := &scaleout.MemoryLedger{}
	day := func(d int) time.Time { return time.Date(2025, 3, d, 12, 0, 0, 0, time.UTC) }
	step := func(d int, e *kpi.Event) {
		t.Helper()
		if e != nil {
			if err := src.Import(ctx, func(add func(*kpi.Event) error) error { c := e.Clone(); return add(&c) }); err != nil {
				t.Fatal(err)
			}
			if err := live.Apply(ctx, *e); err != nil {
				t.Fatal(err)
			}
		}
		want, err := live.Tick(ctx, day(d))
		if err != nil {
			t.Fatal(err)
		}
		got, err := scaleout.Notify(ctx, plan, src, ledger, day(d))
		if err != nil {
			t.Fatal(err)
		}
		var g, w []string
		for _, n := range got {
			g = append(g, fmt.Sprint(n.Kind, " ", n.Participant))
		}
		for _, n := range want {
			w = append(w, fmt.Sprint(n.Kind, " ", n.Participant))
		}
		if fmt.Sprint(g) != fmt.Sprint(w) {
			t.Fatalf("day %d: Notify told %v, the live tracker %v", d, g, w)
		}
	}
	step(10, nil)
	step(11, &kpi.Event{ID: "1", Deleted: true})
	step(12, &kpi.Event{ID: "2", Kind: "call", Actor: "anna", Time: time.Date(2025, 3, 12, 9, 0, 0, 0, time.UTC)})
	step(13, &kpi.Event{ID: "2", Deleted: true})
	step(14, &kpi.Event{ID: "3", Kind: "call", Actor: "anna", Time: time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)})
	step(15, nil)
}

// listedTwice is a ledger whose listing gives each record twice.
type listedTwice struct{ *scaleout.MemoryLedger }

func (l listedTwice) Records(ctx context.Context, fn func(key string, data []byte) error) error {
	return l.MemoryLedger.Records(ctx, func(key string, data []byte) error {
		if err := fn(key, data); err != nil {
			return err
		}
		return fn(key, data)
	})
}

// A ledger whose listing gives a key twice is read as holding it once:
// Notify goes on and tells nothing again. It failed with "ledger key
// already committed" at every call once the ledger held a record.
func TestNotifyLedgerListedTwice(t *testing.T) {
	ctx := context.Background()
	plan, src := annaCalls(t)
	ledger := listedTwice{&scaleout.MemoryLedger{}}
	at := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	if ns, err := scaleout.Notify(ctx, plan, src, ledger, at); err != nil || len(ns) != 1 {
		t.Fatalf("first notify: %+v, %v", ns, err)
	}
	if ns, err := scaleout.Notify(ctx, plan, src, ledger, at.Add(time.Hour)); err != nil || len(ns) != 0 {
		t.Fatalf("notify again: %+v, %v; want nothing", ns, err)
	}
}
