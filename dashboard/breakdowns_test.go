package dashboard_test

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// shownCell is a number of a breakdown table as the page shows it.
type shownCell struct{ text, url string }

var (
	breakdownSection = regexp.MustCompile(`(?s)<section class="breakdown" data-indicator="([^"]+)">(.*?)</section>`)
	breakdownRow     = regexp.MustCompile(`(?s)<tr><th><bdi>([^<]*)</bdi></th>(.*?)</tr>`)
	breakdownCell    = regexp.MustCompile(`<td class="num[^"]*" data-label="([^"]*)">(?:<a class="explain" href="([^"]*)">)?([^<]*)(?:</a>)?</td>`)
)

// breakdownCells reads the breakdown tables of a page: indicator →
// participant as shown → column → number; blank cells are left out.
func breakdownCells(body string) map[string]map[string]map[string]shownCell {
	out := map[string]map[string]map[string]shownCell{}
	for _, s := range breakdownSection.FindAllStringSubmatch(body, -1) {
		rows := map[string]map[string]shownCell{}
		_, tbody, _ := strings.Cut(s[2], "<tbody>")
		for _, r := range breakdownRow.FindAllStringSubmatch(tbody, -1) {
			cells := map[string]shownCell{}
			for _, c := range breakdownCell.FindAllStringSubmatch(r[2], -1) {
				if c[3] != "" {
					cells[html.UnescapeString(c[1])] = shownCell{text: html.UnescapeString(c[3]), url: html.UnescapeString(c[2])}
				}
			}
			rows[html.UnescapeString(r[1])] = cells
		}
		out[s[1]] = rows
	}
	return out
}

// TestBreakdownNumbers: the breakdowns of December are the report's
// breakdown rows, every one and nothing else, for the participants the
// viewer may see, each combination's number linked to its explanation,
// which explains that very number.
func TestBreakdownNumbers(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	dec := period.Period{Grain: period.Month, Start: date.New(2026, 12, 1), End: date.New(2027, 1, 1)}
	for _, viewer := range []goal.Viewer{{Admin: true}, {User: "anna"}, {User: "nadia"}} {
		name := viewer.User
		if viewer.Admin {
			name = "admin"
		}
		rep := f.report(t, viewer)
		_, body := get(t, f, "/breakdowns?lang=en&period=2026-12", name)
		got := breakdownCells(body)
		want := map[string]map[string]map[string]string{}
		for _, r := range rep.Values.Rows() {
			if r.Period != dec || (r.Indicator != "revenue" && r.Indicator != "avg_deal") {
				continue
			}
			if want[r.Indicator] == nil {
				want[r.Indicator] = map[string]map[string]string{}
			}
			who := shownAs(r.Participant)
			if want[r.Indicator][who] == nil {
				want[r.Indicator][who] = map[string]string{}
			}
			want[r.Indicator][who][columnOf(r)] = enRUB(r.Value)
		}
		if len(want) != 2 {
			t.Fatalf("%s: the report breaks down %d indicators in December, want 2", name, len(want))
		}
		explained := 0
		for ind, rows := range want {
			if len(got[ind]) != len(rows) {
				t.Errorf("%s: %s has %d participants on the page, %d in the report", name, ind, len(got[ind]), len(rows))
			}
			for who, cols := range rows {
				if len(got[ind][who]) != len(cols) {
					t.Errorf("%s: %s of %s: %d numbers on the page, %d in the report", name, ind, who, len(got[ind][who]), len(cols))
				}
				for col, text := range cols {
					c, ok := got[ind][who][col]
					if !ok || c.text != text {
						t.Errorf("%s: %s of %s, %s: page %q, report %q", name, ind, who, col, c.text, text)
						continue
					}
					if (c.url == "") != (col == "(other)") {
						t.Errorf("%s: %s of %s, %s: link %q (only (other) has none)", name, ind, who, col, c.url)
					}
					if c.url == "" || col == "Total" || explained >= 12 {
						continue
					}
					// Follow a few of the links: the explanation says the
					// same number, of the same combination.
					explained++
					_, ex := get(t, f, strings.TrimPrefix(c.url, "."), name)
					if !strings.Contains(ex, `<strong data-field="value">`+text+`</strong>`) {
						t.Errorf("%s: %s of %s, %s: the explanation at %s does not say %s", name, ind, who, col, c.url, text)
					}
					if want := " · <bdi>source = " + col + "</bdi></small>"; !strings.Contains(ex, want) {
						t.Errorf("%s: the explanation at %s does not name the combination %q", name, c.url, want)
					}
				}
			}
		}
		checkScope(t, f.data.policy(asOf), viewer, "/breakdowns", body)
	}
}

// columnOf is the column of a breakdown row: its source, "(none)",
// "(other)", or "Total".
func columnOf(r kpi.Row) string {
	switch {
	case r.Other:
		return "(other)"
	case r.By == nil:
		return "Total"
	case r.By[0] == nil:
		return "(none)"
	}
	return r.By[0].(string)
}
