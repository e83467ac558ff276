package goalkit_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"pgregory.net/rapid"
)

// sameAsFresh checks that the tracker's report as of at with the options
// report is the fresh evaluation's (reportAndFresh, with opts): the same
// JSON, and the same instant of its goals and date and rank of each row
// (rowStamps); what names the report in messages. It returns the
// tracker's report.
func sameAsFresh(t tb, plan *goalkit.Plan, tr *goalkit.Tracker, at time.Time, opts, report []goalkit.EvalOption, what string) *goalkit.Report {
	t.Helper()
	rep, fresh := reportAndFresh(t, plan, tr, at, opts, report)
	if d := freshDiff(t, rep, fresh); d != "" {
		t.Fatal(fmt.Sprintf("%s differs from a fresh evaluation:\n%s", what, d))
	}
	if rows, want := rowStamps(rep), rowStamps(fresh); rows != want {
		t.Fatal(fmt.Sprintf("%s: rows\n%s\nfresh\n%s", what, rows, want))
	}
	return rep
}

// applyInBatches applies stream to tr in batches of drawn sizes (an empty
// one now and then), calling after after each.
func applyInBatches(t *rapid.T, tr *goalkit.Tracker, stream []kpi.Event, after func()) {
	for len(stream) > 0 {
		n := rapid.IntRange(0, len(stream)).Draw(t, "batch")
		if err := tr.Apply(context.Background(), stream[:n]...); err != nil {
			t.Fatalf("apply: %v", err)
		}
		stream = stream[n:]
		after()
	}
}

// freshDiff returns "" when a tracker's report and a fresh evaluation's
// are the same JSON, and otherwise the lines around their first
// difference.
func freshDiff(t tb, rep, fresh *goalkit.Report) string {
	t.Helper()
	if got, want := reportJSON(t, rep), reportJSON(t, fresh); !bytes.Equal(got, want) {
		return firstDiff(got, want)
	}
	return ""
}

// firstDiff returns the lines of got and want around their first
// difference.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	i := 0
	for i < len(g) && i < len(w) && g[i] == w[i] {
		i++
	}
	lo := max(0, i-25)
	return "got:\n" + strings.Join(g[lo:min(len(g), i+8)], "\n") + "\nwant:\n" + strings.Join(w[lo:min(len(w), i+8)], "\n")
}

// moveOn draws the next instant of a dashboard's reports after at: the
// same instant again, a second or up to an hour later, just around the
// next local midnight or the next end of one of periods, up to two hours
// back, or anywhere among instants.
func moveOn(t *rapid.T, cal *period.Calendar, periods []period.Period, at time.Time, instants *rapid.Generator[time.Time]) time.Time {
	switch rapid.IntRange(0, 6).Draw(t, "step") {
	case 0:
		return at
	case 1:
		return at.Add(time.Second)
	case 2:
		return at.Add(time.Duration(rapid.IntRange(1, 3600).Draw(t, "seconds")) * time.Second)
	case 3:
		return cal.Midnight(cal.Date(at) + 1).Add(time.Duration(rapid.IntRange(-1, 1).Draw(t, "aroundMidnight")) * time.Second)
	case 4:
		for _, p := range periods {
			if _, end := cal.Bounds(p); end.After(at) {
				return end.Add(time.Duration(rapid.IntRange(-1, 1).Draw(t, "aroundEnd")) * time.Second)
			}
		}
		return at.Add(time.Hour)
	case 5:
		return at.Add(-time.Duration(rapid.IntRange(1, 7200).Draw(t, "back")) * time.Second)
	}
	return instants.Draw(t, "anywhere")
}

// callsPlan compiles a plan of one indicator, calls (a count of the
// events of kind call), reported by month over [from, to), and one goal
// g of 5 calls a month from from, with the participants and the lines
// more of goalYAML (indented as the goal's keys).
func callsPlan(t *testing.T, from, to, goalYAML string) *goalkit.Plan {
	t.Helper()
	return compile(t, parseDef(t, `timezone: UTC
indicators:
  - id: calls
    kinds: [call]
    aggregate: count
report: {grain: month, from: `+from+`, to: `+to+`}
goals:
  - id: g
    indicator: calls
    target: 5
    period: {from: `+from+`, every: month}
`+goalYAML))
}

// reportAndFresh returns a tracker's report as of at with the options of
// the report, and a fresh evaluation of the tracker's events as of at with
// opts (the tracker's own, and its records) and those of the report.
func reportAndFresh(t tb, plan *goalkit.Plan, tr *goalkit.Tracker, at time.Time, opts, report []goalkit.EvalOption) (rep, fresh *goalkit.Report) {
	t.Helper()
	ctx := context.Background()
	rep, err := tr.Report(ctx, at, report...)
	if err != nil {
		t.Fatal(fmt.Sprintf("report at %s: %v", at, err))
	}
	fresh, err = plan.Evaluate(ctx, tr.Indicators(), at, append(slices.Clip(opts), report...)...)
	if err != nil {
		t.Fatal(fmt.Sprintf("fresh evaluation at %s: %v", at, err))
	}
	return rep, fresh
}
