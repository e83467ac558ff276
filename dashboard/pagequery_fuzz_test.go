package dashboard_test

import "testing"

// FuzzPageQuery: whatever the query of any page (a period, a goal, a
// participant, a language, a kiosk, a parameter given twice or of no
// page), the page is answered, or refused with 400 or 404, never a
// failure; and it names no one outside the viewer's scope but what the
// query holds.
func FuzzPageQuery(f *testing.F) {
	for _, c := range []struct {
		page uint8
		q    string
	}{
		{0, "period=2026-12"}, {0, "period=2026-13"}, {0, "period="}, {1, "period=2026-12&period=2026-11"},
		{2, "lang=ru&kiosk=1"}, {3, "period=2026-Q4"}, {4, "period=9999-12"}, {5, "period=-0001-01"},
		{6, "lang=xx"}, {7, "goal=revenue_monthly&participant=anna&period=2026-12"},
		{7, "goal=revenue_monthly&participant=boris"}, {7, "goal=&participant=%2A"}, {8, "since=1"},
	} {
		f.Add(c.page, c.q)
	}
	pages := []string{"/", "/ranking", "/scorecards", "/teams", "/cascades", "/breakdowns", "/stats", "/goal", "/explain"}
	fx := newFixture(f, dashboardOptions())
	f.Fuzz(func(t *testing.T, page uint8, q string) {
		checkQueried(t, fx, pages[int(page)%len(pages)], q)
	})
}
