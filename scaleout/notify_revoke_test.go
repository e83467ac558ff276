package scaleout_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
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
	plan := goalkittest.CompilePlan(t, `timezone: UTC
indicators:
  - {id: calls, kinds: [call], aggregate: count}
report: {grain: month, from: 2025-03-01, to: 2025-05-01}
goals:
  - id: g
    indicator: calls
    target: 1
    period: {from: 2025-03-01, every: month}
    participants: {users: [anna]}
    notify: [{on: achieved}]
`)
	src := memory.New(time.UTC)
	ledger := &scaleout.MemoryLedger{}
	call := kpi.Event{ID: "1", Kind: "call", Actor: "anna", Time: time.Date(2025, 3, 5, 10, 0, 0, 0, time.UTC)}
	if err := src.Import(ctx, func(add func(*kpi.Event) error) error { return add(&call) }); err != nil {
		t.Fatal(err)
	}
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
