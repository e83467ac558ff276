package adaptertest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestSource checks that the sources h opens implement the kpi.Source
// contract. After event versions are applied through h.Apply, Scan must
// pass exactly the current version of every live event the query selects,
// each once: a correction (the same ID again) replaces the earlier version,
// a retraction removes the event and a later version brings it back, an
// exact duplicate counts once; Kinds nil selects every kind and an empty
// list none; times lie in [From, To), a zero bound leaving its side open.
// Every field comes back as applied: instants equal to the nanosecond (in
// any zone), amounts and numeric attributes equal in value (an int64 may
// come back as a decimal.Decimal), strings, bools and currencies exactly,
// no attribute lost or added. Scan returns the error fn returns and calls
// fn no more; with a context already done it returns ctx.Err() without
// calling fn; a context canceled during a scan never makes Scan report
// success for a scan it cut short. Scan passes only events
// kpi.Event.Validate accepts: a source that may hold others (see
// Harness.Unchecked) refuses a scan of them, naming the least such id, else
// the least such actor, whatever order they were written in; a source that
// is also a kpi.Pusher never answers a push of a range holding them: it
// declines or is refused likewise, even where the push's filter leaves
// them out. A scan of an event whose kind, currency or attribute name no
// event may have (Harness.Unchecked), or that passes the limits of its
// time, amount or attributes (Harness.UncheckedLimits), is refused naming
// the event.
//
// The fixed cases come first, then a rapid property that applies random
// streams of versions in random batches and compares random scans with a
// reference written from the contract.
func TestSource[S kpi.Source](t *testing.T, h Harness[S]) {
	t.Run("round trip", func(t *testing.T) { testRoundTrip(t, h) })
	t.Run("corrections", func(t *testing.T) { testCorrections(t, h) })
	t.Run("retractions", func(t *testing.T) { testRetractions(t, h) })
	t.Run("duplicates", func(t *testing.T) { testDuplicates(t, h) })
	t.Run("query", func(t *testing.T) { testQuery(t, h) })
	t.Run("fn error", func(t *testing.T) { testFnError(t, h) })
	t.Run("context", func(t *testing.T) { testContext(t, h) })
	t.Run("refused", func(t *testing.T) { testRefused(t, h) })
	t.Run("refused fields", func(t *testing.T) { testRefusedFields(t, h) })
	t.Run("random", func(t *testing.T) {
		w := newWindow(t)
		rapid.Check(t, func(rt *rapid.T) {
			versions := genVersions(rt, w)
			src := openFilled(propT{t, rt}, h, genBatches(rt, versions)...)
			want := goalkittest.Final(versions)
			queries := []kpi.Query{{}}
			for range 4 {
				queries = append(queries, genQuery(rt, w, versions))
			}
			for _, q := range queries {
				got, err := scanAll(src, q)
				if err != nil {
					rt.Fatalf("scan %s: %v", formatQuery(q), err)
				}
				if d := scanDiff(got, selectEvents(want, q)); d != "" {
					rt.Fatalf("scan %s after applying the versions:%s", formatQuery(q), d)
				}
			}
		})
	})
}

// scanAll scans src and returns copies of the events passed.
func scanAll(src kpi.Source, q kpi.Query) ([]kpi.Event, error) {
	var out []kpi.Event
	err := src.Scan(context.Background(), q, func(e *kpi.Event) error {
		out = append(out, e.Clone())
		return nil
	})
	return out, err
}

// checkScan scans src with q and compares the events passed with want.
func checkScan(t testing.TB, src kpi.Source, q kpi.Query, want []kpi.Event, when string) {
	t.Helper()
	got, err := scanAll(src, q)
	if err != nil {
		t.Fatalf("%s: scan %s: %v", when, formatQuery(q), err)
	}
	if d := scanDiff(got, want); d != "" {
		t.Fatalf("%s: scan %s:%s", when, formatQuery(q), d)
	}
}

func formatQuery(q kpi.Query) string {
	kinds := "every kind"
	if q.Kinds != nil {
		kinds = fmt.Sprintf("kinds %q", q.Kinds)
	}
	bound := func(t time.Time) string {
		if t.IsZero() {
			return "open"
		}
		return t.Format(time.RFC3339Nano)
	}
	return fmt.Sprintf("{%s, from %s, to %s}", kinds, bound(q.From), bound(q.To))
}

