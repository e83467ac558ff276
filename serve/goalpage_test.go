package serve

import (
	"encoding/json"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestGoalPageChart: the dashboard's page of one goal draws its daily
// dynamics although the tracker was started without goalkit.WithSeries, as
// `goalkit serve` starts it: the chart holds each day's cumulative actual
// from the period's first day to the as-of day, the sums worked out here,
// and a viewer who may not see the participant gets no page.
func TestGoalPageChart(t *testing.T) {
	f := newFixture(t, nil)
	f.post(deal("d1", "n1", "20000", day(3, 10)), deal("d2", "n1", "30000", day(5, 12)),
		deal("d3", "n1", "5000", day(10, 9)), deal("d4", "n2", "7000", day(4, 9)))
	w := f.do("GET", "/goal?goal=revenue_user&participant=n1&from=2025-03-01&lang=en", adminToken, "", nil)
	if w.Code != 200 {
		t.Fatalf("goal page: %d %s", w.Code, w.Body)
	}
	body := w.Body.String()
	attr := func(name string) []any {
		t.Helper()
		m := regexp.MustCompile(` ` + name + `="([^"]*)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("the goal page has no chart (%s)", name)
		}
		var v []any
		if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return v
	}
	xs, actual := attr("data-x"), attr("data-actual")
	msk, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	// testNow is 20 March 15:00 in Moscow: the 1st to the 20th.
	if len(xs) != 20 || len(actual) != 20 {
		t.Fatalf("%d days and %d actuals on the chart, want 20", len(xs), len(actual))
	}
	deals := map[int]int{3: 20000, 5: 30000, 10: 5000}
	sum := 0
	for i := range 20 {
		d := i + 1
		sum += deals[d]
		if want := time.Date(2025, 3, d, 0, 0, 0, 0, msk).Unix(); int64(xs[i].(float64)) != want {
			t.Errorf("day %d at %v, want %d", d, xs[i], want)
		}
		if got, _ := actual[i].(string); got != strconv.Itoa(sum) {
			t.Errorf("actual on the %dth: %v, want %d", d, actual[i], sum)
		}
	}
	if w := f.do("GET", "/goal?goal=revenue_user&participant=n1&from=2025-03-01", n2Token, "", nil); w.Code != 404 {
		t.Errorf("n2 asks for n1's goal page: %d", w.Code)
	}
	// A kiosk of the south team sees its people's charts through the
	// teams of its token.
	if w := f.do("GET", "/goal?goal=revenue_user&participant=s2&from=2025-03-01", kioskToken, "", nil); w.Code != 200 || !strings.Contains(w.Body.String(), `class="chart"`) {
		t.Errorf("the south kiosk asks for s2's goal page: %d, chart %v", w.Code, strings.Contains(w.Body.String(), `class="chart"`))
	}
}
