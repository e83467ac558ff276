package dashboard_test

import (
	"regexp"
	"strings"
	"testing"
)

// TestRankingPeriod: the ranking of a period chosen at the top of the page
// (?period=) ranks the goals of that period too, not only the
// leaderboards: a page of November's leaderboards showed December's goal
// ranks. A goal with no instance in the period (Onboarding, December's
// only) keeps its current one.
func TestRankingPeriod(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	heading := regexp.MustCompile(`<h3><bdi>([^<]+)</bdi> <small>([^<]+)</small></h3>`)
	for _, period := range []string{"2026-11", "2026-12"} {
		_, body := get(t, f, "/ranking?lang=en&period="+period, "admin")
		var headings []string
		for _, m := range heading.FindAllStringSubmatch(body, -1) {
			headings = append(headings, m[1]+" "+m[2])
			if m[2] != period && m[1] != "Onboarding" {
				t.Errorf("ranking of %s: %s %s", period, m[1], m[2])
			}
		}
		if !strings.Contains(strings.Join(headings, "|"), "Monthly revenue "+period) {
			t.Errorf("ranking of %s: no goal ranking of the period in %q", period, headings)
		}
	}
}