var t0 = time.Date(2025, 3, 3, 10, 20, 30, 123456789, time.FixedZone("", 3*3600))

func dec(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }

func testRoundTrip[S kpi.Source](t *testing.T, h Harness[S]) {
	events := []kpi.Event{
		{ID: "full", Kind: "deal.won", Time: t0, Actor: "ann", Amount: dec("1234.5678"), Currency: "RUB", Attrs: map[string]any{
			"source":   "web",
			"empty":    "",
			"quoted":   "a \"b\"\n\\c ünï ✓",
			"numeric":  "5",
			"truthy":   "true",
			"json":     `{"$time":"2025-01-01T00:00:00Z"}`,
			"int":      int64(-42),
			"big":      int64(9007199254740993), // beyond float64's exact integers
			"max":      int64(1<<63 - 1),
			"decimal":  decimal.RequireFromString("12.50"),
			"tiny":     decimal.RequireFromString("0.000000001"),
			"long":     decimal.RequireFromString("-123456789012345678901234.5"),
			"yes":      true,
			"no":       false,
			"at":       time.Date(2024, 12, 31, 23, 59, 59, 999999999, time.FixedZone("", -5*3600)),
			"utc":      time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
			"Mixed.Ca": "name with a dot and capitals",
		}},
		{ID: "bare", Kind: "call", Time: t0.Add(time.Nanosecond)},
		{ID: "zero amount", Kind: "deal.won", Time: t0.UTC(), Amount: dec("0"), Currency: "USD"},
		{ID: "currency only", Kind: "deal.won", Time: t0.Add(-time.Hour), Actor: "bob", Currency: "EUR"},
		{ID: "negative", Kind: "refund", Time: time.Date(1999, 12, 31, 23, 59, 59, 1, time.UTC), Actor: "bob", Amount: dec("-0.01"), Currency: "RUB"},
		{ID: "ид/№1 \"q\"", Kind: "вид.события", Time: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), Actor: "пользователь", Amount: dec("99999999999.9999")},
	}
	src := openFilled(t, h, events)
	checkScan(t, src, kpi.Query{}, events, "after applying events with every kind of field")
}

func testCorrections[S kpi.Source](t *testing.T, h Harness[S]) {
	orig := kpi.Event{ID: "d1", Kind: "deal.won", Time: t0, Actor: "ann", Amount: dec("1500.00"), Currency: "RUB",
		Attrs: map[string]any{"source": "web", "pipeline": int64(2), "vip": true}}
	// The correction changes every field: another kind, a time in another
	// day, another actor, no amount, an attribute dropped, one changed in
	// type, one added.
	corr := kpi.Event{ID: "d1", Kind: "deal.lost", Time: t0.Add(-48 * time.Hour), Actor: "bob",
		Attrs: map[string]any{"source": int64(7), "stage": "lost"}}
	other := kpi.Event{ID: "d2", Kind: "deal.won", Time: t0, Actor: "ann", Amount: dec("7"), Currency: "USD"}
	for _, tc := range []struct {
		name    string
		batches [][]kpi.Event
	}{
		{"in one batch", [][]kpi.Event{{orig, other, corr}}},
		{"in later batches", [][]kpi.Event{{orig, other}, {corr}}},
		{"twice", [][]kpi.Event{{orig}, {other, corr}, {orig}, {corr}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := openFilled(t, h, tc.batches...)
			checkScan(t, src, kpi.Query{}, []kpi.Event{corr, other}, "after a correction")
			checkScan(t, src, kpi.Query{Kinds: []string{"deal.won"}}, []kpi.Event{other}, "a correction changed the kind")
			checkScan(t, src, kpi.Query{From: t0.Add(-time.Hour)}, []kpi.Event{other}, "a correction moved the time")
		})
	}
}

