package kpi_test

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// The reference of breakdowns: the naive evaluator of reference() over the
// events of one combination of attribute values (or, for an "other" row,
// of the combinations outside the rows shown), with formulas computed from
// the reference values of the same events.

// comboOf is the values of by in an event, as the engine normalises them.
func comboOf(e *kpi.Event, by []string) []any {
	out := make([]any, len(by))
	for i, n := range by {
		out[i] = e.Attrs[n]
	}
	return out
}

func comboKey(c []any) string { return fmt.Sprintf("%#v", c) }

// refValue is the reference value of indicator id over the events evs gives
// for each period, formulas included: prev() reads the period that many
// back, evaluated from the events, except that a running formula (one that
// reads its own prev()) is undefined before first, the start of the
// report's first period, and accumulates from there.
func refValue(t *rapid.T, defs []kpi.IndicatorDef, id string, evs func(period.Period) []kpi.Event, cal *period.Calendar, p period.Period, first date.Date, who func(string, date.Date) bool, asOf time.Time) decimal.NullDecimal {
	i := slices.IndexFunc(defs, func(d kpi.IndicatorDef) bool { return d.ID == id })
	d := defs[i]
	if d.Formula == "" {
		return refBase(t, d, evs(p), cal, p, who, asOf)
	}
	var ids []string
	for _, x := range defs {
		ids = append(ids, x.ID)
	}
	prog, err := formula.Compile(d.Formula, formula.IndicatorEnv(ids...), formula.TypeNumber)
	if err != nil {
		t.Fatal(err)
	}
	return nullOf(mustEval(t, prog, formula.ScopeFunc(func(r formula.Ref) formula.Value {
		q := p
		if r.Back > 0 {
			q = cal.Shift(p, -r.Back)
		}
		if r.Name == id && q.Start < first {
			return formula.Undefined()
		}
		return valueOf(refValue(t, defs, r.Name, evs, cal, q, first, who, asOf))
	})))
}

// baseOf is the base indicators id reads, itself included.
func baseOf(defs []kpi.IndicatorDef, id string) []kpi.IndicatorDef {
	d := defs[slices.IndexFunc(defs, func(d kpi.IndicatorDef) bool { return d.ID == id })]
	if d.Formula == "" {
		return []kpi.IndicatorDef{d}
	}
	var out []kpi.IndicatorDef
	for _, x := range defs {
		if x.ID != id && strings.Contains(d.Formula, x.ID) {
			out = append(out, baseOf(defs, x.ID)...)
		}
	}
	return out
}

// counted reports whether event e counts for a base indicator: of its
// kinds, passing its filter.
func counted(t *rapid.T, d kpi.IndicatorDef, e *kpi.Event, loc *time.Location) bool {
	if !slices.Contains(d.Kinds, e.Kind) {
		return false
	}
	if d.Where == "" {
		return true
	}
	where, err := formula.Compile(d.Where, kpi.Env{Attributes: propAttrs}.EventEnv(), formula.TypeBool)
	if err != nil {
		t.Fatal(err)
	}
	v := mustEval(t, where, eventScope(e, loc, formula.Value{}, false))
	b, ok := v.Bool()
	return ok && b
}

