package kpi

import (
	"fmt"
	"reflect"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestTrackQueueHandsOverEveryVersion: a writer queues batches of any
// length (one event with its checked values, or events with attribute
// maps, across blocks and beyond one) and publishes each by the count of
// versions, while a reader takes what the count covers, at the same time;
// the reader gets every version once, in order, with its fields and
// attributes. Run with -race, it also shows that the two sides
// touch nothing of each other's unpublished.
func TestTrackQueueHandsOverEveryVersion(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		known := []string{"a", "b", "c"}
		type batch struct {
			events  []Event
			vals    []any // the one event's checked values
			checked bool
		}
		nb := rapid.IntRange(1, 40).Draw(t, "batches")
		var batches []batch
		var want []Event
		loc := time.FixedZone("x", 3600)
		for b := range nb {
			n := rapid.SampledFrom([]int{1, 1, 1, 3, 700, queueChunk, queueChunk + 1, 2500}).Draw(t, "len")
			checked := n == 1 && rapid.Bool().Draw(t, "checked")
			var bt batch
			bt.checked = checked
			for i := range n {
				id := len(want)
				e := Event{ID: "e" + strconv.Itoa(id), Kind: "k" + strconv.Itoa(b%3), Actor: "u" + strconv.Itoa(i%7),
					Time: time.Unix(int64(id)*60, 0).In(loc), Deleted: id%11 == 5}
				if id%4 == 1 {
					e.Amount = decimal.NewNullDecimal(decimal.New(int64(id), -2))
					e.Currency = "EUR"
				}
				if id%3 == 0 {
					e.Known = time.Unix(int64(id)*61, 0).In(time.UTC)
				}
				attrs := map[string]any{}
				vals := make([]any, len(known))
				for k, name := range known {
					if (id>>k)&1 == 1 {
						attrs[name] = int64(id*10 + k)
						vals[k] = int64(id*10 + k)
					}
				}
				if len(attrs) > 0 {
					e.Attrs = attrs
				}
				bt.events = append(bt.events, e)
				bt.vals = vals
				want = append(want, e)
			}
			batches = append(batches, bt)
		}
		var q trackQueue
		var done atomic.Uint64
		q.start()
		writer := make(chan struct{})
		go func() {
			defer close(writer)
			for _, b := range batches {
				if b.checked {
					q.addChecked(&b.events[0], b.vals, known)
				} else {
					q.add(b.events)
				}
				done.Add(uint64(len(b.events)))
			}
		}()
		var got []Event
		var taken uint64
		for taken < uint64(len(want)) {
			to := done.Load()
			if to < taken {
				t.Fatalf("published %d after %d", to, taken)
			}
			err := q.take(to-taken, func(run []queued) error {
				if len(run) > queueChunk {
					return fmt.Errorf("a run of %d", len(run))
				}
				var in colstore.Input
				for i := range run {
					run[i].input(&in)
					e := Event{ID: in.ID, Kind: in.Kind, Time: in.Time, Actor: in.Actor, Amount: in.Amount,
						Currency: in.Currency, Deleted: in.Deleted, Known: in.Known}
					for _, a := range in.AttrList {
						if e.Attrs == nil {
							e.Attrs = map[string]any{}
						}
						if _, dup := e.Attrs[a.Name]; dup {
							return fmt.Errorf("event %s: attribute %s twice", e.ID, a.Name)
						}
						e.Attrs[a.Name] = a.Value
					}
					got = append(got, e)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			taken = to
		}
		<-writer
		if len(got) != len(want) {
			t.Fatalf("got %d versions, want %d", len(got), len(want))
		}
		for i := range want {
			w, g := &want[i], &got[i]
			if g.ID != w.ID || g.Kind != w.Kind || g.Actor != w.Actor || g.Currency != w.Currency || g.Deleted != w.Deleted ||
				!g.Time.Equal(w.Time) || g.Time.Location() != w.Time.Location() || !g.Known.Equal(w.Known) ||
				g.Amount.Valid != w.Amount.Valid || !g.Amount.Decimal.Equal(w.Amount.Decimal) || len(g.Attrs) != len(w.Attrs) {
				t.Fatalf("version %d: got %+v, want %+v", i, *g, *w)
			}
			for k, v := range w.Attrs {
				if g.Attrs[k] != v {
					t.Fatalf("version %d: attribute %s = %v, want %v", i, k, g.Attrs[k], v)
				}
			}
		}
	})
}

// The blocks the reader took every version of are emptied: the queue keeps
// no event's strings or attributes alive once the replica applied it.
func TestTrackQueueEmptiesTheBlocksItTook(t *testing.T) {
	var q trackQueue
	q.start()
	first := q.head
	events := make([]Event, queueChunk+1)
	for i := range events {
		events[i] = Event{ID: strconv.Itoa(i), Kind: "k", Actor: "a", Attrs: map[string]any{"x": int64(i)}}
	}
	q.add(events)
	n := 0
	if err := q.take(uint64(len(events)), func(run []queued) error { n += len(run); return nil }); err != nil {
		t.Fatal(err)
	}
	if n != len(events) || q.head == first || len(q.spare) != 1 || q.spare[0] != first {
		t.Fatalf("took %d, head moved %v, spares %d", n, q.head != first, len(q.spare))
	}
	if !reflect.ValueOf(first.items).IsZero() || len(first.attrs) != 0 || first.next != nil {
		t.Fatal("a block given back still holds versions")
	}
	for _, a := range first.attrs[:cap(first.attrs)] {
		if a != (colstore.Attr{}) {
			t.Fatal("a block given back still holds attributes")
		}
	}
	if b := q.block(); b != first {
		t.Fatal("the writer's next block is not the spare one")
	}
	if len(q.spare) != 0 {
		t.Fatal("the spare was not taken")
	}
	// A reader keeping up: blocks go round, the queue holds a few however
	// many versions pass.
	var r trackQueue
	r.start()
	seen := map[*queueBlock]bool{}
	for i := range 20 * queueChunk {
		r.add(events[i%len(events) : i%len(events)+1])
		if i%300 == 299 {
			if err := r.take(300, func([]queued) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}
		seen[r.tail] = true
	}
	if len(seen) > 3 {
		t.Fatalf("%d blocks for a reader keeping up", len(seen))
	}
}
