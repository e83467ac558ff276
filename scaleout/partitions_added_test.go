package scaleout_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
)

// A log to which partitions were added after versions were published (a
// Kafka topic altered by an operator) holds an event's earlier versions in
// one partition and its later ones in another. The merged scan, Follow and
// a worker fail, naming the event and both partitions; the scan counted
// the original and its correction both (a deal of 10 corrected to 20
// made 30), and workers counted each in its own partition.
func TestVersionsOutsideTheirPartition(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	plan, _, ev := wonPlan(t)
	// An ID whose partition among 2 is not its partition among 3.
	id := 0
	for scaleout.Partition(fmt.Sprint(id), 2) == scaleout.Partition(fmt.Sprint(id), 3) {
		id++
	}
	deal := fmt.Sprint(id)
	old, now := scaleout.Partition(deal, 2), scaleout.Partition(deal, 3)
	log := scaleout.NewMemoryLog(3)
	// Published while the log had 2 partitions, then corrected with 3.
	before, err := scaleout.Records("before", time.Time{}, []kpi.Event{ev(deal, "anna", 10, 1)}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := log.Append(ctx, before); err != nil {
		t.Fatal(err)
	}
	if err := scaleout.Publish(ctx, log, "after", time.Time{}, []kpi.Event{ev(deal, "anna", 20, 2)}); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("partition %d: offset 1: event %q is in partition %d, but its ID's partition among 3 is %d", old, deal, old, now)
	check := func(what string, err error) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("%s: %v, want an error with %q", what, err, want)
		}
	}
	src := &scaleout.Source{Log: log, Parts: &scaleout.MemoryParts{}}
	check("the merged scan", src.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { return nil }))
	check("Follow", scaleout.Follow(ctx, log, func(context.Context, []kpi.Event) error { return nil }, nil))
	w := &scaleout.Worker{Plan: plan, Log: log, Store: (&scaleouttest.Stores{}).Open, Parts: &scaleout.MemoryParts{},
		Partitions: []int{0, 1, 2}, Drain: true}
	check("a worker", w.Run(ctx))
}
