package winspan

import "testing"

func TestReach(t *testing.T) {
	for _, c := range []struct {
		toDate, window string
		want           int
		ok             bool
	}{
		{"", "", 0, true},
		{"year", "", 366, true},
		{"fiscal_quarter", "", 366, true},
		{"", "7 days", 7, true},
		{"", "1d", 1, true},
		{"", "2 weeks", 14, true},
		{"", "3 months", 93, true},
		{"", "1 quarter", 92, true},
		{"", "100 years", 36600, true},
		{"", "9999 years", 9999 * 366, true},
		{"", "all", 0, false},
		{"", "0 days", 0, false},
		{"", "7 fortnights", 0, false},
	} {
		got, ok := Reach(c.toDate, c.window)
		if got != c.want || ok != c.ok {
			t.Errorf("Reach(%q, %q) = %d, %v; want %d, %v", c.toDate, c.window, got, ok, c.want, c.ok)
		}
	}
}
