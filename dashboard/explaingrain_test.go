package dashboard_test

import (
	"testing"
)

// An explanation's address names its period by grain, from and to; a range
// that is not a whole number of periods of its grain, each starting where
// the grain's periods start (a year's grain over March, a month's from the
// 15th), is refused with 404, rather than its value shown under the label of
// the period of the grain that contains its start.
func TestExplainGrainMatchesRange(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	const base = "/explain?indicator=revenue&participant=anna&lang=en"
	cases := []struct {
		q    string
		code int
	}{
		{"&grain=month&from=2026-12-01&to=2027-01-01", 200},
		{"&grain=quarter&from=2026-10-01&to=2027-01-01", 200},
		{"&grain=year&from=2026-01-01&to=2027-01-01", 200},
		{"&grain=month&from=2026-10-01&to=2026-12-01", 200}, // two months: a recurrence every 2 months
		{"&grain=day&from=2026-12-03&to=2026-12-04", 200},
		{"&grain=10d&from=2026-12-03&to=2026-12-13", 200}, // a custom grain starts where its goal does
		{"&grain=year&from=2026-03-01&to=2026-04-01", 404},
		{"&grain=quarter&from=2026-12-01&to=2027-01-01", 404},
		{"&grain=month&from=2026-12-15&to=2027-01-01", 404},
		{"&grain=month&from=2026-12-01&to=2027-01-15", 404},
		{"&grain=week&from=2026-12-01&to=2026-12-15", 404}, // a Tuesday
		{"&grain=day&from=2026-12-01&to=2027-01-01", 200},
		{"&grain=10d&from=2026-12-03&to=2026-12-14", 404},
	}
	for _, c := range cases {
		resp, _ := get(t, f, base+c.q, "admin")
		if resp.StatusCode != c.code {
			t.Errorf("%s: %d, want %d", c.q, resp.StatusCode, c.code)
		}
	}
}
