// Package sqlcoretest holds the tests every SQL adapter runs against a real
// database: Scan returns what was applied, a failed batch applies nothing,
// and Push equals the same aggregation done by scanning, for random events
// and random filters.
package sqlcoretest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// Open returns an empty store for one test case.
type Open func(t testing.TB) *sqlcore.Store

var base = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

var (
	kinds  = []string{"deal.won", "deal.created", "call"}
	actors = []string{"", "u1", "u2", "u3"}
	curs   = []string{"", "RUB", "USD"}
	srcs   = []string{"web", "partner", "x", "Web"}
)

func genDecimal(t *rapid.T, label string) decimal.Decimal {
	exp := rapid.SampledFrom([]int32{0, -1, -2, -2, -5}).Draw(t, label+".exp")
	return decimal.New(rapid.Int64Range(-100000, 1000000).Draw(t, label+".mant"), exp)
}

func genTime(t *rapid.T, label string) time.Time {
	ts := base.Add(time.Duration(rapid.Int64Range(0, 10*24*3600).Draw(t, label)) * time.Second)
	off := rapid.SampledFrom([]int{0, 3 * 3600, -5 * 3600}).Draw(t, label+".off")
	return ts.In(time.FixedZone("", off))
}

func genEvent(t *rapid.T) kpi.Event {
	e := kpi.Event{ID: fmt.Sprintf("e%d", rapid.IntRange(0, 40).Draw(t, "id"))}
	if rapid.IntRange(0, 9).Draw(t, "del") == 0 {
		e.Deleted = true
		return e
	}
	e.Kind = rapid.SampledFrom(kinds).Draw(t, "kind")
	e.Time = genTime(t, "time")
	e.Actor = rapid.SampledFrom(actors).Draw(t, "actor")
	if rapid.Bool().Draw(t, "hasAmount") {
		e.Amount = decimal.NewNullDecimal(genDecimal(t, "amount"))
	}
	e.Currency = rapid.SampledFrom(curs).Draw(t, "cur")
	e.Attrs = map[string]any{}
	switch rapid.IntRange(0, 4).Draw(t, "s") {
	case 0, 1, 2:
		e.Attrs["source"] = rapid.SampledFrom(srcs).Draw(t, "source")
	case 3:
		e.Attrs["source"] = int64(3)
	}
	switch rapid.IntRange(0, 3).Draw(t, "n") {
	case 0:
		e.Attrs["n"] = rapid.Int64Range(-5, 5).Draw(t, "nint")
	case 1:
		e.Attrs["n"] = genDecimal(t, "ndec")
	case 2:
		e.Attrs["n"] = "5"
	}
	switch rapid.IntRange(0, 2).Draw(t, "b") {
	case 0:
		e.Attrs["vip"] = rapid.Bool().Draw(t, "vip")
	case 1:
		e.Attrs["vip"] = "true"
	}
	if rapid.IntRange(0, 5).Draw(t, "t") == 0 {
		e.Attrs["closed"] = genTime(t, "closed")
	}
	return e
}

var idents = []formula.Ident{
	{Name: "kind", Type: formula.TypeString}, {Name: "actor", Type: formula.TypeString},
	{Name: "currency", Type: formula.TypeString}, {Name: "amount", Type: formula.TypeNumber},
	{Name: "source", Type: formula.TypeString}, {Name: "source", Type: formula.TypeAny},
	{Name: "n", Type: formula.TypeNumber}, {Name: "n", Type: formula.TypeAny},
	{Name: "vip", Type: formula.TypeBool}, {Name: "vip", Type: formula.TypeAny},
	{Name: "time", Type: formula.TypeTime}, {Name: "closed", Type: formula.TypeTime},
	{Name: "missing", Type: formula.TypeAny},
}

