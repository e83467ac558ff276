package scaleout_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
)

// noCursor is a log whose Open returns neither a cursor nor an error.
type noCursor struct{ *scaleout.MemoryLog }

func (noCursor) Open(context.Context, int, uint64) (scaleout.Cursor, error) { return nil, nil }

// A host's Store that returns neither a store nor an error, and a host's
// Log whose Open returns neither a cursor nor an error, fail the worker,
// the merged read and Follow, naming the partition; they panicked on a nil
// interface in a partition's goroutine, which took the process down.
func TestHostNilsRefused(t *testing.T) {
	ctx := context.Background()
	plan, _, ev := wonPlan(t)
	log := scaleout.NewMemoryLog(1)
	if err := scaleout.Publish(ctx, log, "b", time.Time{}, []kpi.Event{ev("1", "anna", 5, 1)}); err != nil {
		t.Fatal(err)
	}
	check := func(what string, err error, want string) {
		t.Helper()
		if err == nil || !strings.HasPrefix(err.Error(), "partition 0: ") || !strings.Contains(err.Error(), want) {
			t.Fatalf("%s: %v, want an error naming partition 0 and saying %q", what, err, want)
		}
	}
	w := &scaleout.Worker{Plan: plan, Log: log, Parts: &scaleout.MemoryParts{}, Partitions: []int{0}, Drain: true,
		Store: func(context.Context, int) (kpi.TrackStore, error) { return nil, nil }}
	check("a nil store", w.Run(ctx), "Store returned neither a store nor an error")
	stores := &scaleouttest.Stores{}
	w = &scaleout.Worker{Plan: plan, Log: noCursor{log}, Parts: &scaleout.MemoryParts{}, Partitions: []int{0}, Drain: true, Store: stores.Open}
	check("a nil cursor", w.Run(ctx), "Open returned neither a cursor nor an error")
	src := &scaleout.Source{Log: noCursor{log}, Parts: &scaleout.MemoryParts{}}
	check("Source's scan", src.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { return nil }), "Open returned neither a cursor nor an error")
	fctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	check("Follow", scaleout.Follow(fctx, noCursor{log}, func(context.Context, []kpi.Event) error { return nil }, nil), "Open returned neither a cursor nor an error")
}

// Follow without a log or an apply, and Publish without a log, fail
// saying so; they panicked on a nil interface or function (Follow's in a
// partition's goroutine, once the first versions came).
func TestFollowAndPublishRefuseNils(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _, ev := wonPlan(t)
	log := scaleout.NewMemoryLog(2)
	if err := scaleout.Publish(ctx, log, "b", time.Time{}, []kpi.Event{ev("1", "anna", 5, 1)}); err != nil {
		t.Fatal(err)
	}
	apply := func(context.Context, []kpi.Event) error { return nil }
	for _, c := range []struct {
		name, want string
		err        error
	}{
		{"Follow without a log", "scaleout.Follow: no Log to follow", scaleout.Follow(ctx, nil, apply, nil)},
		{"Follow without apply", "scaleout.Follow: no apply to give the versions to", scaleout.Follow(ctx, log, nil, nil)},
		{"Publish without a log", "scaleout.Publish: no Log to append to", scaleout.Publish(ctx, nil, "b", time.Time{}, []kpi.Event{ev("1", "anna", 5, 1)})},
	} {
		if c.err == nil || c.err.Error() != c.want {
			t.Errorf("%s: %v, want %q", c.name, c.err, c.want)
		}
	}
}
