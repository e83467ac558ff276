package scaleout_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
	"pgregory.net/rapid"
)

// drain runs workers with the assignments over the log until it is
// consumed; an assignment of no partition (more workers than partitions)
// runs no worker, which Run would refuse.
func drain(t interface{ Fatal(...any) }, plan *goalkit.Plan, log scaleout.Log, st *scaleouttest.Stores, parts scaleout.PartStore, asg ...scaleout.Assignment) {
	for _, a := range asg {
		owned := a.Owned(log.Partitions())
		if len(owned) == 0 {
			continue
		}
		w := &scaleout.Worker{Plan: plan, Log: log, Store: st.Open, Parts: parts, Partitions: owned, Batch: 7, Drain: true}
		if err := w.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

// sameReport fails unless two reports print the same JSON.
func sameReport(t interface{ Fatalf(string, ...any) }, what string, got, want *goalkit.Report) {
	if g, w := reportJSON(t, what, got), reportJSON(t, what, want); g != w {
		t.Fatalf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// reportJSON is a report's JSON.
func reportJSON(t interface{ Fatalf(string, ...any) }, what string, rep *goalkit.Report) string {
	var b strings.Builder
	if err := rep.WriteJSON(&b); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return b.String()
}

// wonPlan is a plan of two indicators of "won" events over March 2025, and
// ev makes its events, at a fixed time, known k hours later.
func wonPlan(t *testing.T) (plan *goalkit.Plan, known func(k int) time.Time, ev func(id, actor string, amount int64, k int) kpi.Event) {
	plan, err := goalkit.Compile(&goalkit.Definition{
		Timezone: "UTC",
		Indicators: []kpi.IndicatorDef{
			{ID: "won", Kinds: []string{"won"}, Aggregate: kpi.Count},
			{ID: "revenue", Kinds: []string{"won"}, Aggregate: kpi.Sum, Value: "amount"},
		},
		Report: goalkit.ReportDef{Grain: mustGrain(t, "month"), From: dateOf(2025, 3, 1), To: dateOf(2025, 4, 1)},
	})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	known = func(h int) time.Time { return at.Add(time.Duration(h) * time.Hour) }
	ev = func(id, actor string, amount int64, k int) kpi.Event {
		return kpi.Event{ID: id, Kind: "won", Time: at, Actor: actor, Amount: decimalOf(amount), Known: known(k)}
	}
	return plan, known, ev
}

// drawPlan draws a plan and a stream of versions for it.
func drawPlan(t *rapid.T) (*goalkit.Definition, *goalkit.Plan, []kpi.Event) {
	def := goalkittest.Plans().Draw(t, "plan")
	plan, err := goalkit.Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	return def, plan, goalkittest.PlanStream(plan).Draw(t, "stream")
}

// TestMergedEqualsBatch publishes random streams of versions (some
// published twice) to a partitioned log in two halves, consumes each half
// with workers of random assignments (so partitions move between workers
// and each worker restarts from its store), and compares the merged report
// with Plan.Evaluate over the stream's final events.
func TestMergedEqualsBatch(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		def, plan, stream := drawPlan(t)
		log := scaleout.NewMemoryLog(rapid.IntRange(1, 5).Draw(t, "partitions"))
		st := &scaleouttest.Stores{}
		parts := &scaleout.MemoryParts{}
		cut := rapid.IntRange(0, len(stream)).Draw(t, "cut")
		for h, half := range [][]kpi.Event{stream[:cut], stream[cut:]} {
			for range rapid.IntRange(1, 2).Draw(t, "publishes") {
				at := time.Date(2026, 1, 1, h, 0, 0, 0, time.UTC)
				if err := scaleout.Publish(ctx, log, fmt.Sprint("half ", h), at, half); err != nil {
					t.Fatal(err)
				}
			}
			n := rapid.IntRange(1, 3).Draw(t, "workers")
			var asg []scaleout.Assignment
			for i := range n {
				asg = append(asg, scaleout.Assignment{I: i, N: n})
			}
			drain(t, plan, log, st, parts, asg...)
		}
		asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		want, err := plan.Evaluate(ctx, kpi.Events(goalkittest.Final(stream)), asOf)
		if err != nil {
			t.Fatal(err)
		}
		src := &scaleout.Source{Log: log, Parts: parts}
		var got *goalkit.Report
		if len(def.Scorecards) == 0 {
			got, err = plan.Evaluate(ctx, scaleouttest.PartsOnly{Source: src}, asOf)
		} else {
			got, err = plan.Evaluate(ctx, src, asOf)
		}
		if err != nil {
			t.Fatal(err)
		}
		sameReport(t, "merged", got, want)
	})
}

// TestVersionsByKnown delivers corrections and retractions before the
// versions they replace: versions that carry Known are ordered by it.
func TestVersionsByKnown(t *testing.T) {
	ctx := context.Background()
	plan, known, ev := wonPlan(t)
	// Delivered in this order; the newest Known of each ID wins.
	delivered := []kpi.Event{
		ev("1", "bob", 200, 2), // the correction (moves the deal to bob) first
		ev("1", "anna", 100, 1),
		{ID: "2", Deleted: true, Known: known(5)}, // the retraction first
		ev("2", "anna", 300, 4),
		ev("3", "anna", 50, 1),
		ev("3", "anna", 50, 1), // a duplicate
	}
	final := []kpi.Event{ev("1", "bob", 200, 2), ev("3", "anna", 50, 1)}
	log := scaleout.NewMemoryLog(2)
	if err := scaleout.Publish(ctx, log, "delivered", time.Time{}, delivered); err != nil {
		t.Fatal(err)
	}
	parts := &scaleout.MemoryParts{}
	drain(t, plan, log, &scaleouttest.Stores{}, parts, scaleout.Assignment{I: 0, N: 1})
	want, err := plan.Evaluate(ctx, kpi.Events(final), known(10))
	if err != nil {
		t.Fatal(err)
	}
	src := &scaleout.Source{Log: log, Parts: parts}
	got, err := plan.Evaluate(ctx, scaleouttest.PartsOnly{Source: src}, known(10))
	if err != nil {
		t.Fatal(err)
	}
	sameReport(t, "merged", got, want)
	if v, _ := got.Values.Value("revenue", "bob", plan.Periods()[0]); v.Decimal.String() != "200" {
		t.Fatalf("bob's revenue = %s, want 200", v.Decimal)
	}
	// The scan keeps the same versions.
	var ids []string
	if err := src.Scan(ctx, kpi.Query{}, func(e *kpi.Event) error {
		ids = append(ids, fmt.Sprintf("%s:%s:%s", e.ID, e.Actor, e.Amount.Decimal))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sort.Strings(ids)
	if fmt.Sprint(ids) != "[1:bob:200 3:anna:50]" {
		t.Fatalf("scanned %v", ids)
	}
}

// A partition that no worker has read makes the merged read fail, naming
// it, rather than leave its events out.
func TestPartitionWithoutPart(t *testing.T) {
	ctx := context.Background()
	plan, err := goalkit.Compile(&goalkit.Definition{
		Timezone:   "UTC",
		Indicators: []kpi.IndicatorDef{{ID: "won", Kinds: []string{"won"}, Aggregate: kpi.Count}},
		Report:     goalkit.ReportDef{Grain: mustGrain(t, "month"), From: dateOf(2025, 3, 1), To: dateOf(2025, 4, 1)},
	})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	var events []kpi.Event
	for i := range 20 {
		events = append(events, kpi.Event{ID: fmt.Sprint(i), Kind: "won", Time: at, Actor: "anna"})
	}
	log := scaleout.NewMemoryLog(2)
	if err := scaleout.Publish(ctx, log, "b", time.Time{}, events); err != nil {
		t.Fatal(err)
	}
	parts := &scaleout.MemoryParts{}
	w := &scaleout.Worker{Plan: plan, Log: log, Store: (&scaleouttest.Stores{}).Open, Parts: parts, Partitions: []int{0}, Drain: true}
	if err := w.Run(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = plan.Evaluate(ctx, scaleouttest.PartsOnly{Source: &scaleout.Source{Log: log, Parts: parts}}, at.AddDate(0, 1, 0))
	if err == nil || err.Error() != "partition 1 has records but no part: no worker has read it yet" {
		t.Fatalf("err = %v", err)
	}
}

// Parts that hold a part of a partition the log does not have are another
// log's (one PartStore shared by two tenants): the merged read fails,
// naming it, rather than count that log's events in. They were merged.
func TestPartOfAnotherLog(t *testing.T) {
	ctx := context.Background()
	plan, known, ev := wonPlan(t)
	parts := &scaleout.MemoryParts{}
	drain := func(log scaleout.Log, events ...kpi.Event) {
		t.Helper()
		if err := scaleout.Publish(ctx, log, "b", time.Time{}, events); err != nil {
			t.Fatal(err)
		}
		w := &scaleout.Worker{Plan: plan, Log: log, Store: (&scaleouttest.Stores{}).Open, Parts: parts,
			Partitions: scaleout.Assignment{I: 0, N: 1}.Owned(log.Partitions()), Drain: true}
		if err := w.Run(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// An event of partition 2 of the wider log, which the other lacks.
	wide, narrow := scaleout.NewMemoryLog(3), scaleout.NewMemoryLog(2)
	var ids []string
	for i := range 40 {
		if id := fmt.Sprint("w", i); scaleout.Partition(id, 3) == 2 {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		t.Fatal("no ID of partition 2")
	}
	drain(wide, ev(ids[0], "anna", 100, 1))
	drain(narrow, ev("n", "anna", 1, 1))
	_, err := plan.Evaluate(ctx, scaleouttest.PartsOnly{Source: &scaleout.Source{Log: narrow, Parts: parts}}, known(10))
	if err == nil || err.Error() != "a part of partition 2, which the log does not have (2 partitions): the parts are another log's" {
		t.Fatalf("err = %v", err)
	}
}

// twice is a PartStore that hands each part over twice.
type twice struct{ scaleout.PartStore }

func (p twice) Range(ctx context.Context, fn func(int, []byte) error) error {
	return p.PartStore.Range(ctx, func(i int, data []byte) error {
		if err := fn(i, data); err != nil {
			return err
		}
		return fn(i, data)
	})
}

// A PartStore that hands a partition's part over twice makes the merged
// read fail, naming the partition, rather than count its events twice (it
// did: anna's one deal was two).
func TestTwoPartsOfAPartition(t *testing.T) {
	ctx := context.Background()
	plan, known, ev := wonPlan(t)
	log, parts := scaleout.NewMemoryLog(1), &scaleout.MemoryParts{}
	if err := scaleout.Publish(ctx, log, "b", time.Time{}, []kpi.Event{ev("1", "anna", 5, 1)}); err != nil {
		t.Fatal(err)
	}
	w := &scaleout.Worker{Plan: plan, Log: log, Store: (&scaleouttest.Stores{}).Open, Parts: parts, Partitions: []int{0}, Drain: true}
	if err := w.Run(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := plan.Evaluate(ctx, scaleouttest.PartsOnly{Source: &scaleout.Source{Log: log, Parts: twice{parts}}}, known(10))
	if err == nil || err.Error() != "two parts of partition 0: a PartStore keeps one a partition" {
		t.Fatalf("err = %v", err)
	}
}

// A Source without a Log or Parts fails the read, saying which; it
// panicked on a nil pointer.
func TestSourceWithoutLogOrParts(t *testing.T) {
	ctx := context.Background()
	plan, known, _ := wonPlan(t)
	for want, src := range map[string]*scaleout.Source{
		"scaleout.Source: no Log to read":    {Parts: &scaleout.MemoryParts{}},
		"scaleout.Source: no Parts to merge": {Log: scaleout.NewMemoryLog(1)},
	} {
		if _, err := plan.Evaluate(ctx, src, known(10)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want %q", err, want)
		}
	}
	if err := (&scaleout.Source{}).Scan(ctx, kpi.Query{}, func(*kpi.Event) error { return nil }); err == nil || err.Error() != "scaleout.Source: no Log to read" {
		t.Errorf("scan: %v", err)
	}
}

// TestOutOfOrderCopiesEqualNewestByKnown gives each version of a random
// stream its own Known (later in the stream, later known), delivers them
// in any order, some twice, in chunks, to a log that keeps copies, and
// drains each chunk with workers running at once (snapshotting or not):
// the merged report equals a batch evaluation of the newest version of
// each ID, computed here from the Known instants alone.
func TestOutOfOrderCopiesEqualNewestByKnown(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		def, plan, stream := drawPlan(t)
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range stream {
			stream[i].Known = base.Add(time.Duration(i) * time.Second)
		}
		delivered := rapid.Permutation(stream).Draw(t, "delivered")
		for _, i := range rapid.SliceOfDistinct(rapid.IntRange(0, max(len(stream)-1, 0)), rapid.ID).Draw(t, "copies") {
			if i < len(stream) {
				delivered = append(delivered, stream[i])
			}
		}
		// The newest version of each ID by Known, in the order of the IDs'
		// first versions, without those retracted.
		newest := map[string]kpi.Event{}
		var ids []string
		for _, e := range stream {
			if _, ok := newest[e.ID]; !ok {
				ids = append(ids, e.ID)
			}
			if old, ok := newest[e.ID]; !ok || e.Known.After(old.Known) {
				newest[e.ID] = e
			}
		}
		var final []kpi.Event
		for _, id := range ids {
			if e := newest[id]; !e.Deleted {
				final = append(final, e)
			}
		}
		log := &keepsCopies{MemoryLog: scaleout.NewMemoryLog(rapid.IntRange(1, 4).Draw(t, "partitions"))}
		st, parts := &scaleouttest.PruningStores{}, &scaleout.MemoryParts{}
		for c, rest := 0, delivered; len(rest) > 0; c++ {
			k := rapid.IntRange(1, len(rest)).Draw(t, "chunk")
			if err := scaleout.Publish(ctx, log, fmt.Sprint("chunk ", c), time.Time{}, rest[:k]); err != nil {
				t.Fatal(err)
			}
			rest = rest[k:]
			n := rapid.IntRange(1, 3).Draw(t, "workers")
			snap := rapid.Bool().Draw(t, "snapshots")
			errs := make([]error, n)
			var wg sync.WaitGroup
			for a := range n {
				owned := scaleout.Assignment{I: a, N: n}.Owned(log.Partitions())
				if len(owned) == 0 {
					continue // more workers than partitions: Run refuses one of none
				}
				w := &scaleout.Worker{Plan: plan, Log: log, Store: st.Open, Parts: parts, Partitions: owned, Batch: 5, Drain: true}
				if snap {
					w.SnapshotEvery = time.Nanosecond
				}
				wg.Go(func() { errs[a] = w.Run(ctx) })
			}
			wg.Wait()
			if err := errors.Join(errs...); err != nil {
				t.Fatal(err)
			}
		}
		asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		want, err := plan.Evaluate(ctx, kpi.Events(final), asOf)
		if err != nil {
			t.Fatal(err)
		}
		var src kpi.Source = scaleouttest.PartsOnly{Source: &scaleout.Source{Log: log, Parts: parts}}
		if len(def.Scorecards) > 0 {
			src = &scaleout.Source{Log: log, Parts: parts}
		}
		var got *goalkit.Report
		if got, err = plan.Evaluate(ctx, src, asOf); err != nil {
			t.Fatal(err)
		}
		sameReport(t, "merged", got, want)
	})
}
