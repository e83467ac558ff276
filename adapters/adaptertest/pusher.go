package adaptertest

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// TestPusher checks that the sources h opens implement kpi.Pusher: for
// random streams of event versions and random queries (kinds, filters in
// every shape of formula.Node the engine pushes, with no arithmetic but a
// negation, as kpi.PushQuery.Where says; values, bounds, as-of instants), Push either
// declines or answers what aggregating the live events gives (see
// CheckPush). Push must answer at least h.MinPushed of the queries, and at
// least one. A few fixed cases check the edges of buckets and as-of first.
// With Harness.Unchecked, random events among which some have a field a
// scan refuses (an id, an actor, a kind, a currency, an attribute name)
// check that a push agrees with a scan of its kinds and range: where the
// scan is refused, the push declines or is refused, never answering.
//
// TestPusher relies on Scan only for that check; run TestSource for Scan.
func TestPusher[S kpi.Pusher](t *testing.T, h Harness[S]) {
	ctx := context.Background()
	t.Run("edges", func(t *testing.T) {
		b0, b1, b2 := t0, t0.Add(24*time.Hour), t0.Add(48*time.Hour)
		at := func(id, actor string, ts time.Time, amount, cur string) kpi.Event {
			e := kpi.Event{ID: id, Kind: "deal.won", Time: ts, Actor: actor, Currency: cur, Attrs: map[string]any{"n": int64(len(id))}}
			if amount != "" {
				e.Amount = dec(amount)
			}
			return e
		}
		versions := []kpi.Event{
			at("before", "ann", b0.Add(-time.Nanosecond), "1", "RUB"),
			at("first", "ann", b0, "2.50", "RUB"),
			at("first utc", "ann", b0.UTC(), "3", "USD"),
			at("no currency", "ann", b0.Add(time.Hour), "4", ""),
			at("no amount", "ann", b0.Add(time.Hour), "", "EUR"),
			at("last", "bob", b1.Add(-time.Nanosecond), "-5", "RUB"),
			at("second", "bob", b1, "6", "RUB"),
			at("end", "bob", b2, "7", "RUB"),
			at("gone", "bob", b1, "100", "RUB"),
			{ID: "gone", Deleted: true},
			at("moved", "cid", b2.Add(time.Hour), "8", "RUB"),
			at("moved", "ann", b1.Add(time.Hour), "9", "USD"),
			// An actor past ASCII, and one with a "*": a store may read
			// their rows whatever the filter, to find actors no event has.
			at("cyrillic", "кир", b0.Add(2*time.Hour), "1", "RUB"),
			at("cyrillic 2", "кир", b0.Add(3*time.Hour), "5", "RUB"),
			at("star", "a*b", b0.Add(2*time.Hour), "1", "RUB"),
		}
		src := openFilled(t, h, versions)
		events := goalkittest.Final(versions)
		for _, q := range []kpi.PushQuery{
			{Bounds: []time.Time{b0, b1, b2}},
			{Bounds: []time.Time{b0, b1, b2}, Value: "amount"},
			{Bounds: []time.Time{b0, b1, b2}, Value: "n", Where: formula.Compare{Op: ">", L: formula.Ident{Name: "amount", Type: formula.TypeNumber}, R: formula.Const{Value: formula.Int(2)}}},
			{Bounds: []time.Time{b0.UTC(), b1.In(time.FixedZone("", -9*3600)), b2}, Value: "amount", Kinds: []string{"deal.won", "call"}},
			{Bounds: []time.Time{b0, b2}, Value: "amount", AsOf: b1},
			{Bounds: []time.Time{b0, b1, b2}, Value: "amount", AsOf: b0},
			{Bounds: []time.Time{b0, b1, b1, b2}, Value: "amount"},
			{Bounds: []time.Time{b0, b2}, Kinds: []string{"call"}},
			{Bounds: []time.Time{b0, b2}, Kinds: []string{}},
		} {
			if _, err := CheckPush(ctx, src, events, q); err != nil {
				t.Error(err)
			}
		}
	})
	t.Run("random", func(t *testing.T) {
		var asked, answered int
		w := newWindow(t)
		rapid.Check(t, func(rt *rapid.T) {
			versions := genVersions(rt, w)
			src := openFilled(propT{t, rt}, h, genBatches(rt, versions)...)
			events := goalkittest.Final(versions)
			for range 5 {
				q := genPushQuery(rt, w)
				ok, err := CheckPush(ctx, src, events, q)
				if err != nil {
					rt.Fatal(err)
				}
				asked++
				if ok {
					answered++
				}
			}
		})
		t.Logf("push answered %d of %d queries", answered, asked)
		if least := max(int(math.Ceil(h.MinPushed*float64(asked))), 1); answered < least {
			t.Errorf("push answered %d of %d queries, want at least %d (MinPushed %v)", answered, asked, least, h.MinPushed)
		}
	})
	t.Run("refused rows", func(t *testing.T) {
		if h.Unchecked == nil {
			t.Skip("Harness.Unchecked is nil: the store cannot hold rows a scan refuses")
		}
		w := newWindow(t)
		rapid.Check(t, func(rt *rapid.T) {
			events := goalkittest.Final(genVersions(rt, w))
			events = append(events, genRefused(rt, w)...)
			src := h.Open(propT{t, rt})
			if err := h.Unchecked(ctx, src, events...); err != nil {
				rt.Fatalf("Harness.Unchecked: %v", err)
			}
			for range 3 {
				q := genPushQuery(rt, w)
				if err := checkAgrees(ctx, src, events, q); err != nil {
					rt.Fatal(err)
				}
			}
		})
	})
}

