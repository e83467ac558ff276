package goalkit_test

import (
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestTrackerReportsLater with goals of every shape retiming reads: lower
// is better, levels, linear pace, calendar forecasts, thresholds,
// milestones, targets by participant, restated corrections and drafts,
// and checklists with marks, in fiscal years starting in any month.
func TestTrackerReportsLaterAnyShape(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		def := goalPlans().Draw(t, "plan")
		var checklists []string
		if rapid.Bool().Draw(t, "fiscal") {
			def.FiscalYearStart = rapid.IntRange(1, 12).Draw(t, "fiscalStart")
		}
		for i := range def.Goals {
			g := &def.Goals[i]
			if rapid.Bool().Draw(t, "lower") {
				g.Direction = score.LowerIsBetter
			}
			if rapid.Bool().Draw(t, "level") {
				g.Measure = goal.Level
			}
			g.Pace = rapid.SampledFrom([]goal.PaceMethod{"", goal.PaceLinear, goal.PaceWorkdays}).Draw(t, "pace")
			g.Forecast = rapid.SampledFrom([]goal.ForecastBasis{"", goal.ForecastWorkdays, goal.ForecastCalendar}).Draw(t, "forecast")
			if rapid.Bool().Draw(t, "thresholds") {
				on, risk := decimal.New(int64(rapid.IntRange(80, 120).Draw(t, "onTrack")), -2), decimal.New(int64(rapid.IntRange(30, 79).Draw(t, "atRisk")), -2)
				g.Thresholds = goal.Thresholds{OnTrack: &on, AtRisk: &risk}
			}
			if rapid.Bool().Draw(t, "milestones") {
				g.Milestones = []goal.Milestone{goal.Percent(25), goal.Percent(50), {Value: decimal.NewFromInt(2)}}
			}
			if rapid.Bool().Draw(t, "byParticipant") {
				// One of the goal's rows: a named user or team, the
				// company together, or anyone with each of its members.
				rows := slices.Concat(g.Participants.Users, g.Participants.Teams)
				switch {
				case g.Participants.Company && g.Participants.Mode == goal.Each:
					rows = viewActors
				case g.Participants.Company:
					rows = append(rows, org.Everyone)
				}
				g.TargetByParticipant = map[string]decimal.Decimal{rapid.SampledFrom(rows).Draw(t, "who"): decimal.NewFromInt(int64(rapid.IntRange(1, 9).Draw(t, "their")))}
			}
			if rapid.Bool().Draw(t, "restate") {
				g.Close.Corrections = goal.Restate
			}
			if rapid.IntRange(0, 5).Draw(t, "draft") == 0 {
				g.State = goal.StateDraft
			}
			if rapid.IntRange(0, 3).Draw(t, "checklist") == 0 {
				g.Indicator, g.Target, g.TargetFormula, g.Filter, g.TargetByParticipant = "", nil, "", "", nil
				g.Direction, g.Measure, g.Milestones = "", "", nil
				g.Checklist = []goal.ItemDef{
					{ID: "a", Kinds: []string{"call"}, Count: rapid.IntRange(1, 3).Draw(t, "calls")},
					{ID: "b", Kinds: []string{"deal.won"}},
					{ID: "m", Manual: true},
				}
				checklists = append(checklists, g.ID)
			}
		}
		plan, err := goalkit.Compile(def)
		if err != nil {
			t.Fatalf("shape does not compile: %v", err)
		}
		periods := plan.Periods()
		cal := plan.Calendar()
		stream := goalkittest.PlanStream(plan, viewActors...).Draw(t, "events")
		var opts []goalkit.EvalOption
		if namesTeams(def) || rapid.Bool().Draw(t, "directory") {
			dir := goalkittest.Directories(viewActors, periods[0].Start, periods[len(periods)-1].End).Draw(t, "directory")
			addTeams(dir, def)
			opts = append(opts, goalkit.WithDirectory(dir))
		}
		instants := goalkittest.Instants(cal, periods)
		for _, id := range checklists {
			for range rapid.IntRange(0, 3).Draw(t, "marks") {
				opts = append(opts, goalkit.WithMarks(goal.Mark{Goal: id, Item: "m", Participant: rapid.SampledFrom(viewActors).Draw(t, "marked"), Time: instants.Draw(t, "markAt")}))
			}
		}
		if rapid.Bool().Draw(t, "since") {
			opts = append(opts, goalkit.WithNotificationsSince(instants.Draw(t, "sinceAt")))
		}
		at := instants.Draw(t, "start")
		tr := startTracker(t, plan, opts...)
		applyInBatches(t, tr, stream, func() {
			for range rapid.IntRange(1, 3).Draw(t, "reports") {
				at = moveOn(t, cal, periods, at, instants)
				// The same instant in another zone now and then.
				switch rapid.IntRange(0, 3).Draw(t, "zoneOfAt") {
				case 0:
					at = at.UTC()
				case 1:
					at = at.In(time.FixedZone("", -7*3600))
				}
				ropts, what := drawReport(t, at)
				sameAsFresh(t, plan, tr, at, opts, ropts, what)
			}
		})
	})
}
