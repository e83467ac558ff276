package adaptertest

import (
	"fmt"
	"slices"
	"time"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// The generators draw from small pools, so that random events collide: the
// same ID again (corrections, retractions, duplicates), the same kind, the
// same attribute value under different types.

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

// genTime draws an instant in the ten days after base, mostly in whole
// seconds, sometimes with nanoseconds, in UTC or at an offset: a source
// keeps the instant, whatever zone it gives it back in.
func genTime(t *rapid.T, label string) time.Time {
	ts := base.Add(time.Duration(rapid.Int64Range(0, 10*24*3600).Draw(t, label)) * time.Second)
	if rapid.IntRange(0, 3).Draw(t, label+".hasNanos") == 0 {
		ts = ts.Add(time.Duration(rapid.SampledFrom([]int64{1, 999, 1000, 123456789, 999999999}).Draw(t, label+".nanos")))
	}
	if off := rapid.SampledFrom([]int{0, 3, -5}).Draw(t, label+".offset"); off != 0 {
		return ts.In(time.FixedZone("", off*3600))
	}
	return ts
}

// genEvent draws one event version; about one in ten is a retraction.
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

// genVersions draws a stream of event versions: new events, corrections,
// retractions (some of IDs never seen), and exact duplicates of earlier
// versions.
func genVersions(t *rapid.T) []kpi.Event {
	n := rapid.IntRange(0, 60).Draw(t, "nversions")
	var out []kpi.Event
	for range n {
		if len(out) > 0 && rapid.IntRange(0, 7).Draw(t, "dup") == 0 {
			out = append(out, out[rapid.IntRange(0, len(out)-1).Draw(t, "dupOf")].Clone())
			continue
		}
		out = append(out, genEvent(t))
	}
	return out
}

// genBatches cuts versions into one to four consecutive batches, some of
// them empty.
func genBatches(t *rapid.T, versions []kpi.Event) [][]kpi.Event {
	cuts := rapid.SliceOfN(rapid.IntRange(0, len(versions)), 0, 3).Draw(t, "cuts")
	slices.Sort(cuts)
	var out [][]kpi.Event
	prev := 0
	for _, c := range cuts {
		out = append(out, versions[prev:c])
		prev = c
	}
	return append(out, versions[prev:])
}

// genQuery draws a scan query: every kind, some kinds (with one no event
// has), or none; bounds zero, at a drawn instant or at an event's own time,
// so that the edges of [From, To) are hit.
func genQuery(t *rapid.T, versions []kpi.Event) kpi.Query {
	var q kpi.Query
	switch rapid.IntRange(0, 5).Draw(t, "qkinds") {
	case 0, 1, 2:
	case 3, 4:
		q.Kinds = rapid.SliceOfNDistinct(rapid.SampledFrom(append([]string{"none"}, kinds...)), 1, 3, rapid.ID[string]).Draw(t, "kinds")
	case 5:
		q.Kinds = []string{}
	}
	bound := func(label string) time.Time {
		switch rapid.IntRange(0, 3).Draw(t, label) {
		case 0:
			return time.Time{}
		case 1:
			return genTime(t, label+".at")
		}
		var times []time.Time
		for _, e := range versions {
			if !e.Deleted {
				times = append(times, e.Time)
			}
		}
		if len(times) == 0 {
			return time.Time{}
		}
		return rapid.SampledFrom(times).Draw(t, label+".event")
	}
	q.From, q.To = bound("from"), bound("to")
	return q
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

// genWhere draws a filter in the shapes of formula.Node.
func genWhere(t *rapid.T, depth int) formula.Node {
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
		return formula.And{L: genWhere(t, depth-1), R: genWhere(t, depth-1)}
	case 4:
		return formula.Or{L: genWhere(t, depth-1), R: genWhere(t, depth-1)}
	case 5:
		return formula.Not{X: genWhere(t, depth-1)}
	case 6:
		return rapid.SampledFrom([]formula.Ident{{Name: "vip", Type: formula.TypeBool}, {Name: "vip", Type: formula.TypeAny}}).Draw(t, "boolident")
	}
	a, _ := genValueNode(t)
	b, _ := genValueNode(t)
	return formula.Compare{Op: rapid.SampledFrom([]string{"==", "!=", "<"}).Draw(t, "op2"), L: a, R: b}
}

// genPushQuery draws a push query: kinds, a filter, a value, two to six
// day bounds around the events' ten days, and sometimes an as-of instant.
func genPushQuery(t *rapid.T) kpi.PushQuery {
	var q kpi.PushQuery
	if !rapid.Bool().Draw(t, "allKinds") {
		q.Kinds = rapid.SliceOfDistinct(rapid.SampledFrom(kinds), rapid.ID[string]).Draw(t, "kinds")
	}
	if rapid.IntRange(0, 4).Draw(t, "hasWhere") > 0 {
		q.Where = genWhere(t, 3)
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