// genRefused draws up to three events of the window that a scan refuses,
// each for one field no event may have: an id, an actor, a kind, a
// currency, an attribute name.
func genRefused(t *rapid.T, w window) []kpi.Event {
	var out []kpi.Event
	for i := range rapid.IntRange(0, 3).Draw(t, "refused") {
		e := kpi.Event{ID: fmt.Sprint("refused ", i), Kind: rapid.SampledFrom(kinds).Draw(t, "refused.kind"),
			Time: w.instant(t, "refused.time"), Actor: rapid.SampledFrom(actors[1:]).Draw(t, "refused.actor"),
			Amount: dec("7"), Currency: "RUB", Attrs: map[string]any{"source": "web"}}
		switch rapid.IntRange(0, 6).Draw(t, "refused.field") {
		case 0:
			e.ID = "x\x1b" + e.ID
		case 1:
			e.Actor = "*"
		case 2:
			e.Actor = "u\u0085"
		case 3:
			e.Kind += "\x1b"
		case 4:
			e.Currency = "RU\x01B"
		case 5:
			e.Attrs["re\x1bgion"] = "north"
		case 6:
			e.Attrs[""] = "north"
		}
		out = append(out, e)
	}
	return out
}

// checkAgrees checks that a push of q over src, which holds events (some
// of which a scan refuses), agrees with a scan of q's kinds and range:
// where the scan is refused, the push declines or is refused, never
// answering; where the scan passes, the push declines or answers what
// aggregating events gives (CheckPush).
func checkAgrees(ctx context.Context, src kpi.Pusher, events []kpi.Event, q kpi.PushQuery) error {
	if len(q.Bounds) < 2 {
		return nil
	}
	_, scanErr := scanAll(src, kpi.Query{Kinds: q.Kinds, From: q.Bounds[0], To: q.Bounds[len(q.Bounds)-1]})
	if scanErr == nil {
		_, err := CheckPush(ctx, src, events, q)
		return err
	}
	rows, ok, err := src.Push(ctx, q)
	if ok && err == nil {
		return fmt.Errorf("push %s answered %+v where a scan of its range was refused: %v", formatPushQuery(q), rows, scanErr)
	}
	return nil
}

