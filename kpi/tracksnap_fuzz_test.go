package kpi

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// FuzzReadSnapshot feeds the snapshot decoder any bytes, its checksum
// unchecked so that the fuzzer reaches every part: it returns an error or a
// tracker that works (reads, replays as known earlier, applies more), and
// never panics.
func FuzzReadSnapshot(f *testing.F) {
	ctx := context.Background()
	cal, err := period.LoadCalendar("Europe/Moscow")
	if err != nil {
		f.Fatal(err)
	}
	set, err := Compile([]IndicatorDef{
		{ID: "won", Kinds: []string{"won"}, Where: `source == "web"`, Aggregate: "count"},
		{ID: "top", Kinds: []string{"won"}, Aggregate: "max", Value: "amount"},
		{ID: "calls", Kinds: []string{"call"}, Aggregate: "distinct", Value: "source"},
	}, Env{Attributes: map[string]AttrType{"source": AttrString}})
	if err != nil {
		f.Fatal(err)
	}
	jan := cal.Containing(period.Month, date.New(2025, 1, 1))
	req := Request{Calendar: cal, Periods: []period.Period{jan, cal.Next(jan)}}
	store := NewSnapStore()
	tr, err := set.Track(ctx, req, store)
	if err != nil {
		f.Fatal(err)
	}
	day := func(d int) time.Time { return time.Date(2025, 1, d, 12, 0, 0, 0, time.UTC) }
	f.Add([]byte(nil))
	for i, b := range [][]Event{
		{{ID: "1", Kind: "won", Time: day(2), Actor: "u1", Amount: decimal.NewNullDecimal(decimal.New(150, -2)), Attrs: map[string]any{"source": "web", "n": int64(3)}}},
		{{ID: "a-2", Kind: "call", Time: day(3), Actor: "u2", Currency: "RUB", Amount: decimal.NewNullDecimal(decimal.New(7, 40)), Attrs: map[string]any{"source": "ads", "ok": true, "at": day(1), "x": decimal.New(5, -1)}, Known: day(4)}},
		{{ID: "1", Deleted: true, Known: day(5)}, {ID: "a-2", Kind: "won", Time: day(31), Actor: "u1", Known: day(6)}},
	} {
		if err := tr.Apply(ctx, b...); err != nil {
			f.Fatal(err)
		}
		if err := tr.Snapshot(ctx); err != nil {
			f.Fatal(err)
		}
		snap, _ := store.Snapshot()
		f.Add(bytes.Clone(snap))
		if i == 2 {
			f.Add(snap[:len(snap)/2])
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := readSnapshot(bytes.NewReader(data), set, &req, false)
		if err != nil {
			return
		}
		if err := res.st.rebuild(ctx); err != nil {
			return
		}
		tr := &Tracker{set: set, req: req, st: res.st, ledger: res.ledger, closed: res.closed}
		tr.req.AsOf, tr.req.KnownAt, tr.req.Workers = time.Time{}, time.Time{}, 0
		if _, err := tr.Result(ctx, time.Time{}); err != nil {
			t.Fatalf("result of a decoded snapshot: %v", err)
		}
		if _, err := tr.AsKnownAt(ctx, day(5)); err != nil {
			t.Fatalf("as known at, from a decoded snapshot: %v", err)
		}
		n := 0
		if err := tr.Scan(ctx, Query{}, func(*Event) error { n++; return nil }); err != nil || n != tr.Len() {
			t.Fatalf("scan of a decoded snapshot: %d events of %d (%v)", n, tr.Len(), err)
		}
		if err := tr.Apply(ctx, Event{ID: "1", Kind: "won", Time: day(9), Actor: "u9"}, Event{ID: "a-2", Deleted: true}); err != nil {
			t.Fatalf("apply to a decoded snapshot: %v", err)
		}
	})
}