func genConst(t *rapid.T, typ formula.Type) formula.Value {
	if typ == formula.TypeAny {
		typ = rapid.SampledFrom([]formula.Type{formula.TypeString, formula.TypeNumber, formula.TypeBool}).Draw(t, "ctype")
	}
	switch typ {
	case formula.TypeString:
		pool := append(append(append([]string{}, srcs...), kinds...), actors[1:]...)
		return formula.String(rapid.SampledFrom(append(pool, curs[1:]...)).Draw(t, "cstr"))
	case formula.TypeNumber:
		return formula.Number(genDecimal(t, "cnum"))
	case formula.TypeBool:
		return formula.Bool(rapid.Bool().Draw(t, "cbool"))
	case formula.TypeTime:
		return formula.Time(genTime(t, "ctime"))
	}
	return formula.Undefined()
}

func genValueNode(t *rapid.T) (formula.Node, formula.Type) {
	id := rapid.SampledFrom(idents).Draw(t, "ident")
	if (id.Type == formula.TypeNumber || id.Name == "n") && rapid.IntRange(0, 3).Draw(t, "arith") == 0 {
		op := rapid.SampledFrom([]string{"+", "-", "*", "/"}).Draw(t, "aop")
		return formula.Arith{Op: op, L: id, R: formula.Const{Value: genConst(t, formula.TypeNumber)}}, formula.TypeNumber
	}
	return id, id.Type
}

// GenWhere draws a filter in the shapes of formula.Node.
func GenWhere(t *rapid.T, depth int) formula.Node {
	k := rapid.IntRange(0, 7).Draw(t, "shape")
	if depth <= 0 {
		k %= 3
	}
	switch k {
	case 0, 1:
		l, typ := genValueNode(t)
		op := rapid.SampledFrom([]string{"==", "!=", "<", "<=", ">", ">="}).Draw(t, "op")
		return formula.Compare{Op: op, L: l, R: formula.Const{Value: genConst(t, typ)}}
	case 2:
		l, typ := genValueNode(t)
		n := rapid.IntRange(0, 3).Draw(t, "nlist")
		var list []formula.Value
		for range n {
			list = append(list, genConst(t, typ))
		}
		return formula.In{X: l, List: list, Not: rapid.Bool().Draw(t, "not")}
	case 3:
		return formula.And{L: GenWhere(t, depth-1), R: GenWhere(t, depth-1)}
	case 4:
		return formula.Or{L: GenWhere(t, depth-1), R: GenWhere(t, depth-1)}
	case 5:
		return formula.Not{X: GenWhere(t, depth-1)}
	case 6:
		return rapid.SampledFrom([]formula.Ident{{Name: "vip", Type: formula.TypeBool}, {Name: "vip", Type: formula.TypeAny}}).Draw(t, "boolident")
	}
	a, _ := genValueNode(t)
	b, _ := genValueNode(t)
	return formula.Compare{Op: rapid.SampledFrom([]string{"==", "!=", "<"}).Draw(t, "op2"), L: a, R: b}
}

func attrValue(v any) formula.Value {
	switch x := v.(type) {
	case string:
		return formula.String(x)
	case int64:
		return formula.Int(x)
	case bool:
		return formula.Bool(x)
	case decimal.Decimal:
		return formula.Number(x)
	case time.Time:
		return formula.Time(x)
	}
	return formula.Undefined()
}

// Scope exposes an event to formulas as the engine does.
func Scope(e *kpi.Event) formula.Scope {
	return formula.ScopeFunc(func(r formula.Ref) formula.Value {
		if r.Back != 0 || r.Func {
			return formula.Undefined()
		}
		switch r.Name {
		case "kind":
			return formula.String(e.Kind)
		case "id":
			return formula.String(e.ID)
		case "actor":
			if e.Actor == "" {
				return formula.Undefined()
			}
			return formula.String(e.Actor)
		case "currency":
			if e.Currency == "" {
				return formula.Undefined()
			}
			return formula.String(e.Currency)
		case "time":
			return formula.Time(e.Time)
		case "amount":
			if !e.Amount.Valid {
				return formula.Undefined()
			}
			return formula.Number(e.Amount.Decimal)
		}
		return attrValue(e.Attrs[r.Name])
	})
}

