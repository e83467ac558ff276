package goalkit

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/suggest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/problem"
)

// RuleUTCMidnight is the code of the lint warning that most events of a
// plan in another zone sit exactly on UTC midnight: dates read as UTC.
const RuleUTCMidnight problem.Code = "utc_midnight"

// lintData checks the plan against the events of tab: an indicator filter
// that compares an event field or attribute with a value no event of the
// indicator's kinds carries (a typo, or data that changed), and instants
// that sit exactly on UTC midnight under another zone (date columns read as
// UTC, the classic month off by one).
func (p *Plan) lintData(ctx context.Context, tab *kpi.Table) ([]problem.Problem, error) {
	var out []problem.Problem
	env := kpi.Env{Attributes: p.def.Attributes}.EventEnv()
	// noMatch warns of the tests of the filter src at path that no event
	// of kinds passes.
	noMatch := func(path, src string, kinds []string) error {
		prog, err := formula.Compile(src, env, formula.TypeBool)
		if err != nil {
			return nil // Compile reported it
		}
		found, err := unmatched(ctx, tab, kinds, prog)
		for _, f := range found {
			out = append(out, problem.Problem{Severity: problem.SevWarning, Code: goal.RuleFilterNoMatch, Path: path, Msg: f})
		}
		return err
	}
	for i, d := range p.def.Indicators {
		if d.Where == "" {
			continue
		}
		if err := noMatch(fmt.Sprintf("indicators[%d].where", i), d.Where, d.Kinds); err != nil {
			return nil, err
		}
	}
	kindsOf := map[string][]string{}
	for _, d := range p.def.Indicators {
		kindsOf[d.ID] = d.Kinds
	}
	for i, g := range p.def.Goals {
		kinds := kindsOf[g.Indicator]
		if g.Filter == "" || len(kinds) == 0 {
			continue
		}
		if err := noMatch(fmt.Sprintf("goals[%d].filter", i), g.Filter, kinds); err != nil {
			return nil, err
		}
	}
	w, err := p.utcMidnight(ctx, tab)
	if err != nil || w == nil {
		return out, err
	}
	return append(out, *w), nil
}

// test is one comparison of a filter with a constant: name == value.
type test struct {
	name  string
	value formula.Value
	src   string
}

// tests returns the equality tests of a filter: name == const and name in
// [consts], as they stand anywhere in it.
func tests(n formula.Node) []test {
	var out []test
	formula.Walk(n, func(n formula.Node) {
		switch x := n.(type) {
		case formula.Compare:
			if x.Op != "==" {
				return
			}
			id, ok1 := x.L.(formula.Ident)
			c, ok2 := x.R.(formula.Const)
			if !ok1 || !ok2 {
				id, ok1 = x.R.(formula.Ident)
				c, ok2 = x.L.(formula.Const)
			}
			if ok1 && ok2 {
				out = append(out, test{id.Name, c.Value, id.Name + " == " + c.Value.String()})
			}
		case formula.In:
			if id, ok := x.X.(formula.Ident); ok && !x.Not {
				for _, v := range x.List {
					out = append(out, test{id.Name, v, id.Name + " in [" + v.String() + "]"})
				}
			}
		}
	})
	return out
}

// unmatched returns a message for every test of prog that no event of kinds
// in tab passes, when such events exist.
func unmatched(ctx context.Context, tab *kpi.Table, kinds []string, prog *formula.Program) ([]string, error) {
	ts := tests(prog.Node())
	if len(ts) == 0 {
		return nil, nil
	}
	hits := make([]int, len(ts))
	seen := map[string]map[string]int{} // name → value → events
	total := 0
	err := tab.Scan(ctx, kpi.Query{Kinds: kinds}, func(e *kpi.Event) error {
		total++
		for i, t := range ts {
			v := fieldValue(e, t.name)
			if v == nil {
				continue
			}
			if formula.ValueOf(v).Equal(t.value) {
				hits[i]++
			}
			s := fmt.Sprint(v)
			if seen[t.name] == nil {
				seen[t.name] = map[string]int{}
			}
			if _, ok := seen[t.name][s]; ok || len(seen[t.name]) < 1000 {
				seen[t.name][s]++
			}
		}
		return nil
	})
	if err != nil || total == 0 {
		return nil, err
	}
	var out []string
	for i, t := range ts {
		if hits[i] > 0 {
			continue
		}
		values := make([]string, 0, len(seen[t.name]))
		for v := range seen[t.name] {
			values = append(values, v)
		}
		slices.SortFunc(values, func(a, b string) int {
			return cmp.Or(cmp.Compare(seen[t.name][b], seen[t.name][a]), cmp.Compare(a, b))
		})
		msg := fmt.Sprintf("%s matched 0 of %s events of kinds %s", t.src, grouped(total), strings.Join(kinds, ", "))
		if len(values) == 0 {
			msg += fmt.Sprintf("; none has %s", t.name)
		} else {
			shown := values[:min(len(values), 5)]
			msg += "; values seen: " + strings.Join(shown, ", ")
			if len(values) > len(shown) {
				msg += ", …"
			}
		}
		if s, ok := t.value.Str(); ok {
			if guess := suggest.Closest(s, values); guess != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", guess)
			}
		}
		out = append(out, msg)
	}
	return out, nil
}

// fieldValue is the value of an event field or attribute, nil when absent.
func fieldValue(e *kpi.Event, name string) any {
	switch name {
	case "id":
		return e.ID
	case "kind":
		return e.Kind
	case "actor":
		return e.Actor
	case "currency":
		if e.Currency == "" {
			return nil
		}
		return e.Currency
	}
	return e.Attrs[name]
}

// utcMidnight warns when a plan in a zone other than UTC has at least 20
// events and most of them (more than half) at exactly 00:00 UTC.
func (p *Plan) utcMidnight(ctx context.Context, tab *kpi.Table) (*problem.Problem, error) {
	loc := p.cal.Location()
	if _, off := time.Date(2025, 1, 1, 0, 0, 0, 0, loc).Zone(); off == 0 {
		if _, off := time.Date(2025, 7, 1, 0, 0, 0, 0, loc).Zone(); off == 0 {
			return nil, nil
		}
	}
	total, onMidnight := 0, 0
	err := tab.Scan(ctx, kpi.Query{}, func(e *kpi.Event) error {
		total++
		if u := e.Time.UTC(); u.Hour() == 0 && u.Minute() == 0 && u.Second() == 0 && u.Nanosecond() == 0 {
			onMidnight++
		}
		return nil
	})
	if err != nil || total < 20 || 2*onMidnight <= total {
		return nil, err
	}
	local := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).In(loc).Format("15:04")
	return &problem.Problem{Severity: problem.SevWarning, Code: RuleUTCMidnight, Path: "timezone",
		Msg: fmt.Sprintf("%s of %s events (%d %%) are at exactly 00:00 UTC, %s in %s: were dates read as UTC midnight? "+
			"Read date columns in the plan's zone, or an event a day early lands in the previous day, month or year",
			grouped(onMidnight), grouped(total), onMidnight*100/total, local, p.def.Timezone)}, nil
}

// grouped writes n with its thousands grouped by commas: 8,800.
func grouped(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
