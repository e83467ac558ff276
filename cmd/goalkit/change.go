package main

import (
	"context"
	"flag"
	"io"
	"strings"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// changeFlags are explain's flags for why a number moved.
type changeFlags struct {
	from, by string
}

func defineChange(fs *flag.FlagSet) *changeFlags {
	c := &changeFlags{}
	fs.StringVar(&c.from, "change-from", "", "explain the change from this period (a label) to -period: split among the participants and, with -change-by, an attribute's values")
	fs.StringVar(&c.by, "change-by", "", "with -change-from: the event attribute to split the change by (source, product…)")
	return c
}

// explain writes why the indicator moved from the period of -change-from
// to p.
func (c *changeFlags) explain(ctx context.Context, w io.Writer, plan *goalkit.Plan, src kpi.Source, at time.Time, indicator, participant string, p period.Period, format string) error {
	base, err := plan.Calendar().ParseLabel(c.from)
	if err != nil {
		return usagef("-change-from: %w", err)
	}
	ch, err := plan.ExplainChange(ctx, src, at, goalkit.ChangeRequest{Indicator: indicator, Base: base, Current: p, Participant: participant, By: c.by})
	if err != nil {
		return err
	}
	if format == "json" {
		return writeIndentedJSON(w, ch)
	}
	return goalkit.WriteChange(w, ch)
}

const explainChangeUsage = "add why numbers moved to the report: INDICATOR:FROM:TO[:ATTRIBUTE], comma separated (revenue:2025-02:2025-03:source)"

// explainChanges computes the changes -explain-change asks for; none for "".
func explainChanges(ctx context.Context, plan *goalkit.Plan, src kpi.Source, at time.Time, spec string) ([]*goalkit.Change, error) {
	if spec == "" {
		return nil, nil
	}
	var out []*goalkit.Change
	for _, item := range strings.Split(spec, ",") {
		f := strings.Split(strings.TrimSpace(item), ":")
		if len(f) < 3 || len(f) > 4 {
			return nil, usagef("-explain-change: %q is not INDICATOR:FROM:TO[:ATTRIBUTE]", item)
		}
		req := goalkit.ChangeRequest{Indicator: f[0]}
		var err error
		if req.Base, err = plan.Calendar().ParseLabel(f[1]); err != nil {
			return nil, usagef("-explain-change %s: %w", item, err)
		}
		if req.Current, err = plan.Calendar().ParseLabel(f[2]); err != nil {
			return nil, usagef("-explain-change %s: %w", item, err)
		}
		if len(f) == 4 {
			req.By = f[3]
		}
		c, err := plan.ExplainChange(ctx, src, at, req)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
