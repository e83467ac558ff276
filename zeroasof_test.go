package goalkit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
)

// Every entry point of a report refuses the zero instant as its as-of,
// naming itself and its argument, for a plan of indicators only (which
// gave a report "as of 0001-01-01" counting every event) and for a plan
// with goals (which failed naming goal's request, not the host's argument).
// So is an instant past the year 9999 or before the year 0, in UTC or in
// its own zone, which RFC 3339 cannot write: a tracker closed a goal at
// such an instant and committed a record that no report, before or after
// a restart, could read back.
func TestZeroAsOfIsRefusedNamingTheArgument(t *testing.T) {
	ctx := context.Background()
	var zero time.Time // the instant every call is as of, each in turn
	full := seedPlan(t)
	def := seedDef(t)
	def.Goals = nil
	valuesOnly := compile(t, def)
	loc := full.Calendar().Location()
	store := seedEvents(t, loc)
	feb, err := full.Calendar().ParseLabel("2025-02")
	if err != nil {
		t.Fatal(err)
	}
	mar, err := full.Calendar().ParseLabel("2025-03")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := full.Track(ctx, nil, goalkit.WithDirectory(seedDirectory{}))
	if err != nil {
		t.Fatal(err)
	}
	type call struct {
		fn, arg string
		run     func() error
	}
	var calls []call
	for _, p := range []*goalkit.Plan{valuesOnly, full} {
		calls = append(calls,
			call{"Evaluate", "asOf", func() error { _, err := p.Evaluate(ctx, store, zero); return err }},
			call{"Explain", "asOf", func() error {
				_, err := p.Explain(ctx, store, zero, goalkit.Cell{Indicator: "revenue", Participant: "*", Period: feb})
				return err
			}},
			call{"ExplainChange", "asOf", func() error {
				_, err := p.ExplainChange(ctx, store, zero, goalkit.ChangeRequest{Indicator: "revenue", Base: feb, Current: mar})
				return err
			}},
		)
	}
	calls = append(calls,
		call{"CloseGoal", "asOf", func() error { _, err := full.CloseGoal(ctx, store, zero, "sales25", feb); return err }},
		call{"ExplainGap", "asOf", func() error { _, err := full.ExplainGap(ctx, store, zero, "sales25", feb); return err }},
		call{"Backtest", "asOf", func() error { _, err := full.Backtest(ctx, store, zero, goal.BacktestRequest{}); return err }},
		call{"Suggest", "asOf", func() error { _, err := full.Suggest(ctx, store, zero, goal.SuggestRequest{}); return err }},
		call{"Lint", "asOf", func() error { _, err := goalkit.Lint(ctx, seedDef(t), store, zero); return err }},
		call{"Tracker.Report", "asOf", func() error { _, err := tr.Report(ctx, zero); return err }},
		call{"Tracker.AsKnownAt", "at", func() error { _, err := tr.AsKnownAt(ctx, zero); return err }},
		call{"Tracker.Tick", "asOf", func() error { _, err := tr.Tick(ctx, zero); return err }},
		call{"Tracker.TickCommitted", "asOf", func() error { _, err := tr.TickCommitted(ctx, zero); return err }},
		call{"Tracker.CloseGoal", "asOf", func() error { _, _, err := tr.CloseGoal(ctx, zero, "sales25", feb); return err }},
	)
	for _, at := range []struct {
		t    time.Time
		says string
	}{
		{time.Time{}, " is the zero time"},
		{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), " 10000-01-01T00:00:00Z is outside the years 0000 to 9999"},
		{time.Date(-1, 12, 31, 12, 0, 0, 0, time.UTC), " -0001-12-31T12:00:00Z is outside the years 0000 to 9999"},
		// 9999-12-31 22:00 UTC is 10000-01-01 in a zone three hours ahead.
		{time.Date(10000, 1, 1, 1, 0, 0, 0, time.FixedZone("", 3*3600)), " 10000-01-01T01:00:00+03:00 is outside the years 0000 to 9999"},
	} {
		zero = at.t
		for i, c := range calls {
			err := c.run()
			if err == nil {
				t.Errorf("%d %s: %s %v was accepted", i, c.fn, c.arg, at.t)
				continue
			}
			if want := "goalkit: " + c.fn + ": " + c.arg + at.says; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("%d %s: error %q, want it to start %q", i, c.fn, err, want)
			}
		}
	}
	zero = time.Time{}
	// Lint without a source reads no instant: the zero asOf is fine.
	if _, err := goalkit.Lint(ctx, seedDef(t), nil, zero); err != nil {
		t.Errorf("Lint without events: %v", err)
	}
}