func testRetractions[S kpi.Source](t *testing.T, h Harness[S]) {
	a := kpi.Event{ID: "a", Kind: "call", Time: t0, Actor: "ann", Attrs: map[string]any{"n": int64(1)}}
	b := kpi.Event{ID: "b", Kind: "call", Time: t0, Actor: "bob"}
	back := kpi.Event{ID: "a", Kind: "deal.won", Time: t0.Add(time.Hour), Actor: "cid", Amount: dec("5")}
	del := func(id string) kpi.Event { return kpi.Event{ID: id, Deleted: true} }
	// A retraction carries only its ID; the other fields are ignored.
	delNoisy := kpi.Event{ID: "b", Deleted: true, Kind: "call", Time: t0, Actor: "bob"}
	for _, tc := range []struct {
		name    string
		batches [][]kpi.Event
		want    []kpi.Event
	}{
		{"in one batch", [][]kpi.Event{{a, b, del("a")}}, []kpi.Event{b}},
		{"in a later batch", [][]kpi.Event{{a, b}, {del("a")}}, []kpi.Event{b}},
		{"with fields set", [][]kpi.Event{{a, b}, {delNoisy}}, []kpi.Event{a}},
		{"everything", [][]kpi.Event{{a, b}, {del("b"), del("a")}}, nil},
		{"of an unknown id", [][]kpi.Event{{del("never")}, {a, del("nobody")}}, []kpi.Event{a}},
		{"twice", [][]kpi.Event{{a, b, del("a")}, {del("a")}}, []kpi.Event{b}},
		{"then back", [][]kpi.Event{{a, b}, {del("a")}, {back}}, []kpi.Event{back, b}},
		{"then back in one batch", [][]kpi.Event{{a, del("a"), back, b}}, []kpi.Event{back, b}},
		{"before the event", [][]kpi.Event{{del("a")}, {a}}, []kpi.Event{a}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := openFilled(t, h, tc.batches...)
			checkScan(t, src, kpi.Query{}, tc.want, "after retractions")
		})
	}
}

func testDuplicates[S kpi.Source](t *testing.T, h Harness[S]) {
	a := kpi.Event{ID: "a", Kind: "deal.won", Time: t0, Actor: "ann", Amount: dec("10.5"), Currency: "RUB", Attrs: map[string]any{"source": "web"}}
	b := kpi.Event{ID: "b", Kind: "deal.won", Time: t0, Actor: "ann", Amount: dec("10.5"), Currency: "RUB", Attrs: map[string]any{"source": "web"}}
	for _, tc := range []struct {
		name    string
		batches [][]kpi.Event
	}{
		{"in one batch", [][]kpi.Event{{a, a, b, a}}},
		{"in later batches", [][]kpi.Event{{a, b}, {a}, {b, a}}},
		{"with empty batches", [][]kpi.Event{{}, {a}, {}, {a, b}, {}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := openFilled(t, h, tc.batches...)
			checkScan(t, src, kpi.Query{}, []kpi.Event{a, b}, "after duplicates")
		})
	}
}

func testQuery[S kpi.Source](t *testing.T, h Harness[S]) {
	from, to := t0, t0.Add(24*time.Hour)
	at := func(id, kind string, ts time.Time) kpi.Event {
		return kpi.Event{ID: id, Kind: kind, Time: ts, Actor: "ann"}
	}
	events := []kpi.Event{
		at("before", "call", from.Add(-time.Nanosecond)),
		at("from", "deal.won", from),
		// The same instant as from, written in another zone.
		at("from utc", "call", from.UTC()),
		at("inside", "deal.created", from.Add(time.Hour)),
		at("last", "deal.won", to.Add(-time.Nanosecond)),
		at("to", "call", to),
		at("long ago", "deal.won", time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)),
		at("far ahead", "call", time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)),
	}
	src := openFilled(t, h, events)
	pick := func(ids ...string) []kpi.Event {
		var out []kpi.Event
		for _, e := range events {
			for _, id := range ids {
				if e.ID == id {
					out = append(out, e)
				}
			}
		}
		return out
	}
	for _, tc := range []struct {
		name string
		q    kpi.Query
		want []kpi.Event
	}{
		{"everything", kpi.Query{}, events},
		{"half open", kpi.Query{From: from, To: to}, pick("from", "from utc", "inside", "last")},
		{"bounds in another zone", kpi.Query{From: from.UTC(), To: to.In(time.FixedZone("", -9*3600))}, pick("from", "from utc", "inside", "last")},
		{"from only", kpi.Query{From: to}, pick("to", "far ahead")},
		{"to only", kpi.Query{To: from}, pick("before", "long ago")},
		{"one nanosecond", kpi.Query{From: from, To: from.Add(time.Nanosecond)}, pick("from", "from utc")},
		{"empty range", kpi.Query{From: from, To: from}, nil},
		{"reversed range", kpi.Query{From: to, To: from}, nil},
		{"one kind", kpi.Query{Kinds: []string{"deal.won"}}, pick("from", "last", "long ago")},
		{"two kinds in a range", kpi.Query{Kinds: []string{"call", "deal.created"}, From: from, To: to}, pick("from utc", "inside")},
		{"a kind no event has", kpi.Query{Kinds: []string{"none"}}, nil},
		{"no kinds", kpi.Query{Kinds: []string{}}, nil},
		{"a kind twice", kpi.Query{Kinds: []string{"call", "call"}, From: from}, pick("from utc", "to", "far ahead")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkScan(t, src, tc.q, tc.want, tc.name)
		})
	}
}

