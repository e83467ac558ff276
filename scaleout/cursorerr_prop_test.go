package scaleout_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
	"pgregory.net/rapid"
)

// errFetch is the error an erring log's cursor gives.
var errFetch = errors.New("test: the fetch failed")

// erring is a log whose cursors, now and then, fail a read after the
// records before it (the records, then the error at the next call, as
// the Cursor contract says), and give again the last record they gave
// (a redelivery).
type erring struct {
	*scaleout.MemoryLog
	seed   uint64
	opens  atomic.Uint64
	failIn int // a call in failIn fails
}

func (l *erring) Open(ctx context.Context, p int, from uint64) (scaleout.Cursor, error) {
	c, err := l.MemoryLog.Open(ctx, p, from)
	if err != nil {
		return nil, err
	}
	return &erringCursor{Cursor: c, l: l, rng: rand.New(rand.NewPCG(l.seed, l.opens.Add(1)))}, nil
}

type erringCursor struct {
	scaleout.Cursor
	l    *erring
	rng  *rand.Rand
	last *scaleout.Record
	err  error
}

func (c *erringCursor) Next(ctx context.Context, n int) ([]scaleout.Record, error) {
	if err := c.err; err != nil {
		c.err = nil
		return nil, err
	}
	recs, err := c.Cursor.Next(ctx, n)
	if err != nil || len(recs) == 0 {
		return recs, err
	}
	if c.last != nil && c.rng.IntN(4) == 0 {
		recs = append([]scaleout.Record{*c.last}, recs...)
	}
	c.last = &recs[len(recs)-1]
	if c.rng.IntN(c.l.failIn) == 0 {
		c.err = errFetch
	}
	return recs, nil
}

// TestWorkerAcrossCursorErrorsProp drains random streams of versions
// through cursors that fail now and then after handing over records (and
// deliver records again), starting the workers again after each failure
// as a host does: the merged report equals a batch evaluation of the
// stream's final events, so that no record was skipped or applied twice
// across an error.
func TestWorkerAcrossCursorErrorsProp(t *testing.T) {
	plan, _, _ := wonPlan(t)
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		stream := goalkittest.PlanStream(plan).Draw(t, "stream")
		log := &erring{MemoryLog: scaleout.NewMemoryLog(rapid.IntRange(1, 3).Draw(t, "partitions")),
			seed: rapid.Uint64().Draw(t, "seed"), failIn: rapid.IntRange(1, 6).Draw(t, "fail in")}
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		if err := scaleout.Publish(ctx, log, "b", at, stream); err != nil {
			t.Fatal(err)
		}
		st := &scaleouttest.Stores{}
		parts := &scaleout.MemoryParts{}
		batch := rapid.IntRange(2, 6).Draw(t, "batch")
		for try := 0; ; try++ {
			w := &scaleout.Worker{Plan: plan, Log: log, Store: st.Open, Parts: parts,
				Partitions: scaleout.Assignment{I: 0, N: 1}.Owned(log.Partitions()), Batch: batch, Drain: true}
			err := w.Run(ctx)
			if err == nil {
				break
			}
			if !errors.Is(err, errFetch) {
				t.Fatal(err)
			}
			if try == 10000 {
				t.Fatalf("the workers never drained the log: %v", err)
			}
		}
		src := &scaleout.Source{Log: log.MemoryLog, Parts: parts}
		asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		want, err := plan.Evaluate(ctx, kpi.Events(goalkittest.Final(stream)), asOf)
		if err != nil {
			t.Fatal(err)
		}
		got, err := plan.Evaluate(ctx, scaleouttest.PartsOnly{Source: src}, asOf)
		if err != nil {
			t.Fatal(err)
		}
		sameReport(t, "merged", got, want)
	})
}
