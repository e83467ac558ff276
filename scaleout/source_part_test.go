package scaleout_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
)

// A part that cannot be read (a PartStore that lost bytes, a host's
// store that hands over nothing) fails the merged read naming its
// partition, of the three; the error said only "partial aggregates:
// invalid character…", and an operator could not tell which partition's
// worker to look at.
func TestUnreadablePartNamesItsPartition(t *testing.T) {
	ctx := context.Background()
	plan, known, ev := wonPlan(t)
	log := scaleout.NewMemoryLog(3)
	if err := scaleout.Publish(ctx, log, "b", time.Time{}, []kpi.Event{ev("1", "anna", 5, 1), ev("2", "bob", 5, 1), ev("3", "carl", 5, 1)}); err != nil {
		t.Fatal(err)
	}
	parts := &scaleout.MemoryParts{}
	w := &scaleout.Worker{Plan: plan, Log: log, Parts: parts, Partitions: []int{0, 1, 2}, Drain: true,
		Store: func(context.Context, int) (kpi.TrackStore, error) { return memory.NewTrackStore(), nil }}
	if err := w.Run(ctx); err != nil {
		t.Fatal(err)
	}
	var good []byte
	if err := parts.Range(ctx, func(p int, data []byte) error {
		if p == 1 {
			good = data
		}
		return nil
	}); err != nil || !strings.Contains(string(good), `"a":1`) {
		t.Fatalf("the part of partition 1: %s, %v", good, err)
	}
	// A part that decodes but names an actor it does not list: the merge
	// said "cell (7, 0) out of range" without the partition.
	outOfRange := []byte(strings.Replace(string(good), `"a":1`, `"a":7`, 1))
	for _, data := range [][]byte{[]byte("garbage"), nil, []byte(`{"version":`), outOfRange} {
		if err := parts.Put(ctx, 1, 1000, data); err != nil {
			t.Fatal(err)
		}
		_, err := plan.Evaluate(ctx, &scaleout.Source{Log: log, Parts: parts}, known(5))
		if err == nil || !strings.HasPrefix(err.Error(), "the part of partition 1: partial aggregates: ") {
			t.Fatalf("a part of %q: %v", data, err)
		}
	}
}
