package dashboard_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"pgregory.net/rapid"
)

// TestScopeProperty: for any viewer (a person, a head, an admin, a
// stranger) and any page, the page names a person or a team only when the
// visibility policy lets the viewer see them.
func TestScopeProperty(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	pol := f.data.policy(asOf)
	viewers := append([]string{"admin", "stranger"}, people...)
	rapid.Check(t, func(rt *rapid.T) {
		name := rapid.SampledFrom(viewers).Draw(rt, "viewer")
		v := goal.Viewer{User: name, Admin: name == "admin"}
		path := rapid.SampledFrom(append(pagePaths, "/ranking?period=2026-11", "/scorecards?period=2026-11",
			"/goal?goal=team_revenue&participant=north", "/goal?goal=team_revenue&participant=south",
			"/breakdowns?period=2026-11", "/explain?indicator=revenue&participant=north&grain=month&from=2026-12-01&to=2027-01-01&by=1&by.source=web")).Draw(rt, "page")
		resp, body := get(t, f, path, name)
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotFound {
			rt.Fatalf("%s as %s: status %d", path, name, resp.StatusCode)
		}
		checkScope(rt, pol, v, path, body)
	})
}

// checkScope fails when the page names a person or a team, by id or by
// name, whom the viewer may not see.
func checkScope(t interface{ Errorf(string, ...any) }, pol goal.VisibilityPolicy, v goal.Viewer, path, body string) {
	for _, p := range people {
		if (strings.Contains(body, p) || strings.Contains(body, shownAs(p))) && !pol.CanSee(v, goal.Subject{Participant: p, Kind: goal.User}) {
			t.Errorf("%s as %s names %s", path, v.User, p)
		}
	}
	for _, team := range []string{"north", "south"} {
		if (strings.Contains(body, team) || strings.Contains(body, shownAs(team))) && !pol.CanSee(v, goal.Subject{Participant: team, Kind: goal.Team}) {
			t.Errorf("%s as %s names the team %s", path, v.User, team)
		}
	}
}

// FuzzExplainQuery: whatever the query of an explanation, the page is the
// explanation, a 400 that names a malformed grain or date, or a 404 that
// says nothing, never a failure; and it names no one but what was asked.
func FuzzExplainQuery(f *testing.F) {
	for _, q := range []string{
		"indicator=revenue&participant=anna&grain=month&from=2026-12-01&to=2027-01-01",
		"indicator=avg_deal&participant=north&grain=week&from=2026-12-07&to=2026-12-14",
		"indicator=revenue&participant=%2A&grain=10d&from=2026-12-01&to=2026-12-11",
		"indicator=revenue&participant=anna&grain=month&from=2026-12-01&to=2026-12-01",
		"grain=&from=-99999-01-01&to=99999-12-31",
		"indicator=revenue&participant=anna&grain=day&from=0001-01-01&to=9999-12-31",
	} {
		f.Add(q)
	}
	fx := newFixture(f, dashboardOptions())
	f.Fuzz(func(t *testing.T, q string) { checkQueried(t, fx, "/explain", q) })
}

// checkQueried fails unless the page at path with the query q (when it
// parses) answers anna the page, a 400 or a 404, never a failure, and
// names no one but anna and what the query holds.
func checkQueried(t *testing.T, fx *fixture, path, q string) {
	vals, err := url.ParseQuery(q)
	if err != nil {
		return
	}
	resp, body := get(t, fx, path+"?"+vals.Encode(), "anna")
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("%s?%s: status %d", path, q, resp.StatusCode)
	}
	// A 400 writes back the value it refuses, and every page its query
	// in its language links (a host's parameters too, their names as
	// well as their values): what the query holds may be named.
	var asked []string
	for k, vs := range vals {
		asked = append(asked, k)
		asked = append(asked, vs...)
	}
	for _, p := range people {
		if p != "anna" && strings.Contains(body, p) && !strings.Contains(strings.Join(asked, " "), p) {
			t.Fatalf("%s?%s: names %s", path, q, p)
		}
	}
}
