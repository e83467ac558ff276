package scaleout_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
	"pgregory.net/rapid"
)

// markedLog is a log whose partitions hold records and markers: offsets of
// no record of the log, as a Kafka transaction's commit or abort marker,
// which its cursors (scaleout.SkippingCursor) read past without returning.
type markedLog struct {
	mu    sync.Mutex
	parts [][]scaleout.Record // each partition's records, with their offsets
	ends  []uint64            // each partition's last offset, a record's or a marker's
}

func newMarkedLog(n int) *markedLog {
	return &markedLog{parts: make([][]scaleout.Record, n), ends: make([]uint64, n)}
}

func (l *markedLog) Partitions() int { return len(l.parts) }

func (l *markedLog) Append(_ context.Context, recs []scaleout.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range recs {
		l.ends[r.Partition]++
		r.Offset = l.ends[r.Partition]
		l.parts[r.Partition] = append(l.parts[r.Partition], r)
	}
	return nil
}

// mark appends a marker to partition p.
func (l *markedLog) mark(p int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ends[p]++
}

func (l *markedLog) End(_ context.Context, p int) (uint64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ends[p], nil
}

func (l *markedLog) Open(_ context.Context, p int, from uint64) (scaleout.Cursor, error) {
	return &markedCursor{l: l, p: p, passed: max(from, 1) - 1}, nil
}

type markedCursor struct {
	l      *markedLog
	p      int
	passed uint64
}

// Next returns up to n records after those passed, at most two at a time,
// and passes the markers up to the next record, or up to the end.
func (c *markedCursor) Next(ctx context.Context, n int) ([]scaleout.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.l.mu.Lock()
	var out []scaleout.Record
	passed := c.l.ends[c.p]
	for _, r := range c.l.parts[c.p] {
		if r.Offset <= c.passed {
			continue
		}
		if len(out) == min(n, 2) {
			passed = r.Offset - 1
			break
		}
		out = append(out, r)
	}
	c.passed = max(c.passed, passed)
	c.l.mu.Unlock()
	if len(out) == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	return out, nil
}

func (c *markedCursor) Passed() uint64                    { return c.passed }
func (c *markedCursor) Ack(context.Context, uint64) error { return nil }
func (c *markedCursor) Close() error                      { return nil }

// markedEvents publishes three events to a markedLog of three partitions
// and appends a marker to each partition: every partition's last offset
// is a marker's, and partition 0, which holds none of these IDs, holds a
// marker alone.
func markedEvents(t *testing.T, ev func(id, actor string, amount int64, k int) kpi.Event) (*markedLog, []kpi.Event) {
	t.Helper()
	log := newMarkedLog(3)
	events := []kpi.Event{ev("1", "anna", 100, 1), ev("2", "bob", 200, 1), ev("3", "anna", 50, 1)}
	if err := scaleout.Publish(context.Background(), log, "marked", time.Time{}, events); err != nil {
		t.Fatal(err)
	}
	for p := range log.Partitions() {
		log.mark(p)
	}
	return log, events
}

// A read up to a partition's end whose last offset is a marker ends once
// the cursor has read past it: ReadTo waited for a record at the end, which
// no record reaches, until its context's deadline; so did a draining
// worker (for ever, without a deadline) and Follow's catch-up.
func TestReadToPastAMarker(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	log := newMarkedLog(1)
	if err := log.Append(ctx, []scaleout.Record{{Data: []byte("a")}, {Data: []byte("b")}}); err != nil {
		t.Fatal(err)
	}
	log.mark(0) // 3
	if err := log.Append(ctx, []scaleout.Record{{Data: []byte("c")}}); err != nil {
		t.Fatal(err)
	}
	log.mark(0) // 5
	log.mark(0) // 6
	for from := uint64(1); from <= 7; from++ {
		cur, _ := log.Open(ctx, 0, from)
		var read []scaleout.Record
		err := scaleout.ReadTo(ctx, cur, 6, func(r scaleout.Record) error {
			read = append(read, r)
			return nil
		})
		want := map[uint64]string{1: "a@1 b@2 c@4", 2: "b@2 c@4", 3: "c@4", 4: "c@4"}[from]
		if err != nil || scaleouttest.Shown(read) != want {
			t.Fatalf("from %d: read %q, %v; want %q, nil", from, scaleouttest.Shown(read), err, want)
		}
	}
}

