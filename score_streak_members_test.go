package goalkit_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/rickb777/date/v2"
)

// streakDirectory is a team that anna left on 15 April and boris joined
// on 1 March, the first day of the report.
type streakDirectory struct{}

func (streakDirectory) Units(context.Context) ([]org.Unit, error) {
	return []org.Unit{{ID: "sales"}}, nil
}

func (streakDirectory) Memberships(context.Context) ([]org.Membership, error) {
	return []org.Membership{
		{User: "anna", Unit: "sales", From: date.New(2024, 6, 1), To: date.New(2025, 4, 15)},
		{User: "boris", Unit: "sales", From: date.New(2025, 3, 1)},
	}, nil
}

// A streak badge reads the months before the report, and a member belongs
// to each by the dates they belonged: anna, at plan in February and
// March, earns her run of two in March, and boris, who joined in March and
// was at plan from February (his calls before he joined are no card of
// the team's), earns his in April. The scorecard's groups were cut at the
// report's start: anna, who left within the report, was absent from
// February (no badge), and boris, a member for the whole report, present
// in it (a badge in March).
func TestStreakBadgeReadsMembershipsBeforeTheReport(t *testing.T) {
	plan := parsePlan(t, `timezone: UTC
indicators:
  - {id: calls, kinds: [call], aggregate: count}
scorecards:
  - id: sales
    grain: month
    kpis:
      - {indicator: calls, target: 2, weight: 100}
badges:
  - {id: run, rule: streak, scorecard: sales, periods: 2}
report: {grain: month, from: 2025-03-01, to: 2025-06-01}
`)
	var evs []kpi.Event
	calls := func(who string, months ...time.Month) {
		for _, m := range months {
			for range 2 {
				evs = append(evs, kpi.Event{ID: fmt.Sprint("c", len(evs)), Kind: "call", Actor: who, Time: time.Date(2025, m, 10, 12, 0, 0, 0, time.UTC)})
			}
		}
	}
	calls("anna", time.February, time.March)
	calls("boris", time.February, time.March, time.April)
	store := storeOf(t, time.UTC, evs...)
	rep := mustEvaluate(t, plan, store, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), goalkit.WithDirectory(streakDirectory{}))
	var got []string
	for _, a := range rep.Scores.Badges {
		got = append(got, a.Key)
	}
	slices.Sort(got)
	// By hand: anna's cards of February and March at 100 (a run of two in
	// March); boris's cards from March, at 100 in March and April (a run
	// of two in April).
	want := []string{"run:anna:2025-03-01", "run:boris:2025-04-01"}
	if !slices.Equal(got, want) {
		t.Errorf("badges %v, want %v", got, want)
	}
}
