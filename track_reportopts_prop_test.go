package goalkit_test

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/org"
	"pgregory.net/rapid"
)

// A tracker's report with the options of one report (known at an instant,
// participants added, a few of the periods, a team added, one
// participant's goals) is Evaluate's with the same options over the same
// versions, after every batch.
func TestTrackerReportOptionsAreEvaluates(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		plan, stream, opts, instants := goalScenario(t)
		periods := plan.Periods()
		tr := startTracker(t, plan, opts...)
		applyInBatches(t, tr, stream, func() {
			at := instants.Draw(t, "at")
			var ropts []goalkit.EvalOption
			what := "report at " + at.Format(time.RFC3339)
			if rapid.Bool().Draw(t, "known at") {
				k := instants.Draw(t, "knownAt")
				ropts = append(ropts, goalkit.WithKnownAt(k))
				what += " known at " + k.Format(time.RFC3339)
			}
			if rapid.Bool().Draw(t, "participants") {
				ropts = append(ropts, goalkit.WithParticipants(rapid.SampledFrom(append(viewActors, "nobody")).Draw(t, "who")))
				what += " with a participant"
			}
			if rapid.Bool().Draw(t, "periods") {
				i := rapid.IntRange(0, len(periods)-1).Draw(t, "from")
				j := rapid.IntRange(i+1, len(periods)).Draw(t, "to")
				ropts = append(ropts, goalkit.WithPeriods(periods[i:j]...))
				what += " of some periods"
			}
			if rapid.Bool().Draw(t, "group") {
				ropts = append(ropts, goalkit.WithGroups(org.Group{ID: "pair", Members: rapid.SliceOfNDistinct(rapid.SampledFrom(viewActors), 1, 2, rapid.ID[string]).Draw(t, "members")}))
				what += " with a team"
			}
			if rapid.Bool().Draw(t, "only") {
				ropts = append(ropts, goalkit.WithOnlyParticipant(rapid.SampledFrom(viewActors).Draw(t, "only one")))
				what += " of one"
			}
			sameAsFresh(t, plan, tr, at, opts, ropts, what)
		})
	})
}
