package sqlcoretest

import (
	"context"
	"fmt"
	"maps"
	"math"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// exactDecimal draws a decimal of any exponent an event may have (±1000),
// trailing zeros and a zero of any scale among them: 0, 0.0, 1.00, 1e-30,
// coefficients near int64's limits and past them.
func exactDecimal(t *rapid.T, label string) decimal.Decimal {
	coef := rapid.OneOf(
		rapid.Int64Range(-1000, 1000),
		rapid.SampledFrom([]int64{0, 1, 10, 100, -100, math.MaxInt64, math.MinInt64, math.MaxInt64 - 1, math.MinInt64 + 1}),
		rapid.Int64(),
	).Draw(t, label+" coefficient")
	exp := rapid.OneOf(
		rapid.Int32Range(-4, 4),
		rapid.SampledFrom([]int32{-1000, -999, -30, 30, 999, 1000}),
		rapid.Int32Range(-1000, 1000),
	).Draw(t, label+" exponent")
	d := decimal.New(coef, exp)
	if rapid.Bool().Draw(t, label+" wide") {
		// Past int64: 2^64 times the coefficient, plus one.
		d = decimal.NewFromBigInt(d.Coefficient().Lsh(d.Coefficient(), 64), exp).Add(decimal.New(1, exp))
	}
	return d
}

// exactTime draws an instant with nanoseconds in the years a store keeps
// (1678–2261, near their ends among them) in a zone of any offset a time
// may have, seconds and a day or more included.
func exactTime(t *rapid.T, label string) time.Time {
	// Two days inside the years' ends, where an offset of a day or more
	// keeps the local time inside them too.
	lo := time.Date(1678, 1, 3, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2261, 12, 29, 0, 0, 0, 0, time.UTC).Unix()
	sec := rapid.OneOf(
		rapid.Int64Range(lo, hi),
		rapid.SampledFrom([]int64{lo, hi, 0, -1, 1}),
	).Draw(t, label+" seconds")
	ns := rapid.OneOf(rapid.Int64Range(0, 999_999_999), rapid.SampledFrom([]int64{0, 1, 999_999_999})).Draw(t, label+" nanoseconds")
	off := rapid.OneOf(
		rapid.SampledFrom([]int{0, 3600, -3600, 19800, 20700, -34200, 1172, -1172, 50400, -43200}),
		rapid.IntRange(-26*3600, 26*3600),
	).Draw(t, label+" offset")
	zone := time.FixedZone(rapid.SampledFrom([]string{"", "LMT", "Europe/Moscow"}).Draw(t, label+" zone"), off)
	if rapid.Bool().Draw(t, label+" utc") {
		zone = time.UTC
	}
	return time.Unix(sec, ns).In(zone)
}

// exactString draws text of any characters both databases keep in an
// attribute (valid UTF-8 without U+0000, which PostgreSQL's JSON cannot
// hold: TestAttrNUL), JSON's own characters and escapes among them.
func exactString(t *rapid.T, label string) string {
	return rapid.OneOf(
		rapid.SampledFrom([]string{"", " ", `"`, `\`, `\u0000`, "\x01\x1f\x7f", "\u0085\u2028\u2029", "\ufeff", "é", "日本", "😀", `{"$time":"2025-01-01T00:00:00Z"}`, "1.00", "true", "null"}),
		rapid.String().Filter(func(s string) bool { return !strings.ContainsRune(s, 0) }),
	).Draw(t, label)
}

// exactAttrs draws attributes of every type: strings, ints at int64's
// limits, decimals, bools and times.
func exactAttrs(t *rapid.T, label string) map[string]any {
	n := rapid.IntRange(0, 5).Draw(t, label+" count")
	attrs := map[string]any{}
	for i := range n {
		name := rapid.SampledFrom([]string{"a", "b", "stage", "é", "n_1"}).Draw(t, fmt.Sprint(label, " name ", i))
		l := fmt.Sprint(label, " ", name)
		switch rapid.IntRange(0, 4).Draw(t, l+" type") {
		case 0:
			attrs[name] = exactString(t, l)
		case 1:
			attrs[name] = rapid.OneOf(rapid.SampledFrom([]int64{0, 1, -1, math.MaxInt64, math.MinInt64}), rapid.Int64()).Draw(t, l)
		case 2:
			attrs[name] = exactDecimal(t, l)
		case 3:
			attrs[name] = rapid.Bool().Draw(t, l)
		case 4:
			attrs[name] = exactTime(t, l)
		}
	}
	if len(attrs) == 0 {
		return nil
	}
	return attrs
}

// exactEvent draws a version of an event of ids (a retraction or not) with
// a known instant or none.
func exactEvent(t *rapid.T, label string, ids []string) kpi.Event {
	e := kpi.Event{ID: rapid.SampledFrom(ids).Draw(t, label+" id")}
	if rapid.Bool().Draw(t, label+" known") {
		e.Known = exactTime(t, label+" known")
	}
	if rapid.IntRange(0, 5).Draw(t, label+" deleted") == 0 {
		e.Deleted = true
		return e
	}
	e.Kind = rapid.SampledFrom([]string{"deal", "call", "Звонок"}).Draw(t, label+" kind")
	e.Actor = exactString(t, label+" actor")
	if e.Actor == "" || strings.ContainsFunc(e.Actor, func(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0xfffd }) || e.Actor == "*" {
		e.Actor = "u1"
	}
	e.Time = exactTime(t, label+" time")
	if rapid.Bool().Draw(t, label+" amount") {
		e.Amount = decimal.NewNullDecimal(exactDecimal(t, label+" amount"))
		e.Currency = rapid.SampledFrom([]string{"", "USD", "KZT"}).Draw(t, label+" currency")
	}
	e.Attrs = exactAttrs(t, label+" attrs")
	return e
}

// sameValue reports how got differs from want, "" where it does not: a
// decimal in value and exponent (where ints is false, a positive exponent
// as its whole number, exponent 0, as JSON keeps it), an int64 exactly (as a decimal of
// exponent 0 where ints is false), a time as the same instant in the same
// offset (an attribute's, rfc, in UTC where RFC 3339 cannot write the
// offset), strings and bools
// exactly, each of its own Go type.
func sameValue(got, want any, ints, rfc bool) string {
	if w, ok := want.(int64); ok && !ints {
		want = decimal.New(w, 0)
	}
	if w, ok := want.(decimal.Decimal); ok && !ints && w.Exponent() > 0 {
		// JSON's number of a table's attributes: a positive exponent
		// as the whole number, coefficient times 10^exponent.
		p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(w.Exponent())), nil)
		want = decimal.NewFromBigInt(p.Mul(p, w.Coefficient()), 0)
	}
	switch w := want.(type) {
	case decimal.Decimal:
		g, ok := got.(decimal.Decimal)
		if !ok || !g.Equal(w) || g.Exponent() != w.Exponent() {
			return fmt.Sprintf("%#v (%v), want %s (exponent %d)", got, got, w, w.Exponent())
		}
	case time.Time:
		if _, off := w.Zone(); rfc && (off%60 != 0 || off <= -24*3600 || off >= 24*3600) {
			w = w.UTC()
		}
		g, ok := got.(time.Time)
		_, goff := g.Zone()
		_, woff := w.Zone()
		if !ok || !g.Equal(w) || goff != woff {
			return fmt.Sprintf("%v, want %v", got, w)
		}
	default:
		if got != want {
			return fmt.Sprintf("%#v, want %#v", got, want)
		}
	}
	return ""
}

// sameEvent reports how got differs from want, "" where it does not.
// ints: the store keeps an attribute's int64 as one (a track store), else
// it reads numbers as decimals. rfc: a time attribute is kept as RFC 3339
// writes it (sameValue).
func sameEvent(got, want *kpi.Event, ints, rfc bool) string {
	var diffs []string
	if got.ID != want.ID || got.Deleted != want.Deleted || !got.Known.Equal(want.Known) {
		diffs = append(diffs, fmt.Sprintf("id %q deleted %v known %v, want %q %v %v", got.ID, got.Deleted, got.Known, want.ID, want.Deleted, want.Known))
	}
	if want.Deleted {
		return strings.Join(diffs, "; ")
	}
	if got.Kind != want.Kind || got.Actor != want.Actor || got.Currency != want.Currency {
		diffs = append(diffs, fmt.Sprintf("kind %q actor %q currency %q, want %q %q %q", got.Kind, got.Actor, got.Currency, want.Kind, want.Actor, want.Currency))
	}
	if d := sameValue(got.Time, want.Time, ints, false); d != "" {
		diffs = append(diffs, "time "+d)
	}
	// An amount in value and exponent, one above zero as its whole number
	// (PostgreSQL's NUMERIC keeps no positive exponent).
	if got.Amount.Valid != want.Amount.Valid {
		diffs = append(diffs, fmt.Sprintf("amount %v, want %v", got.Amount, want.Amount))
	} else if want.Amount.Valid {
		if d := sameValue(got.Amount.Decimal, want.Amount.Decimal, false, false); d != "" {
			diffs = append(diffs, "amount "+d)
		}
	}
	if len(got.Attrs) != len(want.Attrs) {
		diffs = append(diffs, fmt.Sprintf("attributes %v, want %v", got.Attrs, want.Attrs))
	}
	for k, w := range want.Attrs {
		if d := sameValue(got.Attrs[k], w, ints, rfc); d != "" {
			diffs = append(diffs, fmt.Sprintf("attribute %q: %s", k, d))
		}
	}
	return strings.Join(diffs, "; ")
}

// TestExactTrack checks that a track store gives back each batch it
// committed exactly (rapid), by Load and by LoadAfter (a restart's): every version of every id, corrected in one
// batch and across batches, retracted, with its known instant; times to
// the nanosecond in their offset, decimals with their exponent, ints at
// int64's limits, text of any character.
func TestExactTrack(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	ts := trackStore(t, s)
	rapid.Check(t, func(t *rapid.T) {
		for _, table := range []string{"goalkit_track_events", "goalkit_track_ledger", "goalkit_track_closed", "goalkit_track_batches"} {
			if _, err := s.DB().ExecContext(ctx, "DELETE FROM "+table); err != nil {
				t.Fatal(err)
			}
		}
		ids := []string{"e1", "e2", "é 3"}
		var want []*kpi.TrackBatch
		for i := range rapid.IntRange(1, 3).Draw(t, "batches") {
			b := &kpi.TrackBatch{}
			for j := range rapid.IntRange(1, 4).Draw(t, fmt.Sprint("batch ", i, " events")) {
				b.Events = append(b.Events, exactEvent(t, fmt.Sprint("batch ", i, " event ", j), ids))
			}
			if err := ts.Commit(ctx, b); err != nil {
				t.Fatalf("batch %d: %v", i, err)
			}
			want = append(want, b)
		}
		check := func(what string, load func(context.Context, func(*kpi.TrackBatch) error) error, want []*kpi.TrackBatch) {
			var got []*kpi.TrackBatch
			if err := load(ctx, func(b *kpi.TrackBatch) error {
				got = append(got, b)
				return nil
			}); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if len(got) != len(want) {
				t.Fatalf("%s: %d batches, want %d", what, len(got), len(want))
			}
			for i := range want {
				if len(got[i].Events) != len(want[i].Events) {
					t.Fatalf("%s: batch %d: %d events, want %d", what, i, len(got[i].Events), len(want[i].Events))
				}
				for j := range want[i].Events {
					if d := sameEvent(&got[i].Events[j], &want[i].Events[j], true, true); d != "" {
						t.Fatalf("%s: batch %d, event %d: %s", what, i, j, d)
					}
				}
			}
		}
		check("load", ts.Load, want)
		// A restart's read of the batches after the first n.
		n := rapid.IntRange(0, len(want)).Draw(t, "after")
		check(fmt.Sprint("load after ", n), func(ctx context.Context, fn func(*kpi.TrackBatch) error) error {
			return ts.LoadAfter(ctx, int64(n), fn)
		}, want[n:])
	})
}

// TestExactScan checks that events applied to the own table are scanned
// back exactly (rapid): the current version of each id, its amount and its
// attributes' numbers as decimals with their exponent (an int64 as one of
// exponent 0), times to the nanosecond in their offset, text of any
// character; and, in half the cases, that a push over them declines or
// answers their aggregate (exactPush).
func TestExactScan(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	rapid.Check(t, func(t *rapid.T) {
		if _, err := s.DB().ExecContext(ctx, "DELETE FROM goalkit_events"); err != nil {
			t.Fatal(err)
		}
		ids := []string{"e1", "e2", "é 3"}
		current := map[string]kpi.Event{}
		for i := range rapid.IntRange(1, 3).Draw(t, "batches") {
			var batch []kpi.Event
			for j := range rapid.IntRange(1, 4).Draw(t, fmt.Sprint("batch ", i, " events")) {
				batch = append(batch, exactEvent(t, fmt.Sprint("batch ", i, " event ", j), ids))
			}
			if err := s.Apply(ctx, batch...); err != nil {
				t.Fatalf("batch %d: %v", i, err)
			}
			keepCurrent(current, batch)
		}
		sameCurrent(t, s, current, func(got, want *kpi.Event) string {
			w := *want
			w.Known = time.Time{} // the own table's scan gives no known instant
			got.Known = time.Time{}
			return sameEvent(got, &w, false, true)
		})
		// A push costs the statements of a scan again: half the cases.
		if rapid.Bool().Draw(t, "push") {
			exactPush(t, s, current)
		}
	})
}

// exactPush checks Push over the own table's current events, of every
// amount an event may have (exponents to ±1000, places kept: text of more
// than 1000 characters in SQLite among them; coefficients past int64):
// a count and a sum of the amount, filtered by the amount or not, over every
// instant an event may have or a part of them, decline or answer what
// aggregating the events gives (adaptertest.CheckPush), and a count with
// no filter is answered.
func exactPush(t *rapid.T, s *sqlcore.Store, current map[string]kpi.Event) {
	ctx := context.Background()
	var events []kpi.Event
	for _, id := range slices.Sorted(maps.Keys(current)) {
		events = append(events, current[id])
	}
	lo, hi := time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC)
	if rapid.Bool().Draw(t, "part") {
		a, b := exactTime(t, "bound"), exactTime(t, "bound 2")
		if b.Before(a) {
			a, b = b, a
		}
		lo, hi = a, b.Add(time.Nanosecond)
	}
	bounds := []time.Time{lo, hi}
	var kinds []string
	if rapid.Bool().Draw(t, "kinds") {
		kinds = []string{rapid.SampledFrom([]string{"deal", "call", "Звонок"}).Draw(t, "kind")}
	}
	sum := kpi.PushQuery{Bounds: bounds, Kinds: kinds, Value: "amount"}
	if op := rapid.SampledFrom([]string{"", "<", "<=", "==", "!=", ">=", ">"}).Draw(t, "op"); op != "" {
		c := formula.Const{Value: formula.Number(exactDecimal(t, "constant"))}
		sum.Where = formula.Compare{Op: op, L: formula.Ident{Name: "amount", Type: formula.TypeNumber}, R: c}
	}
	for _, q := range []kpi.PushQuery{{Bounds: bounds, Kinds: kinds}, sum} {
		answered, err := adaptertest.CheckPush(ctx, s, events, q)
		if err != nil {
			t.Fatal(err)
		}
		if q.Value == "" && !answered {
			t.Fatalf("a count over %d events is declined", len(events))
		}
	}
}

// TestDecimalPlaces checks, by hand, that a decimal applied to the own
// table, as an attribute and as the amount, scans back with its places,
// and that a track store loads the amount of a batch with its places: 0.0
// after a 0 of another event as 0.0, 1.00 as 1.00, 1500.00 as 1500.00,
// 1.10 as 1.10, 1e-30 as itself; 1e3 as 1000 (JSON and NUMERIC keep no
// positive exponent). Scan gave 0, 1, 1500 and 1.1 for 0.0, 1.00, 1500.00
// and 1.10, an attribute's before an amount's.
func TestDecimalPlaces(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	at := time.Date(2025, 3, 14, 10, 0, 0, 0, time.UTC)
	values := map[string]decimal.Decimal{
		"zero":       decimal.New(0, 0),
		"zero_place": decimal.New(0, -1),
		"one_cents":  decimal.New(100, -2),
		"deal_cents": decimal.New(150000, -2),
		"one_ten":    decimal.New(110, -2),
		"tiny":       decimal.New(1, -30),
		"thousand":   decimal.New(1, 3),
	}
	want := map[string]string{"zero": "0 0", "zero_place": "0 -1", "one_cents": "100 -2", "deal_cents": "150000 -2", "one_ten": "110 -2", "tiny": "1 -30", "thousand": "1000 0"}
	ids := slices.Sorted(maps.Keys(values))
	var batch kpi.TrackBatch
	for _, id := range ids {
		v := values[id]
		e := kpi.Event{ID: id, Kind: "deal", Actor: "u1", Time: at, Amount: decimal.NewNullDecimal(v), Attrs: map[string]any{"x": v}}
		if err := s.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
		batch.Events = append(batch.Events, e)
	}
	check := func(what string, e *kpi.Event, d decimal.Decimal, ok bool) {
		if got := fmt.Sprint(d.Coefficient(), " ", d.Exponent()); !ok || got != want[e.ID] {
			t.Errorf("%s: event %s: %v (coefficient and exponent %s), want %s", what, e.ID, d, got, want[e.ID])
		}
	}
	n := 0
	err := s.Scan(ctx, kpi.Query{}, func(e *kpi.Event) error {
		n++
		x, ok := e.Attrs["x"].(decimal.Decimal)
		check("scan: attribute x", e, x, ok)
		check("scan: amount", e, e.Amount.Decimal, e.Amount.Valid)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(values) {
		t.Errorf("scan: %d events, want %d", n, len(values))
	}
	ts := trackStore(t, s)
	if err := ts.Commit(ctx, &batch); err != nil {
		t.Fatal(err)
	}
	n = 0
	if err := ts.Load(ctx, func(b *kpi.TrackBatch) error {
		for i := range b.Events {
			n++
			check("track store: amount", &b.Events[i], b.Events[i].Amount.Decimal, b.Events[i].Amount.Valid)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n != len(values) {
		t.Errorf("track store: %d events, want %d", n, len(values))
	}
}

// sameRestored is sameEvent for a tracker's events after a restart: the
// time is the same instant (a tracker's table gives it in its calendar's
// zone); the amount the same value, with the places it was applied with
// or at the table's scale (two to nine places); a time attribute whose offset RFC 3339 cannot write is the same
// instant in UTC (replayed from the batches) or, where the event's version
// was restored from a snapshot, in that offset.
func sameRestored(got, want *kpi.Event) string {
	w := *want
	if w.Time.Equal(got.Time) {
		w.Time = got.Time // the table's zone: it keeps the instant
	}
	if a, g := w.Amount.Decimal, got.Amount.Decimal; w.Amount.Valid && got.Amount.Valid && g.Equal(a) &&
		(g.Exponent() <= min(a.Exponent(), 0) || g.Exponent() >= -9 && g.Exponent() <= -2) {
		// The table gives an amount at its scale, two to nine places,
		// or with its own places past them: places added, none lost but
		// the trailing zeros past nine places of an amount its scale
		// holds.
		w.Amount = got.Amount
	}
	d := sameEvent(got, &w, true, true)
	if d != "" && sameEvent(got, &w, true, false) == "" {
		return ""
	}
	return d
}

// TestExactRestart checks that a tracker restarted on the database (from
// its latest snapshot and the batches after it, or from every batch)
// holds every value its events had (rapid): each id's current version,
// corrected and retracted in one batch and across batches, exactly as
// TestExactTrack has the store keep it.
func TestExactRestart(t *testing.T, open OpenAgain) {
	ctx := context.Background()
	set, req := crashSet(t)
	s, _ := open(t) // one database: a restart is a tracker on a new TrackStore
	rapid.Check(t, func(rt *rapid.T) {
		for _, table := range []string{"goalkit_track_snapshot_chunks", "goalkit_track_snapshots", "goalkit_track_pruned", "goalkit_track_lease",
			"goalkit_track_events", "goalkit_track_ledger", "goalkit_track_closed", "goalkit_track_batches"} {
			if _, err := s.DB().ExecContext(ctx, "DELETE FROM "+table); err != nil {
				rt.Fatal(err)
			}
		}
		tr, err := set.Track(ctx, req, trackStore(t, s))
		if err != nil {
			rt.Fatal(err)
		}
		ids := []string{"e1", "e2", "é 3"}
		current := map[string]kpi.Event{}
		batches := rapid.IntRange(1, 4).Draw(rt, "batches")
		snap := rapid.IntRange(-1, batches-1).Draw(rt, "snapshot after")
		for i := range batches {
			b := &kpi.TrackBatch{}
			for j := range rapid.IntRange(1, 4).Draw(rt, fmt.Sprint("batch ", i, " events")) {
				e := exactEvent(rt, fmt.Sprint("batch ", i, " event ", j), ids)
				e.Known = time.Date(2025, 4, 1, i, j, 0, 0, time.UTC)
				b.Events = append(b.Events, e)
			}
			if err := tr.Commit(ctx, b); err != nil {
				rt.Fatalf("batch %d: %v", i, err)
			}
			keepCurrent(current, b.Events)
			if i == snap {
				if err := tr.Snapshot(ctx); err != nil {
					rt.Fatal(err)
				}
			}
		}
		if err := tr.Close(); err != nil {
			rt.Fatal(err)
		}
		restarted, err := set.Track(ctx, req, trackStore(t, s))
		if err != nil {
			rt.Fatal(err)
		}
		defer restarted.Close()
		sameCurrent(rt, restarted, current, sameRestored)
	})
}

// keepCurrent applies events to current, each id's current version.
func keepCurrent(current map[string]kpi.Event, events []kpi.Event) {
	for _, e := range events {
		if e.Deleted {
			delete(current, e.ID)
		} else {
			current[e.ID] = e
		}
	}
}

// sameCurrent checks that src scans the events of current, each once and
// as same tells.
func sameCurrent(t *rapid.T, src kpi.Source, current map[string]kpi.Event, same func(got, want *kpi.Event) string) {
	seen := map[string]bool{}
	if err := src.Scan(context.Background(), kpi.Query{}, func(e *kpi.Event) error {
		w, ok := current[e.ID]
		if !ok || seen[e.ID] {
			return fmt.Errorf("event %q scanned, not current or twice", e.ID)
		}
		seen[e.ID] = true
		if d := same(e, &w); d != "" {
			return fmt.Errorf("event %q: %s", e.ID, d)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != len(current) {
		t.Fatalf("%d events scanned, want %d", len(seen), len(current))
	}
}
