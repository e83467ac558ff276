package serve

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/goalstats"
	"github.com/goalkit/goalkit/org"
)

// TestPeriodCutsCascades: ?period= keeps only the cascade nodes of that
// period, as it keeps only the rows of the other sections: the March
// tree in full for 2025-03, no tree for 2025-04, on /report and
// /cascades alike.
func TestPeriodCutsCascades(t *testing.T) {
	f := newFixture(t, nil)
	f.post(deal("d1", "n1", "120000", day(3, 10)))
	type node struct {
		Period   string  `json:"period"`
		Actual   *string `json:"actual"`
		Children []node  `json:"children"`
	}
	var count func(n node) int
	count = func(n node) int {
		c := 1
		for _, k := range n.Children {
			c += count(k)
		}
		return c
	}
	for _, path := range []string{"/api/v1/report", "/api/v1/cascades"} {
		for period, want := range map[string]int{"2025-03": 9, "2025-04": 0} {
			var got struct {
				Cascade struct {
					Trees []struct{ Root node } `json:"trees"`
				} `json:"cascade"`
			}
			f.getJSON(path+"?period="+period, adminToken, &got)
			nodes := 0
			for _, tr := range got.Cascade.Trees {
				nodes += count(tr.Root)
			}
			if nodes != want {
				t.Errorf("%s?period=%s: %d cascade nodes, want %d", path, period, nodes, want)
			}
		}
	}
}

// TestPeriodCutKeepsWarningsOfNoPeriod: ?period= keeps a warning that
// names no period, which holds in every period: that department 1 has no
// row of values, its id being user 1's. The cut dropped it as a row of
// another period, so that the period's report left the department's row
// out without a word, where the whole report said why.
func TestPeriodCutKeepsWarningsOfNoPeriod(t *testing.T) {
	f, id := collideFixture(t, collidePlan, []org.Unit{{ID: "1", Name: "Company"}},
		[]org.Membership{{User: "7", Unit: "1"}}, "1", "7")
	*id = Identity{Role: Reader, Viewer: goal.Viewer{Admin: true}}
	for _, path := range []string{"/api/v1/report", "/api/v1/report?period=2025-03", "/api/v1/values?period=2025-03"} {
		var rep struct {
			Warnings []struct{ Participant, Period, Message string }
		}
		f.getJSON(path, "x", &rep)
		if len(rep.Warnings) != 1 || rep.Warnings[0].Participant != "1" || rep.Warnings[0].Period != "" {
			t.Errorf("%s: warnings %+v, want the one of department 1, of no period", path, rep.Warnings)
		}
	}
}

// TestPeriodCutKeepsGoalStatsWhole: ?period= keeps the goal statistics
// whole, as the API's description says: they are the tallies of the
// report's goals, and their by_period has each period's (here March's,
// closed, and April's, open), which the period's own rows are not.
func TestPeriodCutKeepsGoalStatsWhole(t *testing.T) {
	def := goalkittest.ReadPlan(t, "testdata/plan.yaml").Definition()
	def.GoalStats = &goalstats.Def{}
	plan, err := goalkit.Compile(&def)
	if err != nil {
		t.Fatal(err)
	}
	f := planFixture(t, plan, goalkittest.ReadDirectory(t, "testdata/directory.json"), nil)
	var rep struct {
		Goals     []struct{ Period string }
		GoalStats struct {
			Total    struct{ Instances int }
			ByPeriod []struct{ Period string } `json:"by_period"`
		} `json:"goal_stats"`
	}
	f.getJSON("/api/v1/report?period=2025-03&as_of=2025-04-20T00:00:00Z", adminToken, &rep)
	var periods []string
	for _, p := range rep.GoalStats.ByPeriod {
		periods = append(periods, p.Period)
	}
	// 11 rows a month: six people, two teams and the private goal's two,
	// and the company.
	if len(rep.Goals) != 11 || rep.GoalStats.Total.Instances != 22 || strings.Join(periods, " ") != "2025-03 2025-04" {
		t.Errorf("%d goal rows, goal_stats of %d instances by periods %v; want March's 11 rows and the statistics of both months (22)", len(rep.Goals), rep.GoalStats.Total.Instances, periods)
	}
}