// CheckPush asks p to push q and compares its answer with the aggregation
// of events, which must be the live events p holds (the current version of
// each, retractions left out). It reports whether p answered; an error from
// Push, or an answer that differs from the aggregation, is an error.
//
// The answer is compared as the engine reads it: in any order, rows of the
// same actor and bucket merged, currencies as a set, numbers by value. The
// aggregation follows kpi.PushQuery and kpi.PushRow: events of q.Kinds (nil
// means all) for which q.Where holds (with formula.EvalNode's semantics),
// not after q.AsOf when it is set, in bucket i when Bounds[i] <= time <
// Bounds[i+1]; per actor and bucket the count, and over the events whose
// q.Value is a number, their count N, Sum, Min and Max, and with Value
// "amount" the currencies of those amounts.
func CheckPush(ctx context.Context, p kpi.Pusher, events []kpi.Event, q kpi.PushQuery) (answered bool, err error) {
	rows, ok, err := p.Push(ctx, q)
	if err != nil {
		return false, fmt.Errorf("push %s: %w", formatPushQuery(q), err)
	}
	if !ok {
		return false, nil
	}
	got, bad := normalize(rows)
	if bad != "" {
		return true, fmt.Errorf("push %s: %s", formatPushQuery(q), bad)
	}
	want := aggregate(events, q)
	if d := rowsDiff(got, want); d != "" {
		return true, fmt.Errorf("push %s differs from the aggregation of the live events:%s", formatPushQuery(q), d)
	}
	return true, nil
}

// aggregate is the reference for Push over the live events.
func aggregate(events []kpi.Event, q kpi.PushQuery) []kpi.PushRow {
	if len(q.Bounds) < 2 {
		return nil
	}
	type key struct {
		actor  string
		bucket int
	}
	acc := map[key]*kpi.PushRow{}
	curs := map[key]map[string]bool{}
	for i := range events {
		e := &events[i]
		if q.Kinds != nil && !slices.Contains(q.Kinds, e.Kind) {
			continue
		}
		if e.Time.Before(q.Bounds[0]) || !e.Time.Before(q.Bounds[len(q.Bounds)-1]) {
			continue
		}
		if !q.AsOf.IsZero() && e.Time.After(q.AsOf) {
			continue
		}
		if q.Where != nil {
			if b, _ := formula.EvalNode(q.Where, scope(e)).Bool(); !b {
				continue
			}
		}
		b := sort.Search(len(q.Bounds), func(i int) bool { return q.Bounds[i].After(e.Time) }) - 1
		k := key{e.Actor, b}
		r := acc[k]
		if r == nil {
			r = &kpi.PushRow{Actor: e.Actor, Bucket: b}
			acc[k] = r
			curs[k] = map[string]bool{}
		}
		r.Count++
		if q.Value == "" {
			continue
		}
		v, ok := scope(e).Lookup(formula.Ref{Name: q.Value}).Number()
		if !ok {
			continue
		}
		if r.N == 0 || v.LessThan(r.Min) {
			r.Min = v
		}
		if r.N == 0 || v.GreaterThan(r.Max) {
			r.Max = v
		}
		r.N++
		r.Sum = r.Sum.Add(v)
		if q.Value == "amount" && e.Currency != "" {
			curs[k][e.Currency] = true
		}
	}
	out := make([]kpi.PushRow, 0, len(acc))
	for k, r := range acc {
		for c := range curs[k] {
			r.Currencies = append(r.Currencies, c)
		}
		slices.Sort(r.Currencies)
		out = append(out, *r)
	}
	sortRows(out)
	return out
}

// normalize merges rows of the same actor and bucket, as the engine does,
// sorts them, and reports a row that no scan could give.
func normalize(rows []kpi.PushRow) ([]kpi.PushRow, string) {
	type key struct {
		actor  string
		bucket int
	}
	at := map[key]int{}
	var out []kpi.PushRow
	for _, r := range rows {
		if r.N < 0 || r.N > r.Count {
			return nil, fmt.Sprintf("row %+v: N outside [0, Count]", r)
		}
		if r.N == 0 && (!r.Sum.IsZero() || !r.Min.IsZero() || !r.Max.IsZero()) {
			return nil, fmt.Sprintf("row %+v: no values, but Sum, Min or Max is not zero", r)
		}
		r.Currencies = slices.Clone(r.Currencies)
		k := key{r.Actor, r.Bucket}
		i, ok := at[k]
		if !ok {
			at[k] = len(out)
			out = append(out, r)
			continue
		}
		m := &out[i]
		if r.N > 0 {
			if m.N == 0 || r.Min.LessThan(m.Min) {
				m.Min = r.Min
			}
			if m.N == 0 || r.Max.GreaterThan(m.Max) {
				m.Max = r.Max
			}
		}
		m.Count += r.Count
		m.N += r.N
		m.Sum = m.Sum.Add(r.Sum)
		m.Currencies = append(m.Currencies, r.Currencies...)
	}
	for i := range out {
		slices.Sort(out[i].Currencies)
		out[i].Currencies = slices.Compact(out[i].Currencies)
	}
	sortRows(out)
	return out, ""
}

