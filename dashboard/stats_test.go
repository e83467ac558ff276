package dashboard_test

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalstats"
	"github.com/shopspring/decimal"
)

// enDays writes seconds in days with one decimal place, rounded half away
// from zero, by the test's own arithmetic.
func enDays(x decimal.NullDecimal) string {
	if !x.Valid {
		return "—"
	}
	r, _ := new(big.Rat).SetString(x.Decimal.String())
	r.Quo(r, big.NewRat(86400, 1))
	r.Mul(r, big.NewRat(10, 1))
	q := roundRat(r)
	return enDigits(q, 1) + nbsp + "d"
}

// enPoints writes a change of a share in percentage points, signed.
func enPoints(x decimal.NullDecimal) string {
	if !x.Valid {
		return "—"
	}
	n := roundHalfAway(x.Decimal.Shift(2), 1)
	s := enDigits(new(big.Int).Abs(n), 1) + nbsp + "pp"
	switch n.Sign() {
	case 1:
		return "+" + s
	case -1:
		return "−" + s
	}
	return s
}

// tallyRow is the pattern of the row a tally should have on the
// statistics page.
func tallyRow(label string, t goalstats.Tally, trend bool) string {
	cell := func(l, v string) string {
		return fmt.Sprintf(`<td class="num" data-label="%s">%s</td>`, l, v)
	}
	row := "<tr><th><bdi>" + label + "</bdi></th>" + cell("Instances", fmt.Sprint(t.Instances)) +
		cell("Achieved", fmt.Sprintf("%s <small>(%d)</small>", enPercent(t.AchievedShare), t.Achieved)) +
		cell("Failed", fmt.Sprintf("%s <small>(%d)</small>", enPercent(t.FailedShare), t.Failed)) +
		cell("Open", fmt.Sprintf("%s <small>(%d)</small>", enPercent(t.OpenShare), t.Open)) +
		cell("Median achievement", enPercent(t.AchievementMedian)) +
		cell("Time to achievement · Median", enDays(t.TimeToAchievement.Median)) +
		cell("Time to achievement · P90", enDays(t.TimeToAchievement.P90))
	if trend {
		row += `<td class="num delta CLASS" data-label="Change of the share achieved">` + enPoints(t.AchievedShareChange) + `</td>`
	}
	// A pattern: the row as written, the change's colour any class.
	return strings.Replace(regexp.QuoteMeta(row+"</tr>"), "CLASS", "[a-z]+", 1)
}

// TestStatsNumbers: the statistics page shows the goal statistics of the
// viewer's report, every tally of every list in order and every
// correlation with its number of points, as the test writes them.
func TestStatsNumbers(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	for _, viewer := range []goal.Viewer{{Admin: true}, {User: "anna"}, {User: "nadia"}} {
		name := viewer.User
		if viewer.Admin {
			name = "admin"
		}
		st := f.report(t, viewer).GoalStats
		if st == nil || st.Total.Instances == 0 {
			t.Fatalf("%s: the report has no goal statistics", name)
		}
		_, body := get(t, f, "/stats?lang=en", name)
		if want := `<strong data-field="instances">` + fmt.Sprint(st.Total.Instances) + `</strong>`; !strings.Contains(body, want) {
			t.Errorf("%s: no %s", name, want)
		}
		if want := `<strong data-field="achieved">` + enPercent(st.Total.AchievedShare) + `</strong>`; !strings.Contains(body, want) {
			t.Errorf("%s: no %s", name, want)
		}
		if want := `<strong data-field="time-median">` + enDays(st.Total.TimeToAchievement.Median) + `</strong>`; !strings.Contains(body, want) {
			t.Errorf("%s: no %s", name, want)
		}
		groups := []struct {
			key     string
			tallies []goalstats.Tally
			label   func(goalstats.Tally) string
		}{
			{"bygoal", st.ByGoal, func(t goalstats.Tally) string { return t.Name }},
			{"bytype", st.ByType, func(t goalstats.Tally) string { return t.Type }},
			{"bykind", st.ByKind, func(t goalstats.Tally) string {
				return map[goal.ParticipantKind]string{goal.User: "individual", goal.Team: "team", goal.Company: "company"}[t.Kind]
			}},
			{"byteam", st.ByTeam, func(t goalstats.Tally) string { return shownAs(t.Team) }},
			{"byperiod", st.ByPeriod, func(t goalstats.Tally) string { return t.Label }},
		}
		for _, g := range groups {
			m := regexp.MustCompile(`(?s)<table class="values stack tallies" data-group="` + g.key + `">.*?<tbody>(.*?)</tbody>`).FindStringSubmatch(body)
			if len(g.tallies) == 0 {
				if m != nil {
					t.Errorf("%s: a table %s the report does not have", name, g.key)
				}
				continue
			}
			if m == nil {
				t.Errorf("%s: no table %s", name, g.key)
				continue
			}
			var want []string
			for _, tl := range g.tallies {
				want = append(want, tallyRow(g.label(tl), tl, g.key == "byperiod"))
			}
			if !regexp.MustCompile("^" + strings.Join(want, "") + "$").MatchString(m[1]) {
				t.Errorf("%s: %s is\n%s\nwant\n%s", name, g.key, m[1], strings.Join(want, "\n"))
			}
		}
		var corr []string
		for _, c := range st.Correlations {
			ind := map[string]string{"won": "Deals won", "calls": "Calls"}[c.Indicator]
			r := enPlain(c.R)
			if c.Undefined != "" {
				r += " <small>(" + c.Undefined + ")</small>"
			}
			corr = append(corr, fmt.Sprintf(`<tr><th><bdi>%s</bdi></th><td class="num" data-label="r">%s</td><td class="num" data-label="Points">%d</td></tr>`, ind, r, c.Points))
		}
		if len(corr) != 2 || !strings.Contains(body, "<h3>Correlations with Revenue</h3>") || !strings.Contains(body, "<tbody>"+strings.Join(corr, "")+"</tbody>") {
			t.Errorf("%s: the correlations are not\n%s", name, strings.Join(corr, "\n"))
		}
		checkScope(t, f.data.policy(asOf), viewer, "/stats", body)
	}
}

func TestEnDays(t *testing.T) {
	for _, c := range []struct{ s, want string }{
		{"0", "0.0" + nbsp + "d"}, {"86400", "1.0" + nbsp + "d"}, {"4320", "0.1" + nbsp + "d"},
		{"4319.999999999", "0.0" + nbsp + "d"}, {"1339200", "15.5" + nbsp + "d"},
	} {
		if got := enDays(decimal.NewNullDecimal(decimal.RequireFromString(c.s))); got != c.want {
			t.Errorf("enDays(%s) = %q, want %q", c.s, got, c.want)
		}
	}
}
