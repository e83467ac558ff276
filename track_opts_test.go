package goalkit_test

import (
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"pgregory.net/rapid"
)

// Options given to Track hold for the tracker's life: with periods of its
// own, groups and participants among them, a tracker's reports at moving
// instants are a fresh evaluation's with the same options.
func TestTrackerReportsWithTrackOptions(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		plan, stream, opts, instants := goalScenario(t)
		if rapid.Bool().Draw(t, "periods") {
			ps := plan.Periods()
			i := rapid.IntRange(0, len(ps)-1).Draw(t, "from")
			j := rapid.IntRange(i+1, len(ps)).Draw(t, "to")
			sub := slices.Clone(ps[i:j])
			if rapid.Bool().Draw(t, "weeks") {
				cal := plan.Calendar()
				sub = []period.Period{cal.Containing(period.Week, ps[i].Start)}
				sub = append(sub, cal.Next(sub[0]))
			}
			opts = append(opts, goalkit.WithPeriods(sub...))
		}
		if rapid.Bool().Draw(t, "groups") {
			members := rapid.SliceOfNDistinct(rapid.SampledFrom(viewActors), 1, 3, rapid.ID[string]).Draw(t, "members")
			opts = append(opts, goalkit.WithGroups(org.Group{ID: "crew", Members: members}))
		}
		if rapid.Bool().Draw(t, "participants") {
			opts = append(opts, goalkit.WithParticipants("zoe", rapid.SampledFrom(viewActors).Draw(t, "one")))
		}
		eachBatch(t, plan, opts, stream, instants, func(tr *goalkit.Tracker, at time.Time) {
			ropts, what := drawReport(t, at)
			sameAsFresh(t, plan, tr, at, opts, ropts, what)
		})
	})
}
