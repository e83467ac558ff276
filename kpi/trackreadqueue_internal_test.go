package kpi

import (
	"fmt"
	"maps"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

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
			err := q.take(to-taken, func(run queueRun) error {
				if run.len() > queueChunk {
					return fmt.Errorf("a run of %d", run.len())
				}
				var in colstore.Input
				for i := range run.len() {
					q.input(run, i, &in)
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
	loc := time.FixedZone("z", 60)
	for i := range events {
		events[i] = Event{ID: strconv.Itoa(i), Kind: "k", Actor: "a", Time: time.Unix(int64(i), 0).In(loc),
			Amount: decimal.NewNullDecimal(decimal.New(int64(i), -2)), Attrs: map[string]any{"x": int64(i), "y": decimal.New(1, 0)}}
	}
	q.add(events)
	n := 0
	if err := q.take(uint64(len(events)), func(run queueRun) error { n += run.len(); return nil }); err != nil {
		t.Fatal(err)
	}
	if n != len(events) || q.head == first || len(q.spare) != 1 || q.spare[0] != first {
		t.Fatalf("took %d, head moved %v, spares %d", n, q.head != first, len(q.spare))
	}
	if !reflect.ValueOf(first.items).IsZero() || !reflect.ValueOf(first.locs).IsZero() || len(first.attrs) != 0 || first.next != nil {
		t.Fatal("a block given back still holds versions, locations or the next block")
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
			if err := r.take(300, func(queueRun) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}
		seen[r.tail] = true
	}
	if len(seen) > 3 {
		t.Fatalf("%d blocks for a reader keeping up", len(seen))
	}
}

// drawQueuedEvent draws an event version of any shape the queue may be
// given: empty and long strings, instants in odd locations (a location of
// its own now and then, so that a block holds many), amounts of any
// exponent and past int64, attributes of every value type a table takes,
// retractions.
func drawQueuedEvent(t *rapid.T, label string) Event {
	str := rapid.OneOf(rapid.SampledFrom([]string{"", "a", "deal", "ünï", "x\x00y"}), rapid.String(),
		rapid.Just(strings.Repeat("long-", 400)))
	locs := rapid.OneOf(rapid.SampledFrom([]*time.Location{time.UTC, time.Local, time.FixedZone("odd", -(12*3600 + 1800 + 17)), time.FixedZone("", 0)}),
		rapid.Custom(func(t *rapid.T) *time.Location {
			return time.FixedZone("own", rapid.IntRange(-14*3600, 14*3600).Draw(t, "offset"))
		}))
	instant := rapid.Custom(func(t *rapid.T) time.Time {
		if rapid.IntRange(0, 4).Draw(t, "zero") == 0 {
			return time.Time{}
		}
		// Years 1900 to 2200, nanoseconds included.
		return time.Unix(rapid.Int64Range(-2208988800, 7258118400).Draw(t, "sec"), rapid.Int64Range(0, 999999999).Draw(t, "nsec")).In(locs.Draw(t, "loc"))
	})
	dec := rapid.Custom(func(t *rapid.T) decimal.Decimal {
		exp := rapid.Int32Range(-40, 40).Draw(t, "exp")
		if rapid.Bool().Draw(t, "big") {
			b := new(big.Int).Lsh(big.NewInt(rapid.Int64().Draw(t, "hi")), 70)
			return decimal.NewFromBigInt(b.Add(b, big.NewInt(rapid.Int64().Draw(t, "lo"))), exp)
		}
		return decimal.New(rapid.Int64().Draw(t, "coef"), exp)
	})
	value := rapid.OneOf(rapid.Map(str, func(s string) any { return s }), rapid.Map(rapid.Int64(), func(n int64) any { return n }),
		rapid.Map(rapid.Int(), func(n int) any { return n }), rapid.Map(rapid.Int32(), func(n int32) any { return n }),
		rapid.Map(rapid.Bool(), func(b bool) any { return b }), rapid.Map(dec, func(d decimal.Decimal) any { return d }),
		rapid.Map(instant, func(t time.Time) any { return t }))
	e := Event{ID: str.Draw(t, label+".id"), Kind: str.Draw(t, label+".kind"), Actor: str.Draw(t, label+".actor"),
		Currency: str.Draw(t, label+".currency"), Time: instant.Draw(t, label+".time"), Known: instant.Draw(t, label+".known"),
		Deleted: rapid.IntRange(0, 5).Draw(t, label+".deleted") == 0}
	if rapid.IntRange(0, 30).Draw(t, label+".huge") == 0 {
		e.ID = strings.Repeat("longer", 6000) // past an empty block's bytes
	}
	if rapid.Bool().Draw(t, label+".amount") {
		e.Amount = decimal.NewNullDecimal(dec.Draw(t, label+".amount"))
	}
	if n := rapid.IntRange(0, 6).Draw(t, label+".attrs"); n > 0 {
		e.Attrs = map[string]any{}
		for range n {
			e.Attrs[str.Draw(t, label+".name")] = value.Draw(t, label+".value")
		}
	}
	return e
}

// sameVersion says how got differs from want, a version taken from the
// queue: "" when it does not (the same strings, instants in the same
// locations, the same amount with its exponent, the same attribute
// values).
func sameVersion(got *colstore.Input, want *Event) string {
	switch {
	case got.ID != want.ID || got.Kind != want.Kind || got.Actor != want.Actor || got.Currency != want.Currency || got.Deleted != want.Deleted:
		return "strings or deleted"
	case !sameInstant(got.Time, want.Time) || !sameInstant(got.Known, want.Known):
		return "instants"
	case got.Amount.Valid != want.Amount.Valid || got.Amount.Valid && (got.Amount.Decimal.Cmp(want.Amount.Decimal) != 0 ||
		got.Amount.Decimal.Exponent() != want.Amount.Decimal.Exponent()):
		return "amount"
	case got.Attrs != nil || len(got.AttrList) != len(want.Attrs):
		return "number of attributes"
	}
	for _, a := range got.AttrList {
		if v, ok := want.Attrs[a.Name]; !ok || v != a.Value {
			return fmt.Sprintf("attribute %q: %#v", a.Name, a.Value)
		}
	}
	return ""
}

func sameInstant(a, b time.Time) bool {
	return a.IsZero() == b.IsZero() && a.Equal(b) && (a.IsZero() || a.Location() == b.Location())
}

// TestTrackQueueGivesBackEveryVersionAsQueued: versions of any shape (see
// drawQueuedEvent), queued in batches of any length (one checked event, or
// events with their maps), come out of the queue as they went in, and stay
// so once their blocks are filled again; the queue keeps no string of its
// caller's, whose bytes may be reused once the call returned (a replayed
// workload's ids).
func TestTrackQueueGivesBackEveryVersionAsQueued(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		shapes := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) Event { return drawQueuedEvent(t, "event") }), 1, 12).Draw(t, "shapes")
		var q trackQueue
		q.start()
		buf := []byte("0000000")
		var want []Event
		var got []colstore.Input
		var gotAttrs [][]colstore.Attr
		// Three rounds, each ending in a block's worth of versions: the
		// third round's writer fills the blocks the first round's versions
		// were in.
		for round := range 3 {
			from := len(want)
			for b := range rapid.IntRange(1, 6).Draw(t, "batches") + 1 {
				n := rapid.SampledFrom([]int{1, 1, 2, 700, queueChunk + 1}).Draw(t, "len")
				if b == 0 {
					n = queueChunk
				}
				batch := make([]Event, n)
				for i := range batch {
					batch[i] = shapes[(len(want)+i)%len(shapes)]
				}
				if n == 1 && rapid.Bool().Draw(t, "checked") {
					e := batch[0]
					known := slices.Sorted(maps.Keys(e.Attrs))
					known = append(known, "absent")
					vals := make([]any, len(known))
					for i, name := range known {
						vals[i] = e.Attrs[name]
					}
					q.addChecked(&e, vals, known)
				} else if b%2 == 1 {
					// An id over bytes the caller reuses after the call.
					copy(buf, strconv.Itoa(1000000+len(want)))
					e := batch[0]
					e.ID = unsafe.String(&buf[0], len(buf))
					q.add([]Event{e})
					batch[0].ID = strings.Clone(e.ID)
					copy(buf, "9999999")
					q.add(batch[1:])
				} else {
					q.add(batch)
				}
				want = append(want, batch...)
			}
			err := q.take(uint64(len(want)-from), func(run queueRun) error {
				for i := range run.len() {
					var in colstore.Input
					q.input(run, i, &in)
					gotAttrs = append(gotAttrs, slices.Clone(in.AttrList))
					got = append(got, in)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("round %d: %d versions, want %d", round, len(got), len(want))
			}
			for i := range got {
				got[i].AttrList = gotAttrs[i]
				if d := sameVersion(&got[i], &want[i]); d != "" {
					t.Fatalf("round %d: version %d: %s: got %+v, want %+v", round, i, d, got[i], want[i])
				}
			}
		}
	})
}
