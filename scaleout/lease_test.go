package scaleout_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
)

// TestLeasesMoveADeadWorkersPartitions: a worker takes every partition's
// lease and dies without giving them back; once they lapse, a second
// worker takes the partitions and carries on from the first one's stores.
func TestLeasesMoveADeadWorkersPartitions(t *testing.T) {
	ctx := context.Background()
	plan := goalkittest.CompilePlan(t, `
timezone: UTC
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
  - {id: revenue, kinds: [deal.won], aggregate: sum, value: amount}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
`)
	at := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var events []kpi.Event
	for i := range 200 {
		events = append(events, kpi.Event{ID: string(rune('a'+i%26)) + string(rune('a'+i/26)), Kind: "deal.won", Time: at,
			Actor: []string{"anna", "boris", "vera"}[i%3], Amount: decimalOf(int64(i))})
	}
	log := scaleout.NewMemoryLog(4)
	parts := &scaleout.MemoryParts{}
	st := &scaleouttest.Stores{}
	leases := &scaleout.MemoryLeases{TTL: 300 * time.Millisecond}
	worker := func(holder string, l scaleout.Leases) *scaleout.Worker {
		return &scaleout.Worker{Plan: plan, Log: log, Store: st.Open, Parts: parts, Partitions: []int{0, 1, 2, 3},
			Leases: l, Holder: holder, LeaseEvery: 50 * time.Millisecond}
	}
	actx, killA := context.WithCancel(ctx)
	aDone := make(chan error, 1)
	a, b := worker("a", scaleouttest.Crashing{Leases: leases}), worker("b", leases)
	go func() { aDone <- a.Run(actx) }()
	// a takes every lease before b starts; b waits for free ones.
	scaleouttest.WaitHeld(t, leases, a.LeaseHolder(), 4, 30*time.Second)
	bctx, stopB := context.WithCancel(ctx)
	bDone := make(chan error, 1)
	go func() { bDone <- b.Run(bctx) }()

	if err := scaleout.Publish(ctx, log, "1", time.Time{}, events[:100]); err != nil {
		t.Fatal(err)
	}
	src := &scaleout.Source{Log: log, Parts: parts}
	scaleouttest.EventuallySameAsBatch(t, plan, src, events[:100], asOf, 10*time.Second)
	killA()
	if err := <-aDone; err != nil {
		t.Fatal(err)
	}
	if err := scaleout.Publish(ctx, log, "2", time.Time{}, events[100:]); err != nil {
		t.Fatal(err)
	}
	scaleouttest.EventuallySameAsBatch(t, plan, src, events, asOf, 10*time.Second)
	scaleouttest.WaitHeld(t, leases, b.LeaseHolder(), 4, 10*time.Second)
	stopB()
	if err := <-bDone; err != nil {
		t.Fatal(err)
	}
}

// TestMemoryLeasesZeroTTL: the zero MemoryLeases lend for the default TTL
// (10 seconds, as the NATS tenant's), not for no time at all, which let
// every holder take every lease at once and lost each lease at once.
func TestMemoryLeasesZeroTTL(t *testing.T) {
	ctx := context.Background()
	var l scaleout.MemoryLeases
	if ok, err := l.Take(ctx, 0, "a"); !ok || err != nil {
		t.Fatalf("a takes a free lease: %v, %v", ok, err)
	}
	if ok, err := l.Take(ctx, 0, "b"); ok || err != nil {
		t.Fatalf("b takes a's lease: %v, %v", ok, err)
	}
	if err := l.Keep(ctx, 0, "a"); err != nil {
		t.Fatalf("a keeps its lease: %v", err)
	}
}
