package main

import (
	"context"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/examples/internal/exampletest"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalstats"
	"github.com/shopspring/decimal"
)

func TestGolden(t *testing.T) {
	exampletest.CheckTableAndJSON(t, run)
}

// finalEvents are the events of the file up to asOf, in the order of
// their times.
func finalEvents(t *testing.T, asOf time.Time) []event {
	var out []event
	for _, e := range exampletest.FinalEvents(t, eventsNDJSON) {
		if !e.Time.After(asOf) {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b event) int { return a.Time.Compare(b.Time) })
	return out
}

// event is a line of events.ndjson.
type event = exampletest.Event

// instance is one goal × participant × month, judged by hand.
type instance struct {
	goal, participant, team string
	month                   int // 1, 2, 3
	status                  goal.Status
	achievement             *big.Rat      // nil when undefined
	took                    time.Duration // to achievement; -1 when not timed
}

// TestByHand judges every goal instance of the example from the events
// with plain loops, and checks every tally, share, median, time and
// correlation of the report's goal statistics against that.
func TestByHand(t *testing.T) {
	plan, rep, err := evaluate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	loc := plan.Calendar().Location()
	now := asOf(plan)
	evs := finalEvents(t, now)
	offices := map[string]string{"anna": "north", "boris": "north", "vera": "north", "gleb": "south", "dasha": "south", "egor": "south"}
	users := []string{"anna", "boris", "vera", "gleb", "dasha", "egor"}
	monthStart := func(m int) time.Time { return time.Date(2025, time.Month(m), 1, 0, 0, 0, 0, loc) }
	ended := func(m int) bool { return !now.Before(monthStart(m + 1)) }
	// crossing judges a cumulative higher-is-better goal: the instant the
	// running total of the events passing keep first reaches target.
	crossing := func(id, who, team string, m int, target *big.Rat, keep func(e event) bool, value func(e event) *big.Rat) instance {
		in := instance{goal: id, participant: who, team: team, month: m, took: -1}
		total := new(big.Rat)
		for _, e := range evs {
			if e.Time.Before(monthStart(m)) || !e.Time.Before(monthStart(m+1)) || !keep(e) {
				continue
			}
			total.Add(total, value(e))
			if in.took < 0 && total.Cmp(target) >= 0 {
				in.took = e.Time.Sub(monthStart(m))
			}
		}
		in.achievement = new(big.Rat).Quo(total, target)
		switch {
		case in.took >= 0:
			in.status = goal.Achieved
		case ended(m):
			in.status = goal.Failed
		default:
			in.status = goal.OnTrack // open, whatever its forecast
		}
		return in
	}
	one := func(event) *big.Rat { return big.NewRat(1, 1) }
	amount := func(e event) *big.Rat { return exampletest.Rat(e.Amount) }
	var ins []instance
	for m := 1; m <= 3; m++ {
		for _, u := range users {
			ins = append(ins, crossing("calls40", u, offices[u], m, big.NewRat(40, 1), func(e event) bool { return e.Kind == "call" && e.Actor == u }, one))
		}
		for _, office := range []string{"north", "south"} {
			ins = append(ins, crossing("won6", office, office, m, big.NewRat(6, 1), func(e event) bool { return e.Kind == "deal.won" && offices[e.Actor] == office }, one))
		}
		ins = append(ins, crossing("revenue1m", "*", "", m, big.NewRat(1000000, 1), func(e event) bool { return e.Kind == "deal.won" }, amount))
		// The average deal is a level, judged at the end of the month.
		sum, n := new(big.Rat), int64(0)
		for _, e := range evs {
			if e.Kind == "deal.won" && !e.Time.Before(monthStart(m)) && e.Time.Before(monthStart(m+1)) {
				sum.Add(sum, amount(e))
				n++
			}
		}
		avg := new(big.Rat).Quo(sum, big.NewRat(n, 1))
		in := instance{goal: "avg_deal50k", participant: "*", month: m, took: -1, achievement: new(big.Rat).Quo(avg, big.NewRat(50000, 1)), status: goal.OnTrack}
		if ended(m) {
			in.status = goal.Failed
			if avg.Cmp(big.NewRat(50000, 1)) >= 0 {
				in.status = goal.Achieved
			}
		}
		ins = append(ins, in)
	}
	// The onboarding checklist of January: done when both items are.
	for _, u := range []string{"dasha", "egor"} {
		var course, exam time.Time
		for _, e := range evs {
			if e.Actor == u && e.Kind == "training.completed" && course.IsZero() {
				course = e.Time
			}
			if e.Actor == u && e.Kind == "exam.passed" && exam.IsZero() {
				exam = e.Time
			}
		}
		in := instance{goal: "onboarding", participant: u, team: "south", month: 1, took: -1, status: goal.Failed}
		done := int64(0)
		for _, at := range []time.Time{course, exam} {
			if !at.IsZero() {
				done++
			}
		}
		in.achievement = big.NewRat(done, 2)
		if done == 2 {
			last := exam
			if course.After(exam) {
				last = course
			}
			in.status, in.took = goal.Achieved, last.Sub(monthStart(1))
		}
		ins = append(ins, in)
	}

	st := rep.GoalStats
	if st == nil {
		t.Fatal("no goal statistics")
	}
	check := func(name string, got goalstats.Tally, keep func(instance) bool) {
		t.Helper()
		var n, ach, fail int
		var achs []*big.Rat
		var times []*big.Rat
		for _, in := range ins {
			if !keep(in) {
				continue
			}
			n++
			switch in.status {
			case goal.Achieved:
				ach++
			case goal.Failed:
				fail++
			}
			if in.achievement != nil {
				achs = append(achs, in.achievement)
			}
			if in.took >= 0 {
				times = append(times, big.NewRat(int64(in.took), int64(time.Second)))
			}
		}
		if got.Instances != n || got.Achieved != ach || got.Failed != fail || got.Open != n-ach-fail {
			t.Errorf("%s: %d instances, %d achieved, %d failed, %d open; by hand %d, %d, %d, %d", name,
				got.Instances, got.Achieved, got.Failed, got.Open, n, ach, fail, n-ach-fail)
		}
		sum := decimal.Zero
		for _, sh := range []struct {
			got   decimal.NullDecimal
			count int
		}{{got.AchievedShare, ach}, {got.FailedShare, fail}, {got.OpenShare, n - ach - fail}} {
			near(t, name+" share", sh.got, big.NewRat(int64(sh.count), int64(n)), 1e-16)
			sum = sum.Add(sh.got.Decimal)
		}
		if !sum.Equal(decimal.NewFromInt(1)) {
			t.Errorf("%s: shares add up to %s", name, sum)
		}
		near(t, name+" median achievement", got.AchievementMedian, exampletest.Percentile(achs, big.NewRat(1, 2)), 1e-15)
		if got.TimeToAchievement.Instances != len(times) {
			t.Errorf("%s: %d timed, by hand %d", name, got.TimeToAchievement.Instances, len(times))
		}
		if len(times) > 0 {
			near(t, name+" median time", got.TimeToAchievement.Median, exampletest.Percentile(times, big.NewRat(1, 2)), 0)
			near(t, name+" p90 time", got.TimeToAchievement.P90, exampletest.Percentile(times, big.NewRat(9, 10)), 0)
			near(t, name+" min time", got.TimeToAchievement.Min, exampletest.Percentile(times, new(big.Rat)), 0)
			near(t, name+" max time", got.TimeToAchievement.Max, exampletest.Percentile(times, big.NewRat(1, 1)), 0)
		}
	}
	check("total", st.Total, func(instance) bool { return true })
	wantGoals := []string{"calls40", "won6", "revenue1m", "avg_deal50k", "onboarding"}
	if len(st.ByGoal) != len(wantGoals) {
		t.Fatalf("%d goal tallies", len(st.ByGoal))
	}
	for i, id := range wantGoals {
		if st.ByGoal[i].Goal != id {
			t.Fatalf("goal tally %d is %s, want %s", i, st.ByGoal[i].Goal, id)
		}
		check("goal "+id, st.ByGoal[i], func(in instance) bool { return in.goal == id })
	}
	if len(st.ByType) != 2 {
		t.Fatalf("%d type tallies", len(st.ByType))
	}
	check("quantitative", st.ByType[0], func(in instance) bool { return in.goal != "onboarding" })
	check("qualitative", st.ByType[1], func(in instance) bool { return in.goal == "onboarding" })
	if len(st.ByKind) != 3 {
		t.Fatalf("%d participant kind tallies", len(st.ByKind))
	}
	for i, kind := range []string{"user", "team", "company"} {
		check(kind+" goals", st.ByKind[i], func(in instance) bool {
			switch in.participant {
			case "*":
				return kind == "company"
			case "north", "south":
				return kind == "team"
			}
			return kind == "user"
		})
	}
	if len(st.ByTeam) != 2 {
		t.Fatalf("%d team tallies", len(st.ByTeam))
	}
	for i, office := range []string{"north", "south"} {
		check("team "+office, st.ByTeam[i], func(in instance) bool { return in.team == office })
	}
	if len(st.ByPeriod) != 3 {
		t.Fatalf("%d period tallies", len(st.ByPeriod))
	}
	for i := range 3 {
		check(st.ByPeriod[i].Label, st.ByPeriod[i], func(in instance) bool { return in.month == i+1 })
		if i == 0 {
			if st.ByPeriod[i].AchievedShareChange.Valid {
				t.Errorf("the first month has a change")
			}
			continue
		}
		want := new(big.Rat).Sub(shareOf(ins, i+1), shareOf(ins, i))
		near(t, st.ByPeriod[i].Label+" change", st.ByPeriod[i].AchievedShareChange, want, 2e-16)
	}

	// Correlations: one point per person and month, from plain sums.
	type cell struct{ calls, meetings, won, revenue float64 }
	cells := map[[2]int]*cell{}
	idx := map[string]int{}
	for i, u := range users {
		idx[u] = i
	}
	for _, e := range evs {
		k := [2]int{idx[e.Actor], int(e.Time.In(loc).Month())}
		c := cells[k]
		if c == nil {
			c = &cell{}
			cells[k] = c
		}
		switch e.Kind {
		case "call":
			c.calls++
		case "meeting":
			c.meetings++
		case "deal.won":
			c.won++
			f, _ := amount(e).Float64()
			c.revenue += f
		}
	}
	series := map[string][2][]float64{}
	for ui := range users {
		for m := 1; m <= 3; m++ {
			c := cells[[2]int{ui, m}]
			if c == nil {
				c = &cell{}
			}
			for id, x := range map[string]float64{"calls": c.calls, "meetings": c.meetings, "won": c.won} {
				s := series[id]
				s[0], s[1] = append(s[0], x), append(s[1], c.revenue)
				series[id] = s
			}
			if c.won > 0 {
				s := series["avg_deal"]
				s[0], s[1] = append(s[0], c.revenue/c.won), append(s[1], c.revenue)
				series["avg_deal"] = s
			}
		}
	}
	if len(st.Correlations) != 4 {
		t.Fatalf("%d correlations", len(st.Correlations))
	}
	for _, c := range st.Correlations {
		s := series[c.Indicator]
		r, _ := c.R.Decimal.Float64()
		if want := pearson(s[0], s[1]); c.Points != len(s[0]) || !c.R.Valid || math.Abs(r-want) > 1e-12 || c.BusinessResult != "revenue" {
			t.Errorf("%s: r = %v over %d points; by hand %v over %d", c.Indicator, c.R, c.Points, want, len(s[0]))
		}
	}
}