// Reference aggregates events (the live versions) as Push must.
func Reference(events []kpi.Event, q kpi.PushQuery) []kpi.PushRow {
	type key struct {
		a string
		b int
	}
	acc := map[key]*kpi.PushRow{}
	curs := map[key]map[string]bool{}
	qq := kpi.Query{Kinds: q.Kinds, From: q.Bounds[0], To: q.Bounds[len(q.Bounds)-1]}
	for i := range events {
		e := &events[i]
		if !qq.Matches(e) || (!q.AsOf.IsZero() && e.Time.After(q.AsOf)) {
			continue
		}
		if q.Where != nil {
			if b, _ := formula.EvalNode(q.Where, Scope(e)).Bool(); !b {
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
		v, ok := Scope(e).Lookup(formula.Ref{Name: q.Value}).Number()
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
	var out []kpi.PushRow
	for k, r := range acc {
		for c := range curs[k] {
			r.Currencies = append(r.Currencies, c)
		}
		sort.Strings(r.Currencies)
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Actor != out[j].Actor {
			return out[i].Actor < out[j].Actor
		}
		return out[i].Bucket < out[j].Bucket
	})
	return out
}

// Live is the final version of every live event after applying versions in order.
func Live(versions []kpi.Event) []kpi.Event {
	last := map[string]kpi.Event{}
	var order []string
	for _, e := range versions {
		if _, ok := last[e.ID]; !ok {
			order = append(order, e.ID)
		}
		last[e.ID] = e
	}
	var out []kpi.Event
	for _, id := range order {
		if e := last[id]; !e.Deleted {
			out = append(out, e)
		}
	}
	return out
}

func equalRows(a, b []kpi.PushRow) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Actor != y.Actor || x.Bucket != y.Bucket || x.Count != y.Count || x.N != y.N ||
			!x.Sum.Equal(y.Sum) || !x.Min.Equal(y.Min) || !x.Max.Equal(y.Max) || !slices.Equal(x.Currencies, y.Currencies) {
			return false
		}
	}
	return true
}

func genQuery(t *rapid.T) kpi.PushQuery {
	var q kpi.PushQuery
	if rapid.Bool().Draw(t, "allKinds") {
		q.Kinds = nil
	} else {
		q.Kinds = rapid.SliceOfDistinct(rapid.SampledFrom(kinds), rapid.ID[string]).Draw(t, "kinds")
	}
	if rapid.IntRange(0, 4).Draw(t, "hasWhere") > 0 {
		q.Where = GenWhere(t, 3)
	}
	q.Value = rapid.SampledFrom([]string{"", "amount", "n", "source"}).Draw(t, "value")
	n := rapid.IntRange(2, 6).Draw(t, "nbounds")
	for range n {
		q.Bounds = append(q.Bounds, base.Add(time.Duration(rapid.Int64Range(-1, 11).Draw(t, "bound"))*24*time.Hour))
	}
	slices.SortFunc(q.Bounds, func(a, b time.Time) int { return a.Compare(b) })
	if rapid.IntRange(0, 3).Draw(t, "hasAsOf") == 0 {
		q.AsOf = genTime(t, "asof")
	}
	return q
}