// A draining worker stops at the end of partitions whose last offset is a
// marker, and its parts, and a scan of the log, give the batch report.
func TestDrainPastAMarker(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	plan, known, ev := wonPlan(t)
	log, events := markedEvents(t, ev)
	st := &scaleouttest.Stores{}
	parts := &scaleout.MemoryParts{}
	w := &scaleout.Worker{Plan: plan, Log: log, Store: st.Open, Parts: parts, Partitions: []int{0, 1, 2}, Drain: true}
	if err := w.Run(ctx); err != nil {
		t.Fatal(err)
	}
	src := &scaleout.Source{Log: log, Parts: parts}
	scaleouttest.SameAsBatch(t, plan, src, events, known(10))
	// The merged read of the log's events (ReadTo) ends alike.
	want, err := plan.Evaluate(ctx, kpi.Events(events), known(10))
	if err != nil {
		t.Fatal(err)
	}
	got, err := plan.Evaluate(ctx, struct{ kpi.Source }{src}, known(10))
	if err != nil {
		t.Fatal(err)
	}
	sameReport(t, "scanned", got, want)
}

// Follow says it caught up once it has read past the end of partitions
// whose last offset is a marker, having applied every event.
func TestFollowCatchesUpPastAMarker(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, _, ev := wonPlan(t)
	log, events := markedEvents(t, ev)
	var mu sync.Mutex
	var ids []string
	fctx, stop := context.WithCancel(ctx)
	defer stop()
	caught := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- scaleout.Follow(fctx, log, func(_ context.Context, evs []kpi.Event) error {
			mu.Lock()
			defer mu.Unlock()
			for _, e := range evs {
				ids = append(ids, e.ID)
			}
			return nil
		}, func() { close(caught) })
	}()
	select {
	case <-caught:
	case err := <-done:
		t.Fatalf("Follow: %v", err)
	}
	stop()
	<-done
	mu.Lock()
	defer mu.Unlock()
	slices.Sort(ids)
	if fmt.Sprint(ids) != fmt.Sprint([]string{events[0].ID, events[1].ID, events[2].ID}) {
		t.Fatalf("caught up with %v, want 1 2 3", ids)
	}
}

// ReadTo over a log of records and markers in any order, from any offset
// to any end within the log, returns the records from the start to the
// end, in order, and ends: as a plain loop over the offsets picks them.
func TestReadToSkippingProp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		kinds := rapid.SliceOfN(rapid.Bool(), 0, 12).Draw(t, "records") // true: a record, false: a marker
		log := newMarkedLog(1)
		for i, rec := range kinds {
			if !rec {
				log.mark(0)
				continue
			}
			if err := log.Append(ctx, []scaleout.Record{{Data: fmt.Append(nil, i+1)}}); err != nil {
				t.Fatal(err)
			}
		}
		from := rapid.Uint64Range(1, uint64(len(kinds))+1).Draw(t, "from")
		end := rapid.Uint64Range(0, uint64(len(kinds))).Draw(t, "end")
		var want []string
		for off := from; off <= end; off++ {
			if kinds[off-1] {
				want = append(want, fmt.Sprint(off))
			}
		}
		cur, _ := log.Open(ctx, 0, from)
		var got []string
		err := scaleout.ReadTo(ctx, cur, end, func(r scaleout.Record) error {
			if string(r.Data) != fmt.Sprint(r.Offset) {
				t.Fatalf("record %s at offset %d", r.Data, r.Offset)
			}
			got = append(got, string(r.Data))
			return nil
		})
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("from %d to %d: read %v, %v; want %v, nil", from, end, got, err, want)
		}
	})
}
