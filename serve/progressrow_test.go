package serve

import "testing"

// The progress endpoint without a period answers the goal's instance that
// holds the as-of date, else the latest that began by it, else the first:
// the instance the dashboard's page of the goal shows, never a later one
// that has not begun.
func TestProgressPicksTheCurrentInstance(t *testing.T) {
	f := newFixture(t, nil)
	for _, c := range []struct{ asOf, want string }{
		{"2025-03-20T12:00:00Z", "2025-03"},
		{"2025-04-10T12:00:00Z", "2025-04"},
		{"2025-06-10T12:00:00Z", "2025-04"}, // the latest that began
		{"2025-01-10T12:00:00Z", "2025-03"}, // none began: the first
	} {
		var row struct{ Period string }
		f.getJSON("/api/v1/goals/revenue_user/progress/n1?as_of="+c.asOf, adminToken, &row)
		if row.Period != c.want {
			t.Errorf("as of %s: the row of %s, want %s", c.asOf, row.Period, c.want)
		}
	}
}
