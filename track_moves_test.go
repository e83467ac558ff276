package goalkit_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// A tracker's reports at instants a poll apart (and around midnights, ends
// of periods, and back), with batches, people moving between teams or
// joining the directory, and ticks that close goals (records) between them, have the
// goals of a fresh evaluation at the same instant with the same records
// and the directory as it is then.
func TestTrackerReportsLaterWithMovesAndTicks(t *testing.T) {
	ctx := context.Background()
	rapid.Check(t, func(t *rapid.T) {
		def := goalPlans().Draw(t, "plan")
		drawClosing(t, def, false)
		plan := compile(t, def)
		periods := plan.Periods()
		cal := plan.Calendar()
		stream := goalkittest.PlanStream(plan, viewActors...).Draw(t, "events")
		first, last := periods[0].Start, periods[len(periods)-1].End
		dir := goalkittest.Directories(viewActors, first, last).Draw(t, "directory")
		addTeams(dir, def)
		opts := []goalkit.EvalOption{goalkit.WithDirectory(dir)}
		instants := goalkittest.Instants(cal, periods)
		if rapid.Bool().Draw(t, "since") {
			opts = append(opts, goalkit.WithNotificationsSince(instants.Draw(t, "sinceAt")))
		}
		at := instants.Draw(t, "start")
		tr := startTracker(t, plan, opts...)
		units, _ := dir.Units(ctx)
		hires := 0
		applyInBatches(t, tr, stream, func() {
			if rapid.IntRange(0, 2).Draw(t, "move?") == 0 {
				u := rapid.SampledFrom(viewActors).Draw(t, "who")
				to := rapid.SampledFrom(units).Draw(t, "where").ID
				on := first + date.Date(rapid.IntRange(1, int(last-first)-1).Draw(t, "on"))
				_ = dir.Move(u, to, on) // a move before a later one is refused
			}
			if rapid.IntRange(0, 4).Draw(t, "hire?") == 0 {
				hires++
				m := org.Membership{User: "new" + strconv.Itoa(hires), Unit: rapid.SampledFrom(units).Draw(t, "hiredIn").ID}
				if rapid.Bool().Draw(t, "hiredOn?") {
					m.From = first + date.Date(rapid.IntRange(0, int(last-first)-1).Draw(t, "hiredOn"))
				}
				if err := dir.AddMembership(m); err != nil {
					t.Fatal(err)
				}
			}
			if rapid.IntRange(0, 2).Draw(t, "tick?") == 0 {
				// A tick a while before the last report: the reports after
				// it may go back before its records' closing
				// (TestTrackerReportsAroundARecord).
				tickAt := at.Add(-time.Duration(rapid.IntRange(0, 3*86400).Draw(t, "tickBefore")) * time.Second)
				if _, err := tr.Tick(ctx, tickAt); err != nil {
					t.Fatalf("tick: %v", err)
				}
			}
			for range rapid.IntRange(1, 3).Draw(t, "reports") {
				at = moveOn(t, cal, periods, at, instants)
				ropts, what := drawAnyReport(t, at, units)
				recs, err := trackerRecords(tr)
				if err != nil {
					t.Fatal(err)
				}
				sameAsFresh(t, plan, tr, at, append(slices.Clone(opts), goalkit.WithRecords(recs...)), ropts, what)
			}
		})
	})
}

// drawClosing draws how the goals of def close: their corrections
// restated or frozen, and a next-target rule for the recurring ones that
// close (automatically, or by the host when hostCloses).
func drawClosing(t *rapid.T, def *goalkit.Definition, hostCloses bool) {
	for i := range def.Goals {
		g := &def.Goals[i]
		if rapid.Bool().Draw(t, "restate") {
			g.Close.Corrections = goal.Restate
		}
		if (hostCloses || g.Close.Auto) && g.Period.Every != (period.Grain{}) && rapid.Bool().Draw(t, "nextTarget") {
			g.Close.NextTarget = "max(target, actual * 1.1)"
		}
	}
}

// drawAnyReport draws the options of a report at an instant: none, a
// participant to narrow to (a user, a unit or the company), participants
// to add, or both.
func drawAnyReport(t *rapid.T, at time.Time, units []org.Unit) ([]goalkit.EvalOption, string) {
	what := "report at " + at.Format(time.RFC3339Nano)
	var opts []goalkit.EvalOption
	ids := slices.Clone(viewActors)
	for _, u := range units {
		ids = append(ids, u.ID)
	}
	ids = append(ids, org.Everyone, "nobody")
	if rapid.IntRange(0, 2).Draw(t, "narrowed") == 0 {
		id := rapid.SampledFrom(ids).Draw(t, "participant")
		opts = append(opts, goalkit.WithOnlyParticipant(id))
		what += " of " + id
	}
	if rapid.IntRange(0, 4).Draw(t, "withParticipants") == 0 {
		ps := rapid.SliceOfNDistinct(rapid.SampledFrom(append(slices.Clone(viewActors), "zoe")), 1, 3, rapid.ID[string]).Draw(t, "participants")
		opts = append(opts, goalkit.WithParticipants(ps...))
		what += " with participants " + strings.Join(ps, ",")
	}
	return opts, what
}
