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
func TestZeroAsOfIsRefusedNamingTheArgument(t *testing.T) {
	ctx := context.Background()
	var zero time.Time
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
	for i, c := range calls {
		err := c.run()
		if err == nil {
			t.Errorf("%d %s: the zero %s was accepted", i, c.fn, c.arg)
			continue
		}
		if want := "goalkit: " + c.fn + ": " + c.arg + " is the zero time"; !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%d %s: error %q, want it to start %q", i, c.fn, err, want)
		}
	}
	// Lint without a source reads no instant: the zero asOf is fine.
	if _, err := goalkit.Lint(ctx, seedDef(t), nil, zero); err != nil {
		t.Errorf("Lint without events: %v", err)
	}
}
