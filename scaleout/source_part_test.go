package scaleout_test

import (
	"context"
	"errors"
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

// endFails is a log whose End of one partition fails.
type endFails struct {
	*scaleout.MemoryLog
	p int
}

var errNoEnd = errors.New("the brokers did not answer")

func (l endFails) End(ctx context.Context, p int) (uint64, error) {
	if p == l.p {
		return 0, errNoEnd
	}
	return l.MemoryLog.End(ctx, p)
}

// partsAt says each part was made at offset 1, as a NATS tenant's parts
// say where they were made.
type partsAt struct{ *scaleout.MemoryParts }

func (p partsAt) RangeAt(ctx context.Context, fn func(p int, pos uint64, data []byte) error) error {
	return p.Range(ctx, func(i int, data []byte) error { return fn(i, 1, data) })
}

// An end the log cannot say fails the merged read naming the partition
// asked, of the three, whether it has no part or its part is checked
// against the end; the error was the log's alone ("the brokers did not
// answer"), as Scan's was not.
func TestSourceEndErrorNamesItsPartition(t *testing.T) {
	ctx := context.Background()
	log := endFails{scaleout.NewMemoryLog(3), 1}
	none := func([]byte) error { return nil }
	err := (&scaleout.Source{Log: log, Parts: &scaleout.MemoryParts{}}).Partials(ctx, none)
	if err == nil || err.Error() != "partition 1: the brokers did not answer" || !errors.Is(err, errNoEnd) {
		t.Errorf("Partials of no parts: %v", err)
	}
	parts := partsAt{&scaleout.MemoryParts{}}
	if err := parts.Put(ctx, 1, 1, []byte("{}")); err != nil {
		t.Fatal(err)
	}
	err = (&scaleout.Source{Log: log, Parts: parts}).Partials(ctx, none)
	if err == nil || err.Error() != "the part of partition 1: the brokers did not answer" || !errors.Is(err, errNoEnd) {
		t.Errorf("Partials of a part made at offset 1: %v", err)
	}
	err = (&scaleout.Source{Log: log}).Scan(ctx, kpi.Query{}, func(*kpi.Event) error { return nil })
	if err == nil || err.Error() != "partition 1: the brokers did not answer" {
		t.Errorf("Scan: %v", err)
	}
}