func manyEvents(n int) []kpi.Event {
	out := make([]kpi.Event, n)
	for i := range out {
		out[i] = kpi.Event{ID: fmt.Sprintf("e%03d", i), Kind: kinds[i%len(kinds)], Time: t0.Add(time.Duration(i) * time.Minute), Actor: actors[i%len(actors)]}
	}
	return out
}

func testFnError[S kpi.Source](t *testing.T, h Harness[S]) {
	events := manyEvents(30)
	src := openFilled(t, h, events)
	stop := errors.New("stop here")
	calls := 0
	err := src.Scan(context.Background(), kpi.Query{}, func(*kpi.Event) error {
		calls++
		if calls == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("fn returned an error on its third call: Scan returned %v, want that error", err)
	}
	if calls != 3 {
		t.Fatalf("fn returned an error on its third call, and was called %d times", calls)
	}
	// The scan that stopped early leaves the source whole.
	checkScan(t, src, kpi.Query{}, events, "after a scan stopped by fn")
}

func testContext[S kpi.Source](t *testing.T, h Harness[S]) {
	events := manyEvents(30)
	src := openFilled(t, h, events)
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	for _, ctx := range []context.Context{canceled, expired} {
		calls := 0
		err := src.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { calls++; return nil })
		if !errors.Is(err, ctx.Err()) {
			t.Fatalf("scan with a context already done: %v, want %v", err, ctx.Err())
		}
		if calls != 0 {
			t.Fatalf("scan with a context already done passed %d events", calls)
		}
	}
	// fn cancels the context: Scan may stop and return ctx.Err(), or finish
	// and return nil, but never stop early and report success.
	ctx, cancel3 := context.WithCancel(context.Background())
	defer cancel3()
	calls := 0
	err := src.Scan(ctx, kpi.Query{}, func(*kpi.Event) error {
		calls++
		cancel3()
		return nil
	})
	switch {
	case err == nil && calls != len(events):
		t.Fatalf("a context canceled during a scan: Scan returned nil after %d of %d events", calls, len(events))
	case err != nil && !errors.Is(err, context.Canceled):
		t.Fatalf("a context canceled during a scan: %v, want %v", err, context.Canceled)
	}
	checkScan(t, src, kpi.Query{}, events, "after a canceled scan")
}

