package goalkit

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/problem"
	"github.com/shopspring/decimal"
)

// compileCascades compiles the cascades section of the definition.
func (p *Plan) compileCascades(ps *problem.List) {
	if len(p.def.Cascades) == 0 || p.cal == nil {
		return
	}
	s, err := cascade.Compile(p.def.Cascades, cascade.Env{Calendar: p.cal, Indicators: p.indicators})
	ps.Merge(err)
	p.cascades = s
}

// Cascades returns the plan's compiled cascades; nil when it has none.
func (p *Plan) Cascades() *cascade.Set { return p.cascades }

// evalCascades evaluates the cascades section; nil when the plan has none.
// The directory of WithDirectory gives the units their members.
func (p *Plan) evalCascades(ctx context.Context, tab *kpi.Table, asOf time.Time, c *evalConfig) (*cascade.Result, error) {
	if p.cascades == nil {
		return nil, nil
	}
	return p.cascades.Evaluate(ctx, tab, cascade.Request{AsOf: asOf, KnownAt: c.req.KnownAt, Org: c.org,
		Rates: c.req.Rates, BudgetRates: c.req.BudgetRates, Workers: c.req.Workers})
}

// appendCascade appends the cascade key of the JSON report.
func appendCascade(b []byte, r *cascade.Result) ([]byte, error) {
	if r == nil {
		return b, nil
	}
	js, err := json.MarshalIndent(r, "  ", "  ")
	if err != nil {
		return nil, err
	}
	b = append(b, ",\n  \"cascade\": "...)
	return append(b, js...), nil
}

// writeCascade writes the cascades for people to read: one indented line per
// node with its target, actual, achievement and contribution, then the issues.
func writeCascade(w *bufio.Writer, r *cascade.Result) {
	if r == nil {
		return
	}
	for _, t := range r.Trees {
		name := t.Name
		if name == "" {
			name = t.Cascade
		}
		fmt.Fprintf(w, "\ncascade %s (%s), %s, roll-up by %s\n", t.Cascade, name, t.Indicator, t.Rollup)
		rows := [][]string{{"  node", "target", "actual", "achievement", "contribution"}}
		var walk func(n *cascade.Node, depth int)
		walk = func(n *cascade.Node, depth int) {
			rows = append(rows, []string{"  " + strings.Repeat("  ", depth) + n.ID, nullNum(n.Target), nullNum(n.Actual), percent(n.Achievement), percent(n.Contribution)})
			for _, c := range n.Children {
				walk(c, depth+1)
			}
		}
		walk(t.Root, 0)
		writeAligned(w, rows)
	}
	for _, is := range r.Issues {
		fmt.Fprintf(w, "\ncascade issue: %s", is)
	}
	if len(r.Issues) > 0 {
		w.WriteString("\n")
	}
}

// percent writes a ratio as a percent with one decimal place, or "—".
func percent(d decimal.NullDecimal) string {
	if !d.Valid {
		return "—"
	}
	return d.Decimal.Shift(2).Round(1).String() + " %"
}

// viewCascade is the cascade section as the viewer may see it.
func viewCascade(r *cascade.Result, v goal.Viewer, pol goal.VisibilityPolicy) *cascade.Result {
	kinds := map[cascade.Kind]goal.ParticipantKind{cascade.Company: goal.Company, cascade.UnitKind: goal.Team, cascade.UserKind: goal.User}
	return r.Prune(func(n *cascade.Node) bool {
		return pol.CanSee(v, goal.Subject{Participant: n.Participant, Kind: kinds[n.Kind]})
	})
}