// TestPush checks, for random events and queries, that Push either declines
// or gives what aggregating the scanned events gives, and that Scan gives the
// live events.
func TestPush(t *testing.T, open Open) {
	ctx := context.Background()
	var asked, answered int
	s := open(t)
	rapid.Check(t, func(rt *rapid.T) {
		if _, err := s.DB().ExecContext(ctx, "DELETE FROM goalkit_events"); err != nil {
			rt.Fatal(err)
		}
		versions := rapid.SliceOfN(rapid.Custom(genEvent), 0, 60).Draw(rt, "events")
		if err := s.Apply(ctx, versions...); err != nil {
			rt.Fatalf("apply: %v", err)
		}
		live := Live(versions)
		var scanned []kpi.Event
		if err := s.Scan(ctx, kpi.Query{}, func(e *kpi.Event) error {
			scanned = append(scanned, e.Clone())
			return nil
		}); err != nil {
			rt.Fatalf("scan: %v", err)
		}
		if len(scanned) != len(live) {
			rt.Fatalf("scan: %d events, want %d", len(scanned), len(live))
		}
		for range 5 {
			q := genQuery(rt)
			rows, ok, err := s.Push(ctx, q)
			if err != nil {
				rt.Fatalf("push %#v: %v", q, err)
			}
			asked++
			if !ok {
				continue
			}
			answered++
			// The reference runs over the scanned events: Scan's own
			// correctness is checked against the applied versions below.
			want := Reference(scanned, q)
			if !equalRows(rows, want) {
				rt.Fatalf("push %#v:\n got %+v\nwant %+v", q, rows, want)
			}
			if want2 := Reference(live, q); !equalRows(want, want2) {
				rt.Fatalf("scan differs from the applied events for %#v:\n scanned %+v\n applied %+v", q, want, want2)
			}
		}
	})
	t.Logf("push answered %d of %d queries", answered, asked)
	if answered*2 < asked {
		t.Errorf("push answered only %d of %d queries", answered, asked)
	}
}

// TestApply checks that a batch with a bad event applies nothing, and that
// corrections and retractions work.
func TestApply(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	t0 := time.Date(2025, 1, 2, 3, 4, 5, 600, time.FixedZone("", 3*3600))
	good := kpi.Event{ID: "a", Kind: "deal.won", Time: t0, Actor: "u1", Amount: decimal.NewNullDecimal(decimal.RequireFromString("1234.50")),
		Currency: "RUB", Attrs: map[string]any{"source": "web", "n": decimal.RequireFromString("1.25"), "ok": true, "at": t0.UTC()}}
	if err := s.Apply(ctx, good, kpi.Event{ID: "b", Time: t0}); err == nil {
		t.Fatal("a batch with an event without a kind was applied")
	}
	var n int
	count := func() int {
		n = 0
		if err := s.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if c := count(); c != 0 {
		t.Fatalf("after a failed batch: %d events, want 0", c)
	}
	b := good
	b.ID = "b"
	if err := s.Apply(ctx, good, b); err != nil {
		t.Fatal(err)
	}
	var got []kpi.Event
	_ = s.Scan(ctx, kpi.Query{Kinds: []string{"deal.won"}, From: t0, To: t0.Add(1)}, func(e *kpi.Event) error {
		got = append(got, e.Clone())
		return nil
	})
	if len(got) != 2 {
		t.Fatalf("scan: %d events, want 2", len(got))
	}
	e := got[0]
	if e.ID == "b" {
		e = got[1]
	}
	if !e.Time.Equal(t0) || e.Time.Format(time.RFC3339Nano) != t0.Format(time.RFC3339Nano) || e.Actor != "u1" || !e.Amount.Decimal.Equal(good.Amount.Decimal) ||
		e.Currency != "RUB" || !reflect.DeepEqual(e.Attrs["source"], "web") || !e.Attrs["n"].(decimal.Decimal).Equal(decimal.RequireFromString("1.25")) ||
		e.Attrs["ok"] != true || !e.Attrs["at"].(time.Time).Equal(t0) {
		t.Fatalf("round trip: got %+v, want %+v", e, good)
	}
	c := good
	c.Kind = "deal.lost"
	if err := s.Apply(ctx, c, kpi.Event{ID: "b", Deleted: true}); err != nil {
		t.Fatal(err)
	}
	got = nil
	_ = s.Scan(ctx, kpi.Query{}, func(e *kpi.Event) error { got = append(got, e.Clone()); return nil })
	if len(got) != 1 || got[0].Kind != "deal.lost" {
		t.Fatalf("after a correction and a retraction: %+v", got)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Scan(cctx, kpi.Query{}, func(*kpi.Event) error { return nil }); err != context.Canceled {
		t.Fatalf("scan with a cancelled context: %v, want context.Canceled", err)
	}
}