// checkBreakdowns compares every breakdown row of res with the reference,
// checks that every combination the participant's counted events carry has
// a row (or is in the other row), that a top shows the largest values, and
// that the rows of a count or a sum add up to the total.
func checkBreakdowns(t *rapid.T, defs []kpi.IndicatorDef, res *kpi.Result, final []kpi.Event, cal *period.Calendar, periods []period.Period, whoFor map[string]func(string, date.Date) bool, asOf time.Time) {
	loc := cal.Location()
	// The closure of each broken-down indicator: every indicator it reads
	// is evaluated by the same attributes, and a row exists where any of
	// them counts an event.
	for _, d := range defs {
		if len(d.By) == 0 {
			if breakdownOf(res, d.ID) != nil {
				t.Fatalf("%s has breakdown rows without by", d.ID)
			}
			continue
		}
		// A row exists where an indicator d reads counts an event.
		bases := baseOf(defs, d.ID)
		rows := breakdownOf(res, d.ID)
		at := 0
		for _, part := range res.Participants() {
			who := whoFor[part]
			// The combinations present in a period: those of the counted
			// events.
			presentIn := func(p period.Period) map[string][]any {
				present := map[string][]any{}
				for i := range final {
					e := &final[i]
					if e.Time.After(asOf) || !who(e.Actor, dateIn(e.Time, loc)) {
						continue
					}
					// In the period, or a cumulative indicator's window.
					if slices.ContainsFunc(bases, func(b kpi.IndicatorDef) bool {
						return span(b, cal, p).Contains(dateIn(e.Time, loc)) && counted(t, b, e, loc)
					}) {
						present[comboKey(comboOf(e, d.By))] = comboOf(e, d.By)
					}
				}
				return present
			}
			refIn := func(k string, p period.Period) decimal.NullDecimal {
				evs := func(period.Period) []kpi.Event {
					return slices.DeleteFunc(slices.Clone(final), func(e kpi.Event) bool { return comboKey(comboOf(&e, d.By)) != k })
				}
				return refValue(t, defs, d.ID, evs, cal, p, periods[0].Start, who, asOf)
			}
			for _, p := range periods {
				present := presentIn(p)
				refOf := func(k string) decimal.NullDecimal { return refIn(k, p) }
				var mine []kpi.Row
				for at < len(rows) && rows[at].Participant == part && rows[at].Period == p {
					mine = append(mine, rows[at])
					at++
				}
				want := len(present)
				if d.Top > 0 && want > d.Top {
					want = d.Top + 1
				}
				if len(mine) != want {
					t.Fatalf("%s by %v for %s in %s: %d rows %v, want %d (combinations %v)", d.ID, d.By, part, cal.Label(p), len(mine), mine, want, present)
				}
				shown := map[string]bool{}
				for _, r := range mine {
					if r.Other {
						continue
					}
					k := comboKey(r.By)
					if present[k] == nil {
						t.Fatalf("%s by %v for %s in %s: row %v has no counted event", d.ID, d.By, part, cal.Label(p), r.By)
					}
					shown[k] = true
					wantV := refOf(k)
					if !sameValue(r.Value, wantV) {
						t.Fatalf("%s by %v = %v for %s in %s: got %s, want %s", d.ID, d.By, r.By, part, cal.Label(p), show(r.Value), show(wantV))
					}
				}
				if d.Top > 0 {
					checkTop(t, d, mine, part)
					// Every combination left out is no larger than the
					// smallest shown.
					if n := len(mine); n > 0 && mine[n-1].Other {
						least := mine[n-2].Value
						for k := range present {
							if v := refOf(k); !shown[k] && v.Valid && (!least.Valid || v.Decimal.GreaterThan(least.Decimal)) {
								t.Fatalf("%s top %d for %s in %s: %v = %s left out, %s shown", d.ID, d.Top, part, cal.Label(p), present[k], show(v), show(least))
							}
						}
					}
				}
				if n := len(mine); n > 0 && mine[n-1].Other {
					// The rows shown in each reported period; in a period
					// before the report, its own top, ranked here.
					shownIn := func(q period.Period) map[string]bool {
						m := map[string]bool{}
						if !slices.Contains(periods, q) {
							return refTop(presentIn(q), func(k string) decimal.NullDecimal { return refIn(k, q) }, d.Top)
						}
						for _, r := range rows {
							if r.Participant == part && r.Period == q && !r.Other {
								m[comboKey(r.By)] = true
							}
						}
						return m
					}
					evs := func(q period.Period) []kpi.Event {
						in := shownIn(q)
						return slices.DeleteFunc(slices.Clone(final), func(e kpi.Event) bool { return in[comboKey(comboOf(&e, d.By))] })
					}
					wantV := refValue(t, defs, d.ID, evs, cal, p, periods[0].Start, who, asOf)
					if !sameValue(mine[n-1].Value, wantV) {
						t.Fatalf("%s by %v, other, for %s in %s: got %s, want %s", d.ID, d.By, part, cal.Label(p), show(mine[n-1].Value), show(wantV))
					}
				}
				// Counts and sums: the rows add up to the total.
				if d.Formula == "" && (d.Aggregate == kpi.Count || d.Aggregate == kpi.Sum) {
					total, _ := res.Value(d.ID, part, p)
					sum, ok := decimal.Zero, true
					for _, r := range mine {
						ok = ok && r.Value.Valid
						sum = sum.Add(r.Value.Decimal)
					}
					if ok && total.Valid && !sum.Equal(total.Decimal) {
						t.Fatalf("%s by %v for %s in %s: rows add up to %s, the total is %s", d.ID, d.By, part, cal.Label(p), sum, total.Decimal)
					}
				}
			}
		}
		if at != len(rows) {
			t.Fatalf("%s: %d rows beyond the participants and periods", d.ID, len(rows)-at)
		}
	}
}

