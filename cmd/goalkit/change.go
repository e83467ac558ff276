package main

import (
	"context"
	"flag"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// changeFlags are explain's flags for why a number moved.
type changeFlags struct {
	from, by string
	goal     string // -plan-vs-fact
}

func defineChange(fs *flag.FlagSet) *changeFlags {
	c := &changeFlags{}
	fs.StringVar(&c.from, "change-from", "", "explain the change from this period (a label) to -period: split among the participants and, with -change-by, an attribute's values")
	fs.StringVar(&c.by, "change-by", "", "with -change-from: the event attribute to split the change by (source, product…)")
	fs.StringVar(&c.goal, "plan-vs-fact", "", "explain a cumulative goal's gap between target and actual in -period, split among its participants (a goal id)")
	return c
}

// explain writes why the indicator moved from the period of -change-from
// to p.
func (c *changeFlags) explain(ctx context.Context, w io.Writer, plan *goalkit.Plan, src kpi.Source, at time.Time, indicator, participant string, p period.Period, format string, opts ...goalkit.EvalOption) error {
	var ch *goalkit.Change
	switch {
	case c.goal != "":
		var err error
		if ch, err = plan.ExplainGap(ctx, src, at, c.goal, p, opts...); err != nil {
			return err
		}
	default:
		base, err := plan.Calendar().ParseLabel(c.from)
		if err != nil {
			return usagef("-change-from: %w", err)
		}
		if ch, err = plan.ExplainChange(ctx, src, at, goalkit.ChangeRequest{Indicator: indicator, Base: base, Current: p, Participant: participant, By: c.by}, opts...); err != nil {
			return err
		}
	}
	if format == "json" {
		return writeIndentedJSON(w, ch)
	}
	return goalkit.WriteChange(w, ch)
}

const explainChangeUsage = "add why numbers moved to the report: INDICATOR:FROM:TO[:ATTRIBUTE], comma separated (revenue:2025-02:2025-03:source)"

// changeSpec is one item of -explain-change.
type changeSpec struct {
	indicator, from, to, by string
}

// parseChangeSpec reads -explain-change: INDICATOR:FROM:TO[:ATTRIBUTE],
// comma separated, spaces around each field dropped (as -weights reads its
// pairs); labels are checked against the plan's calendar later. An empty
// field, an ATTRIBUTE's included, and a change given twice are refused:
// each was taken without a word (no breakdown, the same change twice in
// the report).
func parseChangeSpec(spec string) ([]changeSpec, error) {
	var out []changeSpec
	for _, item := range strings.Split(spec, ",") {
		f := strings.Split(item, ":")
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		if len(f) < 3 || len(f) > 4 || slices.Contains(f, "") {
			return nil, usagef("-explain-change: %q is not INDICATOR:FROM:TO[:ATTRIBUTE]", item)
		}
		c := changeSpec{indicator: f[0], from: f[1], to: f[2]}
		if len(f) == 4 {
			c.by = f[3]
		}
		if slices.Contains(out, c) {
			return nil, usagef("-explain-change: %q is given more than once", strings.Join(f, ":"))
		}
		out = append(out, c)
	}
	return out, nil
}

// explainChanges computes the changes -explain-change asks for; none for "".
// opts are the options the report is evaluated with, so that each change
// agrees with the report's numbers.
func explainChanges(ctx context.Context, plan *goalkit.Plan, src kpi.Source, at time.Time, spec string, opts ...goalkit.EvalOption) ([]*goalkit.Change, error) {
	if spec == "" {
		return nil, nil
	}
	specs, err := parseChangeSpec(spec)
	if err != nil {
		return nil, err
	}
	var out []*goalkit.Change
	for _, cs := range specs {
		req := goalkit.ChangeRequest{Indicator: cs.indicator, By: cs.by}
		if req.Base, err = plan.Calendar().ParseLabel(cs.from); err != nil {
			return nil, usagef("-explain-change %s: %w", cs.from, err)
		}
		if req.Current, err = plan.Calendar().ParseLabel(cs.to); err != nil {
			return nil, usagef("-explain-change %s: %w", cs.to, err)
		}
		c, err := plan.ExplainChange(ctx, src, at, req, opts...)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
