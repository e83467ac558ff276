package dashboard_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/org"
	"github.com/shopspring/decimal"
)

// enScore writes a scorecard number (a score, a percent already): at most
// two decimal places.
func enScore(x decimal.Decimal) string {
	s := enDigits(roundHalfAway(x, 2), 2)
	return strings.TrimRight(strings.TrimRight(s, "0"), ".")
}

// TestScorecardNumbers: every total, KPI row and bonus of the current
// month's scorecards is the report's, as the test writes it.
func TestScorecardNumbers(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	_, body := get(t, f, "/scorecards?lang=en", "admin")
	rep := f.report(t, goal.Viewer{Admin: true})
	n := 0
	for _, c := range rep.Scores.Scorecards {
		if c.Label != "2026-12" {
			if strings.Contains(body, shownAs(c.Participant)+"</bdi> · "+c.Label) {
				t.Errorf("the page shows %s's card of %s, not the current month", c.Participant, c.Label)
			}
			continue
		}
		n++
		head := fmt.Sprintf(`<small><bdi>%s</bdi> · %s</small></h2><span class="sc-total"><small>Total</small> <strong data-field="total">%s</strong>`, shownAs(c.Participant), c.Label, enScore(c.Total))
		if !strings.Contains(body, head) {
			t.Errorf("%s: no total %s", c.Participant, enScore(c.Total))
		}
		i := strings.Index(body, head)
		card := body[i:]
		card = card[:strings.Index(card, "</section>")]
		// The plan's KPIs have no names of their own: each is called by
		// its indicator's.
		kpiNames := map[string]string{"revenue": "Revenue", "won": "Deals won", "calls": "Calls"}
		for _, k := range c.KPIs {
			actual := enPlain(k.Actual)
			target := enPlain(decimal.NewNullDecimal(k.Target))
			if k.Indicator == "revenue" {
				actual, target = enRUB(k.Actual), enRUB(decimal.NewNullDecimal(k.Target))
			}
			row := fmt.Sprintf(`<td><bdi>%s</bdi></td><td class="num">%s%%</td><td class="num"><a class="explain" href="[^"]*">%s</a></td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td>`,
				regexp.QuoteMeta(kpiNames[k.KPI]), enScore(k.Weight), regexp.QuoteMeta(actual), regexp.QuoteMeta(target),
				regexp.QuoteMeta(enScore(k.Achievement.Decimal)+"%"), enScore(k.Score), enScore(k.Weighted), enScore(k.Contribution))
			if !regexp.MustCompile(row).MatchString(card) {
				t.Errorf("%s: no row %s", c.Participant, row)
			}
			if k.Gated != strings.Contains(card, "<tr class=\"gated\"><td><bdi>"+kpiNames[k.KPI]+"</bdi></td>") {
				t.Errorf("%s: KPI %s gated %v, the page disagrees", c.Participant, k.KPI, k.Gated)
			}
		}
		for _, p := range rep.Scores.Bonuses {
			if p.Participant == c.Participant && p.Label == c.Label {
				if want := `<strong data-field="bonus">` + enRUB(decimal.NewNullDecimal(p.Amount)) + `</strong>`; !strings.Contains(card, want) {
					t.Errorf("%s: no bonus %s", c.Participant, want)
				}
			}
		}
	}
	if n != len(people) {
		t.Errorf("%d cards of 2026-12 in the report, want %d", n, len(people))
	}
}

// TestTeamAndCascadeNumbers: the department table and the cascade tree
// show the report's values.
func TestTeamAndCascadeNumbers(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	rep := f.report(t, goal.Viewer{Admin: true})
	dec := rep.Values.Periods()[1]
	_, body := get(t, f, "/teams?lang=en", "admin")
	for _, p := range []string{"north", "south", org.Everyone} {
		won, _ := rep.Values.Value("won", p, dec)
		revenue, _ := rep.Values.Value("revenue", p, dec)
		calls, _ := rep.Values.Value("calls", p, dec)
		avg, _ := rep.Values.Value("avg_deal", p, dec)
		row := `<tr><th><bdi>` + shownAs(p) + `</bdi></th>`
		for _, v := range []string{enPlain(won), enRUB(revenue), enPlain(calls), enRUB(avg)} {
			row += `<td class="num"><a class="explain" href="[^"]*">` + regexp.QuoteMeta(v) + `</a></td>`
		}
		if !regexp.MustCompile(row + `</tr>`).MatchString(body) {
			t.Errorf("the department table has no row %s", row)
		}
	}
	_, body = get(t, f, "/cascades?lang=en", "admin")
	nodes := 0
	rep.Cascade.Trees[0].Root.Walk(func(n *cascadeNode) {
		nodes++
		want := `<span class="actual"><a class="explain" href="[^"]*participant=` + regexp.QuoteMeta(strings.ReplaceAll(n.Participant, "*", "%2A")) + `[^"]*">` +
			regexp.QuoteMeta(enRUB(n.Actual)) + `</a></span> / <span class="target">` + regexp.QuoteMeta(enRUB(n.Target)) +
			`</span> <span class="ach">` + regexp.QuoteMeta(enPercent(n.Achievement)) + `</span>`
		if !regexp.MustCompile(want).MatchString(body) {
			t.Errorf("cascade node %s: no %s", n.Participant, want)
		}
	})
	if nodes != 9 {
		t.Errorf("%d cascade nodes, want the company, 2 teams and 6 people", nodes)
	}
	// The 6 people are leaves: nothing to open or close, so no marker.
	if n := strings.Count(body, `<summary class="leaf`) + strings.Count(body, `<summary class="met leaf`); n != 6 {
		t.Errorf("%d leaves in the cascade tree, want the 6 people", n)
	}
}

// TestRankingNumbers: the leaderboard of the current month lists the
// report's standings, and a viewer's only their own standing, with their
// rank among everyone.
func TestRankingNumbers(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	rep := f.report(t, goal.Viewer{Admin: true})
	var board []string
	for _, b := range rep.Scores.Leaderboards {
		if b.Label != "2026-12" {
			continue
		}
		for _, s := range b.Standings {
			board = append(board, fmt.Sprintf(`<tr><td class="num rank">%d</td><td><bdi>%s</bdi></td><td class="num">%s</td></tr>`, s.Rank, shownAs(s.Participant), enScore(s.Value.Decimal)))
		}
	}
	if len(board) != len(people) {
		t.Fatalf("%d standings in the report, want %d", len(board), len(people))
	}
	_, body := get(t, f, "/ranking?lang=en", "admin")
	for _, row := range board {
		if !strings.Contains(body, row) {
			t.Errorf("admin's ranking lacks %s", row)
		}
	}
	if got := strings.Join(regexp.MustCompile(`<tr><td class="num rank">\d+</td><td><bdi>[^<]+</bdi></td><td class="num">[\d.]+</td></tr>`).FindAllString(body, -1), "\n"); got != strings.Join(board, "\n") {
		t.Errorf("admin's leaderboard, in order:\n%s\nwant\n%s", got, strings.Join(board, "\n"))
	}
	_, body = get(t, f, "/ranking?lang=en", "anna")
	for _, row := range board {
		if strings.Contains(row, "<td><bdi>"+shownAs("anna")+"</bdi></td>") != strings.Contains(body, row) {
			t.Errorf("anna's ranking: %s shown %v", row, strings.Contains(body, row))
		}
	}
}