// refTop is the top n of the combinations present by their values: largest
// first, undefined last, ties in the order of the combinations (by each
// value in turn: bool, number, string, then absent; false before true).
func refTop(present map[string][]any, value func(string) decimal.NullDecimal, n int) map[string]bool {
	keys := slices.Sorted(maps.Keys(present))
	vals := map[string]decimal.NullDecimal{}
	for _, k := range keys {
		vals[k] = value(k)
	}
	rank := func(v any) int {
		switch v.(type) {
		case bool:
			return 0
		case int, int64, decimal.Decimal:
			return 1
		case string:
			return 2
		case nil:
			return 4
		}
		return 3
	}
	num := func(v any) decimal.Decimal {
		switch x := v.(type) {
		case int:
			return decimal.NewFromInt(int64(x))
		case int64:
			return decimal.NewFromInt(x)
		}
		return v.(decimal.Decimal)
	}
	slices.SortStableFunc(keys, func(a, b string) int {
		va, vb := vals[a], vals[b]
		switch {
		case va.Valid && vb.Valid && !va.Decimal.Equal(vb.Decimal):
			return vb.Decimal.Cmp(va.Decimal)
		case va.Valid != vb.Valid:
			if va.Valid {
				return -1
			}
			return 1
		}
		for i, x := range present[a] {
			y := present[b][i]
			if c := cmp.Compare(rank(x), rank(y)); c != 0 {
				return c
			}
			switch x := x.(type) {
			case bool:
				if y := y.(bool); x != y {
					if !x {
						return -1
					}
					return 1
				}
			case string:
				if c := strings.Compare(x, y.(string)); c != 0 {
					return c
				}
			case time.Time:
				if c := x.Compare(y.(time.Time)); c != 0 {
					return c
				}
			case nil:
			default:
				if c := num(x).Cmp(num(y)); c != 0 {
					return c
				}
			}
		}
		return 0
	})
	m := map[string]bool{}
	for _, k := range keys[:min(n, len(keys))] {
		m[k] = true
	}
	return m
}

// checkTop checks that the rows shown are ordered by value, largest first,
// undefined last.
func checkTop(t *rapid.T, d kpi.IndicatorDef, mine []kpi.Row, part string) {
	for i := 1; i < len(mine); i++ {
		a, b := mine[i-1], mine[i]
		if b.Other {
			break
		}
		if b.Value.Valid && (!a.Value.Valid || a.Value.Decimal.LessThan(b.Value.Decimal)) {
			t.Fatalf("%s top %d for %s: row %v (%s) before %v (%s)", d.ID, d.Top, part, a.By, show(a.Value), b.By, show(b.Value))
		}
	}
}

// breakdownOf returns the breakdown rows of an indicator among res's rows.
func breakdownOf(res *kpi.Result, id string) []kpi.Row {
	var out []kpi.Row
	for _, r := range res.Rows() {
		if r.Indicator == id && (r.By != nil || r.Other) {
			out = append(out, r)
		}
	}
	return out
}
