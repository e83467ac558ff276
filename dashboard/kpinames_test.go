package dashboard_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/dashboard"
	"github.com/goalkit/goalkit/goal"
)

// TestKPINames: a scorecard's KPI is shown by its own name, else by its
// indicator's when it is the indicator's KPI, else by its id; two KPIs on
// one indicator read apart.
func TestKPINames(t *testing.T) {
	_, page := adminDashboard(t, `
timezone: Europe/Moscow
indicators:
  - {id: revenue, name: Revenue, kinds: [deal.won], aggregate: sum, value: amount, currency: RUB}
  - {id: calls, name: Calls, kinds: [call], aggregate: count}
scorecards:
  - id: sales
    grain: month
    participants: [anna]
    kpis:
      - {indicator: revenue, target: 100000, weight: 50}
      - {id: big_deals, name: Revenue over plan, indicator: revenue, target: 200000, weight: 30}
      - {id: calls_kpi, indicator: calls, target: 2, weight: 20}
report: {grain: month, from: 2026-12-01, to: 2027-01-01}
`)
	var got []string
	for _, m := range regexp.MustCompile(`<tr(?: class="[^"]*")?><td><bdi>([^<]*)</bdi></td>`).FindAllStringSubmatch(page("/scorecards?lang=en"), -1) {
		got = append(got, m[1])
	}
	if want := []string{"Revenue", "Revenue over plan", "calls_kpi"}; !slices.Equal(got, want) {
		t.Errorf("KPIs shown as %q, want %q", got, want)
	}
}

// adminDashboard tracks the plan of planYAML in memory and serves its
// dashboard to an admin as of 15 December 2026; page returns the body of
// a page. The tracker closes when the test ends.
func adminDashboard(t *testing.T, planYAML string) (*liveData, func(path string) string) {
	t.Helper()
	data := track(context.Background(), planYAML)
	t.Cleanup(func() { data.tracker.Close() })
	h, err := dashboard.New(data, dashboard.Options{
		Viewer: func(*http.Request) (goal.Viewer, bool) { return goal.Viewer{Admin: true}, true },
		Now:    func() time.Time { return time.Date(2026, 12, 15, 12, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return data, func(path string) string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Body.String()
	}
}
