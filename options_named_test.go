package goalkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// A bad id of WithParticipants or a bad period of WithPeriods was refused
// in kpi's words ("a participant of the request is empty", "period 0 () is
// empty"), which name no option: a host with a dozen options could not
// tell which one. Evaluate, Track, a tracker's Report and Explain name the
// option, and kpi's words the argument.
func TestBadOptionNamed(t *testing.T) {
	plan := parsePlan(t, hostilePlan)
	store := storeOf(t, time.UTC)
	asOf := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	ctx := context.Background()
	d := func(s string) date.Date { return date.MustParseISO(s) }
	march := period.Period{Start: d("2025-03-01"), End: d("2025-04-01")}
	feb := period.Period{Start: d("2025-02-01"), End: d("2025-03-01")}
	for _, c := range []struct {
		opts []goalkit.EvalOption
		want string
	}{
		{[]goalkit.EvalOption{goalkit.WithParticipants("anna", "")}, "goalkit: WithParticipants: participant 1 of the request is empty"},
		{[]goalkit.EvalOption{goalkit.WithParticipants("anna"), goalkit.WithParticipants("*")},
			`goalkit: WithParticipants: participant "*" is the whole company's row, in every result: not a participant to name`},
		{[]goalkit.EvalOption{goalkit.WithPeriods()}, "goalkit: WithPeriods: no period given (without the option, the report section's)"},
		{[]goalkit.EvalOption{goalkit.WithPeriods(march, period.Period{Start: d("2025-05-01"), End: d("2025-05-01")})},
			"goalkit: WithPeriods: period 1 (2025-05-01 to 2025-05-01) is empty"},
		{[]goalkit.EvalOption{goalkit.WithPeriods(march, feb)},
			"goalkit: WithPeriods: periods 0 (2025-03-01 to 2025-04-01) and 1 (2025-02-01 to 2025-03-01) overlap or are not sorted"},
		// The last WithPeriods is the one taken, and so is its check.
		{[]goalkit.EvalOption{goalkit.WithPeriods(), goalkit.WithPeriods(feb, march)}, ""},
	} {
		check := func(what string, err error) {
			t.Helper()
			if c.want == "" && err != nil {
				t.Errorf("%s: %v", what, err)
			} else if c.want != "" && (err == nil || err.Error() != c.want) {
				t.Errorf("%s: %v, want %q", what, err, c.want)
			}
		}
		_, err := plan.Evaluate(ctx, store, asOf, c.opts...)
		check("Evaluate", err)
		tr, err := plan.Track(ctx, nil, c.opts...)
		check("Track", err)
		if tr != nil {
			tr.Close()
		}
		if tr, err = plan.Track(ctx, nil); err != nil {
			t.Fatal(err)
		}
		_, err = tr.Report(ctx, asOf, c.opts...)
		check("Report", err)
		tr.Close()
		_, err = plan.Explain(ctx, store, asOf, goalkit.Cell{Indicator: "won", Participant: "*", Period: march}, c.opts...)
		check("Explain", err)
	}
}

// Periods of WithPeriods that do not overlap, but whose prev() do (a
// week of February and March, whose prev() reads February),
// are refused in kpi's words naming the option; kpi's refusal named none.
func TestWithPeriodsNamedForPrevOverlap(t *testing.T) {
	plan := parsePlan(t, `timezone: UTC
indicators:
  - id: won
    kinds: [won]
    aggregate: count
  - id: growth
    formula: won - prev(won)
report: {grain: month, from: 2025-01-01, to: 2025-04-01}
`)
	ctx := context.Background()
	asOf := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	d := func(s string) date.Date { return date.MustParseISO(s) }
	// Week 8 (17 to 24 February) and March do not overlap, but their
	// prev(), week 7 (10 to 17 February) and February, do.
	week := period.Period{Grain: period.Week, Start: d("2025-02-17"), End: d("2025-02-24")}
	march := period.Period{Grain: period.Month, Start: d("2025-03-01"), End: d("2025-04-01")}
	if plan.Calendar().Label(week) != "2025-W08" || plan.Calendar().Label(march) != "2025-03" {
		t.Fatalf("labels %s, %s", plan.Calendar().Label(week), plan.Calendar().Label(march))
	}
	const wantPrev = "goalkit: WithPeriods: periods 2025-02 and 2025-W07 overlap: the formulas read prev(), so the request evaluates the periods before those it reports, and each date counts in one period; ask for the periods of each grain in a request of its own"
	opts := []goalkit.EvalOption{goalkit.WithPeriods(week, march)}
	check := func(what string, err error) {
		t.Helper()
		if err == nil || err.Error() != wantPrev {
			t.Errorf("%s: %v, want %q", what, err, wantPrev)
		}
	}
	_, err := plan.Evaluate(ctx, kpi.Events{}, asOf, opts...)
	check("Evaluate", err)
	tr, err := plan.Track(ctx, nil, opts...)
	check("Track", err)
	if tr != nil {
		tr.Close()
	}
	if tr, err = plan.Track(ctx, nil); err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	_, err = tr.Report(ctx, asOf, opts...)
	check("Report", err)
	_, err = plan.Explain(ctx, kpi.Events{}, asOf, goalkit.Cell{Indicator: "growth", Participant: "*", Period: march}, opts...)
	check("Explain", err)
}
