package adaptertest

import (
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// The random cases draw their event versions from goalkittest.Stream, from
// small pools so that random events collide: the same ID again
// (corrections, retractions before and after their event, duplicates, late
// redeliveries of an earlier version), the same kind, the same attribute
// value under different types. What stays here draws what is particular to
// the suites: per-case attribute values, batches, queries and filters.

var (
	kinds  = []string{"deal.won", "deal.created", "call"}
	actors = []string{"", "u1", "u2", "u3"}
	curs   = []string{"", "RUB", "USD"}
	srcs   = []string{"web", "partner", "x", "Web"}
	// zones are the offsets instants are written in: a source keeps the
	// instant, whatever zone it gives it back in.
	zones = []*time.Location{time.UTC, time.FixedZone("", 3*3600), time.FixedZone("", -5*3600)}
)

// base is the start of the ten days the random events fall in.
var base = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

// window is where the random events happen: the ten days from base, in
// UTC, with the instants goalkittest draws around their midnights (a
// nanosecond to three days either side, sub-second ones included) or
// anywhere in them.
type window struct {
	cal      *period.Calendar
	days     []period.Period
	instants *rapid.Generator[time.Time]
}

func newWindow(t testing.TB) window {
	t.Helper()
	cal, err := period.LoadCalendar("UTC")
	if err != nil {
		t.Fatal(err)
	}
	from := date.New(base.Date())
	days, err := cal.Periods(period.Day, from, from+10)
	if err != nil {
		t.Fatal(err)
	}
	return window{cal: cal, days: days, instants: goalkittest.Instants(cal, days)}
}

// instant draws an instant of the window, written in one of zones.
func (w window) instant(t *rapid.T, label string) time.Time {
	return w.instants.Draw(t, label).In(rapid.SampledFrom(zones).Draw(t, label+".zone"))
}

// genDecimal draws a decimal: a coefficient from -100,000 to a million at
// 0 to 5 decimal places. It draws filter constants and the case's decimal
// values of n, which a Shape takes as candidates.
func genDecimal(t *rapid.T, label string) decimal.Decimal {
	exp := rapid.SampledFrom([]int32{0, -1, -2, -2, -5}).Draw(t, label+".exp")
	return decimal.New(rapid.Int64Range(-100000, 1000000).Draw(t, label+".mant"), exp)
}

// genVersions draws a stream of event versions (goalkittest.Stream): new
// events, corrections, retractions (some before their event, some of IDs
// never sent), exact duplicates and late redeliveries of earlier versions.
// Amounts are negative to a million with 0 to 5 decimal places; every
// field is sometimes empty; the attribute n is an int64, a decimal drawn
// for the case or a string that reads as a number, vip a bool or "true",
// source a string or an int64, closed an instant drawn for the case; a
// third of the versions have a Known instant.
func genVersions(t *rapid.T, w window) []kpi.Event {
	n := []any{"5", "1e2", int64(-5), int64(-1), int64(0), int64(2), int64(5)}
	for _, d := range rapid.SliceOfN(rapid.Custom(func(t *rapid.T) decimal.Decimal { return genDecimal(t, "n") }), 2, 6).Draw(t, "n decimals") {
		n = append(n, d)
	}
	var closed []any
	for range rapid.IntRange(1, 3).Draw(t, "closed instants") {
		closed = append(closed, w.instant(t, "closed"))
	}
	shape := goalkittest.Shape{
		Kinds: kinds, Actors: actors, Currencies: curs,
		MinAmount: -1000, MaxAmount: 1_000_000, Scales: []int32{0, 1, 2, 2, 5},
		Attrs: map[string][]any{
			"source": {srcs[0], srcs[1], srcs[2], srcs[3], int64(3)},
			"n":      n,
			"vip":    {true, false, "true"},
			"closed": closed,
		},
		Periods: w.days, Zones: zones, MaxIDs: 40, Redeliveries: true, Orphans: true,
	}
	versions := goalkittest.Stream(w.cal, shape).Draw(t, "versions")
	// Some versions say when they were learned (Known), which a scan
	// gives back for replays of what was known at an instant.
	for i := range versions {
		if rapid.IntRange(0, 2).Draw(t, "known") == 0 {
			versions[i].Known = w.instant(t, "known.at")
		}
	}
	return versions
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
func genQuery(t *rapid.T, w window, versions []kpi.Event) kpi.Query {
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
			return w.instant(t, label+".at")
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

func genConst(t *rapid.T, w window, typ formula.Type) formula.Value {
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
		return formula.Time(w.instant(t, "ctime"))
	}
	return formula.Undefined()
}

func genValueNode(t *rapid.T, w window) (formula.Node, formula.Type) {
	id := rapid.SampledFrom(idents).Draw(t, "ident")
	// The engine pushes no other arithmetic than a negation
	// (kpi.PushQuery.Where), which cannot go out of range.
	if (id.Type == formula.TypeNumber || id.Name == "n") && rapid.IntRange(0, 3).Draw(t, "neg") == 0 {
		return formula.Neg{X: id}, formula.TypeNumber
	}
	return id, id.Type
}

// genWhere draws a filter in the shapes of formula.Node.
func genWhere(t *rapid.T, w window, depth int) formula.Node {
	k := rapid.IntRange(0, 7).Draw(t, "shape")
	if depth <= 0 {
		k %= 3
	}
	switch k {
	case 0, 1:
		l, typ := genValueNode(t, w)
		op := rapid.SampledFrom([]string{"==", "!=", "<", "<=", ">", ">="}).Draw(t, "op")
		return formula.Compare{Op: op, L: l, R: formula.Const{Value: genConst(t, w, typ)}}
	case 2:
		l, typ := genValueNode(t, w)
		n := rapid.IntRange(0, 3).Draw(t, "nlist")
		var list []formula.Value
		for range n {
			list = append(list, genConst(t, w, typ))
		}
		return formula.In{X: l, List: list, Not: rapid.Bool().Draw(t, "not")}
	case 3:
		return formula.And{L: genWhere(t, w, depth-1), R: genWhere(t, w, depth-1)}
	case 4:
		return formula.Or{L: genWhere(t, w, depth-1), R: genWhere(t, w, depth-1)}
	case 5:
		return formula.Not{X: genWhere(t, w, depth-1)}
	case 6:
		return rapid.SampledFrom([]formula.Ident{{Name: "vip", Type: formula.TypeBool}, {Name: "vip", Type: formula.TypeAny}}).Draw(t, "boolident")
	}
	a, _ := genValueNode(t, w)
	b, _ := genValueNode(t, w)
	return formula.Compare{Op: rapid.SampledFrom([]string{"==", "!=", "<"}).Draw(t, "op2"), L: a, R: b}
}

// genPushQuery draws a push query: kinds, a filter, a value, two to six
// day bounds around the events' ten days, and sometimes an as-of instant.
func genPushQuery(t *rapid.T, w window) kpi.PushQuery {
	var q kpi.PushQuery
	if !rapid.Bool().Draw(t, "allKinds") {
		q.Kinds = rapid.SliceOfDistinct(rapid.SampledFrom(kinds), rapid.ID[string]).Draw(t, "kinds")
	}
	if rapid.IntRange(0, 4).Draw(t, "hasWhere") > 0 {
		q.Where = genWhere(t, w, 3)
	}
	q.Value = rapid.SampledFrom([]string{"", "amount", "n", "source"}).Draw(t, "value")
	n := rapid.IntRange(2, 6).Draw(t, "nbounds")
	for range n {
		q.Bounds = append(q.Bounds, base.Add(time.Duration(rapid.Int64Range(-1, 11).Draw(t, "bound"))*24*time.Hour))
	}
	slices.SortFunc(q.Bounds, func(a, b time.Time) int { return a.Compare(b) })
	if rapid.IntRange(0, 3).Draw(t, "hasAsOf") == 0 {
		q.AsOf = w.instant(t, "asof")
	}
	return q
}
