package dashboard_test

import (
	"fmt"
	"html"
	"regexp"
	"testing"

	"github.com/goalkit/goalkit/goal"
)

// TestGoalDaysTable: a goal's page writes its daily dynamics as a table
// too (in a fold under the chart), a row a day of the series with its
// plan and actual, so that they can be read without a pointer: the chart
// is a drawing whose legend shows a day's numbers only under the mouse,
// and a keyboard or a screen reader reached none of them. Every number is
// checked against the report's series, written by the test's formatter.
func TestGoalDaysTable(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	_, body := get(t, f, "/goal?goal=revenue_month&participant=anna&lang=en", "admin")
	var row *goal.Row
	for _, r := range f.report(t, goal.Viewer{Admin: true}).Goals.Rows {
		if r.Goal == "revenue_month" && r.Participant == "anna" && r.Period.Contains(dateOf(asOf)) {
			row = r
		}
	}
	if row == nil || len(row.Series) == 0 {
		t.Fatal("the report has no series of anna's revenue_month this month")
	}
	table := regexp.MustCompile(`(?s)<details class="days"><summary>Day by day</summary>.*?<tbody>(.*?)</tbody>`).FindStringSubmatch(body)
	if table == nil {
		t.Fatalf("the page has no table of the days:\n%s", body)
	}
	cells := regexp.MustCompile(`(?s)<tr><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td></tr>`).FindAllStringSubmatch(table[1], -1)
	if len(cells) != len(row.Series) {
		t.Fatalf("the table has %d days, the series %d", len(cells), len(row.Series))
	}
	for i, p := range row.Series {
		y, m, d := p.Date.Date()
		want := []string{fmt.Sprintf("%d %s %d", d, m.String()[:3], y), enRUB(p.Plan), enRUB(p.Actual)}
		for k, w := range want {
			if got := html.UnescapeString(cells[i][k+1]); got != w {
				t.Errorf("day %d, column %d: %q, want %q", i, k, got, w)
			}
		}
	}
}
