package dashboard_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
)

// TestExplainPrevInput: an input a formula reads with prev() is shown under
// its own period's label and says that it is prev() (and how many periods
// back), in the viewer's language, as the text writer names it; the same
// indicator read in the formula's own period says no such thing.
func TestExplainPrevInput(t *testing.T) {
	plan := testPlanWith(t, func(def *goalkit.Definition) {
		def.Indicators = append(def.Indicators, kpi.IndicatorDef{ID: "swing", Name: "Swing", Formula: "revenue - prev(revenue) + prev(revenue, 2)", Unit: "money", Currency: "RUB"})
	})
	f := newFixtureOf(t, dashboardOptions(), plan)
	const path = "/explain?indicator=swing&participant=anna&grain=month&from=2026-12-01&to=2027-01-01&lang="
	heading := regexp.MustCompile(`(?s)<h2>(.*?)</h2>`)
	cases := []struct {
		lang  string
		heads map[string]string // the period's label: what its heading says, "" for nothing of prev
	}{
		{"en", map[string]string{"2026-12": "", "2026-11": "prev(revenue)</code> previous period", "2026-10": "prev(revenue, 2)</code> 2 periods back"}},
		{"ru", map[string]string{"2026-12": "", "2026-11": "prev(revenue)</code> предыдущий период", "2026-10": "prev(revenue, 2)</code> 2\u00a0периода назад"}},
	}
	for _, c := range cases {
		_, body := get(t, f, path+c.lang, "admin")
		heads := heading.FindAllStringSubmatch(body, -1)
		// The formula's heading, then its three inputs'.
		if len(heads) != 4 {
			t.Fatalf("%s: %d headings, want 4:\n%s", c.lang, len(heads), body)
		}
		for _, h := range heads[1:] {
			var label string
			for l := range c.heads {
				if strings.Contains(h[1], "· "+l) {
					label = l
				}
			}
			want, ok := c.heads[label]
			if !ok {
				t.Errorf("%s: an input's heading names no period of the three: %s", c.lang, h[1])
				continue
			}
			delete(c.heads, label)
			if want == "" {
				if strings.Contains(h[1], "prev") || strings.Contains(h[1], "data-field=\"prev\"") {
					t.Errorf("%s: the input of the formula's own period says prev: %s", c.lang, h[1])
				}
				continue
			}
			if !strings.Contains(h[1], `<code data-field="prev">`+want) {
				t.Errorf("%s: the input of %s does not say %q: %s", c.lang, label, want, h[1])
			}
		}
		if len(c.heads) != 0 {
			t.Errorf("%s: no input of %v", c.lang, c.heads)
		}
	}
}