// shareOf is the share of a month's instances achieved.
func shareOf(ins []instance, m int) *big.Rat {
	var n, a int64
	for _, in := range ins {
		if in.month == m {
			n++
			if in.status == goal.Achieved {
				a++
			}
		}
	}
	return big.NewRat(a, n)
}

// pearson is the textbook correlation over deviations from the means.
func pearson(xs, ys []float64) float64 {
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx /= float64(len(xs))
	my /= float64(len(ys))
	var sxy, sxx, syy float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
		syy += (ys[i] - my) * (ys[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}

// near fails unless got is defined and within tol of want (0: equal).
func near(t *testing.T, what string, got decimal.NullDecimal, want *big.Rat, tol float64) {
	t.Helper()
	if !got.Valid {
		t.Errorf("%s: undefined, want %s", what, want.FloatString(20))
		return
	}
	diff := new(big.Rat).Sub(exampletest.Rat(got.Decimal.String()), want)
	tr := new(big.Rat)
	tr.SetFloat64(tol)
	if diff.Abs(diff).Cmp(tr) > 0 {
		t.Errorf("%s = %s, by hand %s", what, got.Decimal, want.FloatString(20))
	}
}

// TestDocsTable checks the table docs/goal-stats.md shows against the
// example's output (testdata/table.golden): every line of the page's block
// is the output's next line, or, after a line "  ...", a later one.
func TestDocsTable(t *testing.T) {
	block := exampletest.DocsBlock(t, "goal-stats.md", "```", "goal statistics\n")
	out, err := os.ReadFile(filepath.Join("testdata", "table.golden"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(out), "\n")
	next, skip := -1, false
	for _, line := range strings.Split(strings.TrimSuffix(block, "\n"), "\n") {
		if line == "  ..." {
			skip = true
			continue
		}
		at := -1
		for i := next + 1; i < len(lines); i++ {
			if lines[i] == line {
				at = i
				break
			}
			if !skip && next >= 0 {
				break
			}
		}
		if at < 0 {
			t.Errorf("docs/goal-stats.md shows %q where the example's output has %q", line, lineAt(lines, next+1))
			return
		}
		next, skip = at, false
	}
}

func lineAt(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "its end"
}
