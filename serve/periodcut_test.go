package serve

import (
	"testing"
)

// TestPeriodCutsCascades: ?period= keeps only the cascade nodes of that
// period, as it keeps only the rows of the other sections: the March
// tree in full for 2025-03, no tree for 2025-04, on /report and
// /cascades alike.
func TestPeriodCutsCascades(t *testing.T) {
	f := newFixture(t, nil)
	f.post(deal("d1", "n1", "120000", day(3, 10)))
	type node struct {
		Period   string  `json:"period"`
		Actual   *string `json:"actual"`
		Children []node  `json:"children"`
	}
	var count func(n node) int
	count = func(n node) int {
		c := 1
		for _, k := range n.Children {
			c += count(k)
		}
		return c
	}
	for _, path := range []string{"/api/v1/report", "/api/v1/cascades"} {
		for period, want := range map[string]int{"2025-03": 9, "2025-04": 0} {
			var got struct {
				Cascade struct {
					Trees []struct{ Root node } `json:"trees"`
				} `json:"cascade"`
			}
			f.getJSON(path+"?period="+period, adminToken, &got)
			nodes := 0
			for _, tr := range got.Cascade.Trees {
				nodes += count(tr.Root)
			}
			if nodes != want {
				t.Errorf("%s?period=%s: %d cascade nodes, want %d", path, period, nodes, want)
			}
		}
	}
}