// testRefused checks a source holding events no event may be (Harness.Unchecked):
// a scan is refused naming the least id, else the least actor, no other, whatever order the
// rows were written in; a push declines or is refused so, even where its
// filter leaves the least out, and never answers (its numbers would count
// what the scan refuses). Without Unchecked, Apply must refuse such events.
func testRefused[S kpi.Source](t *testing.T, h Harness[S]) {
	ok := kpi.Event{ID: "ok", Kind: "call", Time: t0, Actor: "ann"}
	call := func(id, actor string) kpi.Event { return kpi.Event{ID: id, Kind: "call", Time: t0, Actor: actor} }
	for _, tc := range []struct {
		name  string
		bad   []kpi.Event
		least string // the id or actor every refusal names
		names func(kpi.Event) string
		// filtered, when not nil, is a filter of a push that leaves the
		// least out
		filtered formula.Node
	}{
		{"actors", []kpi.Event{call("b", "v\u0085"), call("c", "u\x1b[31m"), call("d", "*"), call("e", "v\u0085")}, "*",
			func(e kpi.Event) string { return e.Actor },
			formula.Compare{Op: "==", L: formula.Ident{Name: "id", Type: formula.TypeString}, R: formula.Const{Value: formula.String("ok")}}},
		{"ids", []kpi.Event{call("y\x01", "ann"), call("x\u0085", "cid"), call("x\x1b", "bob")}, "x\x1b",
			func(e kpi.Event) string { return e.ID },
			formula.Compare{Op: "==", L: formula.Ident{Name: "actor", Type: formula.TypeString}, R: formula.Const{Value: formula.String("ann")}}},
		// An id no event may have comes before an actor, on its own row
		// and on another's.
		{"ids before actors", []kpi.Event{call("y", "u\x1b"), call("x\x1b", "*")}, "x\x1b",
			func(e kpi.Event) string { return e.ID },
			formula.Compare{Op: "==", L: formula.Ident{Name: "actor", Type: formula.TypeString}, R: formula.Const{Value: formula.String("ann")}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			var first string
			for _, order := range []string{"as written", "reversed"} {
				events := append([]kpi.Event{ok}, tc.bad...)
				if order == "reversed" {
					slices.Reverse(events)
				}
				src := h.Open(t)
				if h.Unchecked == nil {
					if err := h.Apply(ctx, src, events...); err == nil {
						t.Fatalf("Apply took events no event may be (%s), and Harness.Unchecked is nil", tc.name)
					}
					continue
				}
				if err := h.Unchecked(ctx, src, events...); err != nil {
					t.Fatalf("Harness.Unchecked: %v", err)
				}
				_, err := scanAll(src, kpi.Query{})
				if err == nil {
					t.Fatalf("a scan of %s no event may have, written %s, passed", tc.name, order)
				}
				refusalNames(t, "scan", err, tc.least, tc.bad, tc.names)
				if first == "" {
					first = err.Error()
				} else if err.Error() != first {
					t.Errorf("the scans of one table written in two orders were refused as\n\t%s\nand\n\t%s", first, err)
				}
				if p, isPusher := any(src).(kpi.Pusher); isPusher {
					pushes := []kpi.PushQuery{{Bounds: []time.Time{t0, t0.Add(time.Hour)}}}
					if tc.filtered != nil {
						// A row the filter leaves out is one the scan
						// refuses all the same.
						pushes = append(pushes, kpi.PushQuery{Bounds: []time.Time{t0, t0.Add(time.Hour)}, Where: tc.filtered})
					}
					for _, q := range pushes {
						rows, answered, err := p.Push(ctx, q)
						switch {
						case err != nil:
							refusalNames(t, "push", err, tc.least, tc.bad, tc.names)
						case answered:
							t.Errorf("a push where %v over %s no event may have, written %s, answered %+v; the scan was refused", q.Where, tc.name, order, rows)
						}
					}
				}
			}
		})
	}
}

