package dashboard_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestPeriodParam: a ?period= that names no period of the page is refused,
// naming the value: 404 for a label of a period the page does not have,
// 400 for what is no period label at all. The pages showed the current
// period under the address of the one asked.
func TestPeriodParam(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	for _, page := range []string{"/ranking", "/scorecards", "/breakdowns"} {
		checkAnswers(t, f, func(v string) string { return page + "?lang=en&period=" + url.QueryEscape(v) }, []answer{
			{"2026-12", http.StatusOK, ""},
			{"2026-11", http.StatusOK, ""},
			{"2031-05", http.StatusNotFound, `This page has no period "2031-05".`},
			{"2026-Q4", http.StatusNotFound, `This page has no period "2026-Q4".`},
			{"december", http.StatusBadRequest, `"december" is not a period label`},
			{"2026-13", http.StatusBadRequest, `"2026-13" is not a period label`},
			{"", http.StatusBadRequest, `"" is not a period label`},
			{"<b>x</b>", http.StatusBadRequest, `"<b>x</b>" is not a period label`},
		})
	}
	resp, body := get(t, f, "/ranking?lang=ru&period=2031-05", "admin")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(html.UnescapeString(body), `нет периода "2031-05"`) {
		t.Errorf("ru: status %d:\n%s", resp.StatusCode, body)
	}
}

// TestGoalFromParam: a goal's page asked for an instance (?from=) that
// does not start on that date is refused, naming it: 404 for a date, 400
// for what is no date. It showed the current instance under the address
// of the one asked.
func TestGoalFromParam(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	const page = "/goal?lang=en&goal=team_revenue&participant=north&from="
	checkAnswers(t, f, func(v string) string { return page + url.QueryEscape(v) }, []answer{
		{"2026-12-01", http.StatusOK, ""},
		{"2026-11-01", http.StatusOK, ""},
		{"2026-12-02", http.StatusNotFound, `This goal has no instance that starts on "2026-12-02".`},
		{"1900-01-01", http.StatusNotFound, `This goal has no instance that starts on "1900-01-01".`},
		{"2026-13-01", http.StatusBadRequest, `"2026-13-01" is not a date (YYYY-MM-DD).`},
		{"2026-11-31", http.StatusBadRequest, `"2026-11-31" is not a date`},
		{"", http.StatusBadRequest, `"" is not a date`},
	})
}

// TestExplainParams: an explanation's grain, from or to that is no grain or
// no date is refused as the other pages refuse a malformed parameter (400,
// naming it); a well-formed one that names no cell is 404. Every one was
// 404, which told a user who mistyped a date that the number did not
// exist. A date that does not exist is never moved onto another day,
// which would explain a value of other dates under the period's label.
func TestExplainParams(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	const base = "/explain?indicator=revenue&participant=anna"
	checkAnswers(t, f, func(q string) string { return base + q + "&lang=en" }, []answer{
		{"&grain=month&from=2026-12-01&to=2027-01-01", http.StatusOK, ""},
		{"&grain=fortnight&from=2026-12-01&to=2027-01-01", http.StatusBadRequest, `"fortnight" is not a grain`},
		{"&grain=0d&from=2026-12-01&to=2027-01-01", http.StatusBadRequest, `"0d" is not a grain`},
		{"&from=2026-12-01&to=2027-01-01", http.StatusBadRequest, `"" is not a grain`},
		{"&grain=month&from=2026-12-01&to=2026-12-32", http.StatusBadRequest, `"2026-12-32" is not a date (YYYY-MM-DD).`},
		{"&grain=month&from=2026-11-31&to=2027-01-01", http.StatusBadRequest, `"2026-11-31" is not a date`},
		{"&grain=month&from=2026-12-01&to=2026-13-01", http.StatusBadRequest, `"2026-13-01" is not a date`},
		{"&grain=month&from=2026-12-1&to=2027-01-01", http.StatusBadRequest, `"2026-12-1" is not a date`},
		{"&grain=month&from=2026-12-01&to=%2B2027-01-01", http.StatusBadRequest, `"+2027-01-01" is not a date`},
		{"&grain=month&from=2026-12-01", http.StatusBadRequest, `"" is not a date`},
		{"&grain=month&from=<b>x</b>&to=2027-01-01", http.StatusBadRequest, `"<b>x</b>" is not a date`},
		// Well-formed, but no cell.
		{"&grain=month&from=2027-01-01&to=2026-12-01", http.StatusNotFound, "This number cannot be explained."},
		{"&grain=year&from=2026-03-01&to=2026-04-01", http.StatusNotFound, "This number cannot be explained."},
	})
	resp, body := get(t, f, base+"&grain=month&from=2026-11-31&to=2027-01-01&lang=ru", "admin")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(body), `"2026-11-31" — не дата`) {
		t.Errorf("ru: status %d:\n%s", resp.StatusCode, body)
	}
}

// answer is what a page asked with a value says: its status and, when not
// empty, words of its body.
type answer struct {
	value  string
	status int
	says   string
}

// checkAnswers asks, as admin, the page at path(value) of each case, and
// fails where its status or words are not the case's, or where it writes
// a value's markup unescaped.
func checkAnswers(t *testing.T, f *fixture, path func(string) string, cases []answer) {
	t.Helper()
	for _, c := range cases {
		p := path(c.value)
		resp, body := get(t, f, p, "admin")
		if resp.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d", p, resp.StatusCode, c.status)
			continue
		}
		if c.says != "" && !strings.Contains(html.UnescapeString(body), c.says) {
			t.Errorf("%s: the page does not say %q:\n%s", p, c.says, body)
		}
		if strings.Contains(body, "<b>x</b>") {
			t.Errorf("%s: the value is written unescaped", p)
		}
	}
}

// TestParamGivenTwice: a parameter of the pages given twice is refused
// with 400, naming it and its values, on every page: which one the address
// meant cannot be told, and the pages took the first without a word (an
// explanation of anna's number under an address that also named boris's).
// A parameter of no page (a host's own) may come twice.
func TestParamGivenTwice(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	const explain = "/explain?lang=en&indicator=revenue&participant=anna&grain=month&from=2026-12-01&to=2027-01-01"
	checkAnswers(t, f, func(q string) string { return q }, []answer{
		{explain, http.StatusOK, ""},
		{explain + "&utm=a&utm=b", http.StatusOK, ""},
		{explain + "&participant=boris", http.StatusBadRequest, "The parameter participant = anna, boris is given more than once"},
		{explain + "&to=2027-02-01", http.StatusBadRequest, "The parameter to = 2027-01-01, 2027-02-01 is given more than once"},
		{explain + "&by=1&by.source=web&by.source=cold", http.StatusBadRequest, "The parameter by.source = web, cold is given more than once"},
		{explain + "&indicator=<b>x</b>", http.StatusBadRequest, "The parameter indicator = revenue, <b>x</b> is given"},
		{"/ranking?lang=en&period=2026-12&period=2026-11", http.StatusBadRequest, "The parameter period = 2026-12, 2026-11 is given more than once"},
		{"/goal?lang=en&goal=team_revenue&participant=north&goal=revenue_month", http.StatusBadRequest, "The parameter goal = team_revenue, revenue_month"},
		{"/?lang=en&kiosk=1&kiosk=0", http.StatusBadRequest, "The parameter kiosk = 1, 0"},
	})
	resp, body := get(t, f, "/scorecards?lang=ru&period=2026-12&period=2026-11", "admin")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(body), "Параметр period = 2026-12, 2026-11 задан больше одного раза") {
		t.Errorf("ru: status %d:\n%s", resp.StatusCode, body)
	}
}