func sortRows(rows []kpi.PushRow) {
	slices.SortFunc(rows, func(a, b kpi.PushRow) int {
		if c := strings.Compare(a.Actor, b.Actor); c != 0 {
			return c
		}
		return a.Bucket - b.Bucket
	})
}

// rowsDiff compares sorted rows.
func rowsDiff(got, want []kpi.PushRow) string {
	var b strings.Builder
	i, j := 0, 0
	for i < len(got) || j < len(want) {
		switch {
		case j == len(want) || i < len(got) && (got[i].Actor < want[j].Actor || got[i].Actor == want[j].Actor && got[i].Bucket < want[j].Bucket):
			fmt.Fprintf(&b, "\n  extra row %s", formatRow(got[i]))
			i++
		case i == len(got) || got[i].Actor != want[j].Actor || got[i].Bucket != want[j].Bucket:
			fmt.Fprintf(&b, "\n  missing row %s", formatRow(want[j]))
			j++
		default:
			if !sameRow(got[i], want[j]) {
				fmt.Fprintf(&b, "\n  got  %s\n  want %s", formatRow(got[i]), formatRow(want[j]))
			}
			i++
			j++
		}
	}
	return b.String()
}

func sameRow(x, y kpi.PushRow) bool {
	return x.Count == y.Count && x.N == y.N && x.Sum.Equal(y.Sum) && x.Min.Equal(y.Min) && x.Max.Equal(y.Max) &&
		slices.Equal(x.Currencies, y.Currencies)
}

func formatRow(r kpi.PushRow) string {
	return fmt.Sprintf("{actor %q bucket %d count %d n %d sum %s min %s max %s currencies %q}",
		r.Actor, r.Bucket, r.Count, r.N, r.Sum, r.Min, r.Max, r.Currencies)
}

func formatPushQuery(q kpi.PushQuery) string {
	var b strings.Builder
	if q.Kinds == nil {
		b.WriteString("{every kind")
	} else {
		fmt.Fprintf(&b, "{kinds %q", q.Kinds)
	}
	if q.Where != nil {
		fmt.Fprintf(&b, ", where %s", formatNode(q.Where))
	}
	if q.Value != "" {
		fmt.Fprintf(&b, ", value %q", q.Value)
	}
	b.WriteString(", bounds [")
	for i, t := range q.Bounds {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(t.Format(time.RFC3339Nano))
	}
	b.WriteString("]")
	if !q.AsOf.IsZero() {
		fmt.Fprintf(&b, ", as of %s", q.AsOf.Format(time.RFC3339Nano))
	}
	b.WriteString("}")
	return b.String()
}

// formatNode writes a filter as an expression; a name typed other than any
// shows its type: source:string == "web".
func formatNode(n formula.Node) string {
	switch n := n.(type) {
	case formula.Ident:
		if n.Type == formula.TypeAny {
			return n.Name
		}
		return n.Name + ":" + n.Type.String()
	case formula.Const:
		return n.Value.String()
	case formula.Compare:
		return "(" + formatNode(n.L) + " " + n.Op + " " + formatNode(n.R) + ")"
	case formula.In:
		op := " in "
		if n.Not {
			op = " not in "
		}
		return "(" + formatNode(n.X) + op + formula.List(n.List...).String() + ")"
	case formula.And:
		return "(" + formatNode(n.L) + " && " + formatNode(n.R) + ")"
	case formula.Or:
		return "(" + formatNode(n.L) + " || " + formatNode(n.R) + ")"
	case formula.Not:
		return "!" + formatNode(n.X)
	case formula.Neg:
		return "-" + formatNode(n.X)
	}
	return fmt.Sprintf("%#v", n)
}
