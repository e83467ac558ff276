package nats_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	gknats "github.com/goalkit/goalkit/adapters/nats"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
)

// TestBucketsReadFromTheLeader checks that the parts and the leases buckets
// are read through their streams' leaders. A KV bucket's stream allows
// direct gets, which any of its replicas answers, a follower that has not
// applied the latest write yet included: a part, a snapshot record or a
// lease read that way may be stale (a worker restarted on a follower's
// answer would read a snapshot record from before the last prune, and the
// batches after it, some of them purged). The user of the test may not
// send direct gets at all, so that any read that goes through them fails.
func TestBucketsReadFromTheLeader(t *testing.T) {
	url := startConfigured(t, `
accounts {
  acme: {jetstream: enabled, users: [{user: acme, password: apass,
    permissions: {publish: {deny: ["$JS.API.DIRECT.GET.>"]}}}]}
}
`)
	js := connectAs(t, url, "acme", "apass")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cfg := gknats.Config{Tenant: "acme", Partitions: 2}
	if _, err := gknats.Create(ctx, js, cfg); err != nil {
		t.Fatal(err)
	}
	tn, err := gknats.Create(ctx, js, cfg) // again: the tenant exists
	if err != nil {
		t.Fatal(err)
	}
	plan := goalkittest.CompilePlan(t, planYAML)
	events := workload(t, 200)
	if err := scaleout.Publish(ctx, tn, "b", time.Now(), events); err != nil {
		t.Fatal(err)
	}
	w := &scaleout.Worker{Plan: plan, Options: []goalkit.EvalOption{team}, Log: tn, Store: tn.Store, Parts: tn.Parts(),
		Partitions: []int{0, 1}, Drain: true}
	if err := w.Run(ctx); err != nil {
		t.Fatal(err)
	}
	scaleouttest.SameAsBatch(t, plan, tn.Source(), goalkittest.Final(events), asOf, team)
	l := tn.Leases()
	if ok, err := l.Take(ctx, 0, "a"); err != nil || !ok {
		t.Fatalf("take: %v %v", ok, err)
	}
	if ok, err := l.Take(ctx, 0, "b"); err != nil || ok {
		t.Fatalf("b took a's lease: %v %v", ok, err)
	}
	if err := l.Keep(ctx, 0, "a"); err != nil {
		t.Fatal(err)
	}
	if err := l.Give(ctx, 0, "a"); err != nil {
		t.Fatal(err)
	}
	if ok, err := l.Take(ctx, 0, "b"); err != nil || !ok {
		t.Fatalf("b could not take the lease a gave: %v %v", ok, err)
	}
}