// testRefusedFields checks a source holding an event whose kind, currency
// or attribute name no event may have (Harness.Unchecked), or that passes
// the limits of its time, amount or attributes (Harness.UncheckedLimits):
// a scan is refused naming the event, as kpi.Event.Validate does. Without
// Unchecked, Apply must refuse such a kind, currency or attribute name;
// without UncheckedLimits, the limits are not checked.
func testRefusedFields[S kpi.Source](t *testing.T, h Harness[S]) {
	ok := kpi.Event{ID: "ok", Kind: "call", Time: t0, Actor: "ann"}
	one := decimal.NewNullDecimal(decimal.NewFromInt(1))
	many := map[string]any{}
	for i := range 65 {
		many[fmt.Sprintf("a%02d", i)] = int64(i)
	}
	for _, tc := range []struct {
		name   string
		bad    kpi.Event
		limits bool // written by UncheckedLimits
	}{
		{"kind", kpi.Event{ID: "k", Kind: "call\x1b[31m", Time: t0, Actor: "ann"}, false},
		{"kind with a C1 control", kpi.Event{ID: "k", Kind: "call\u0085", Time: t0, Actor: "ann"}, false},
		{"currency", kpi.Event{ID: "c", Kind: "call", Time: t0, Actor: "ann", Amount: one, Currency: "RU\x01B"}, false},
		{"attribute name", kpi.Event{ID: "a", Kind: "call", Time: t0, Actor: "ann", Attrs: map[string]any{"ok": "x", "re\x1bgion": "north"}}, false},
		{"empty attribute name", kpi.Event{ID: "a", Kind: "call", Time: t0, Actor: "ann", Attrs: map[string]any{"": "north"}}, false},
		{"time before 1678", kpi.Event{ID: "t", Kind: "call", Time: time.Date(1677, 12, 31, 12, 0, 0, 0, time.UTC), Actor: "ann"}, true},
		{"time after 2261", kpi.Event{ID: "t", Kind: "call", Time: time.Date(2262, 1, 1, 12, 0, 0, 0, time.UTC), Actor: "ann"}, true},
		// An exponent past +1000 is not checked: a NUMERIC column keeps
		// 3e1001 as an integer, whose exponent is 0.
		{"amount exponent", kpi.Event{ID: "e", Kind: "call", Time: t0, Actor: "ann", Amount: decimal.NewNullDecimal(decimal.New(3, -1001))}, true},
		{"attributes", kpi.Event{ID: "m", Kind: "call", Time: t0, Actor: "ann", Attrs: many}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.bad.Validate(); err == nil {
				t.Fatalf("kpi.Event.Validate takes the case %s", tc.name)
			}
			ctx := context.Background()
			write := h.Unchecked
			if tc.limits {
				write = h.UncheckedLimits
			}
			if write == nil && tc.limits {
				t.Skip("Harness.UncheckedLimits is nil: the store cannot write such rows")
			}
			src := h.Open(t)
			if write == nil {
				if err := h.Apply(ctx, src, ok, tc.bad); err == nil {
					t.Fatalf("Apply took an event no event may be (%s), and the harness cannot write it unchecked", tc.name)
				}
				return
			}
			if err := write(ctx, src, ok, tc.bad); err != nil {
				t.Fatalf("writing unchecked: %v", err)
			}
			_, err := scanAll(src, kpi.Query{})
			switch {
			case err == nil:
				t.Fatalf("a scan of an event with %s no event may have passed", tc.name)
			case !strings.Contains(err.Error(), strconv.Quote(tc.bad.ID)):
				t.Errorf("a scan of an event with %s no event may have: %v, want the event %q named", tc.name, err, tc.bad.ID)
			}
			p, isPusher := any(src).(kpi.Pusher)
			if !isPusher {
				return
			}
			// A push over the range declines (the evaluation then scans)
			// or is refused naming the event, even where its filter leaves
			// the event out; it never answers, counting what the scan
			// refuses.
			from := tc.bad.Time.Truncate(time.Hour)
			if ok.Time.Before(from) {
				from = ok.Time.Truncate(time.Hour)
			}
			to := tc.bad.Time.Truncate(time.Hour).Add(time.Hour)
			if !ok.Time.Before(to) {
				to = ok.Time.Truncate(time.Hour).Add(time.Hour)
			}
			for _, q := range []kpi.PushQuery{
				{Bounds: []time.Time{from, to}},
				{Bounds: []time.Time{from, to}, Value: "amount"},
				{Bounds: []time.Time{from, to}, Where: formula.Compare{Op: "==", L: formula.Ident{Name: "id", Type: formula.TypeString}, R: formula.Const{Value: formula.String(ok.ID)}}},
			} {
				rows, answered, err := p.Push(ctx, q)
				switch {
				case err != nil:
					if !strings.Contains(err.Error(), strconv.Quote(tc.bad.ID)) {
						t.Errorf("a push where %v over an event with %s no event may have: %v, want the event %q named", q.Where, tc.name, err, tc.bad.ID)
					}
				case answered:
					t.Errorf("a push where %v over an event with %s no event may have answered %+v; the scan was refused", q.Where, tc.name, rows)
				}
			}
		})
	}
}

// refusalNames checks that the error of op names least (quoted) and none
// of the other values names gives of the events bad.
func refusalNames(t *testing.T, op string, err error, least string, bad []kpi.Event, names func(kpi.Event) string) {
	t.Helper()
	if !strings.Contains(err.Error(), strconv.Quote(least)) {
		t.Errorf("%s: %v, want the refusal of the least, %q", op, err, least)
	}
	for _, e := range bad {
		if n := names(e); n != least && strings.Contains(err.Error(), strconv.Quote(n)) {
			t.Errorf("%s: %v names %q, not the least, %q", op, err, n, least)
		}
	}
}
