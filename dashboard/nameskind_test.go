package dashboard_test

import (
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/dashboard"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
)

// kindNamed names people and units apart, as a host's user store and
// directory do.
// yamlTrackerData is the tracker data (newTrackerData) of the plan
// written as YAML, over a directory of the units and memberships, with
// the events: the set-up of the tests of units and people of one id.
func yamlTrackerData(t *testing.T, planYAML string, units []org.Unit, ms []org.Membership, events ...kpi.Event) *trackerData {
	t.Helper()
	dir, err := memory.NewDirectory(units, ms)
	if err != nil {
		t.Fatal(err)
	}
	return newTrackerData(t, goalkittest.CompilePlan(t, planYAML), dir, events...)
}

type kindNamed struct {
	*trackerData
	people, units map[string]string
}

func (d kindNamed) Name(kind goal.ParticipantKind, id string) (string, bool) {
	names := d.people
	if kind == goal.Team {
		names = d.units
	}
	n, ok := names[id]
	return n, ok
}

// sharedIDPlan scores department 1 (a group the teams scorecard names) and
// the members of department 2, user 1 among them, with a goal and a board
// of each kind.
const sharedIDPlan = `
timezone: UTC
attributes: {source: string}
indicators:
  - {id: won, name: Won, kinds: [deal.won], aggregate: count}
  - {id: calls, name: Calls, kinds: [call], aggregate: count}
  - {id: meetings, name: Meetings, kinds: [meeting], aggregate: count}
  - {id: won_by, name: Won by source, kinds: [deal.won], aggregate: count, by: [source]}
report: {grain: month, from: 2026-12-01, to: 2027-01-01}
scorecards:
  - id: teams
    name: Department card
    grain: month
    participants: ["1"]
    kpis:
      - {indicator: won, target: 10, weight: 50}
      - {indicator: calls, target: 10, weight: 30}
      - {indicator: meetings, target: 10, weight: 20}
  - id: people
    name: Personal card
    grain: month
    members_of: ["2"]
    kpis:
      - {indicator: won, target: 2, weight: 50}
      - {indicator: calls, target: 2, weight: 30}
      - {indicator: meetings, target: 2, weight: 20}
leaderboards:
  - {id: units, name: Units board, scorecard: teams, level: departments, departments: ["1", "2"]}
  - {id: people_board, name: People board, scorecard: people}
goals:
  - {id: dept_won, name: Department deals, indicator: won, target: 10, period: {from: 2026-12-01, every: month}, participants: {teams: ["1"]}}
  - {id: my_won, name: My deals, indicator: won, target: 2, period: {from: 2026-12-01, every: month}, participants: {users: ["1"]}}
`

// pagesOf serves data's pages to viewer as of asOf: a page by its path,
// its text unescaped; a status other than 200 fails the test.
func pagesOf(t *testing.T, data dashboard.Data, viewer goal.Viewer) func(path string) string {
	t.Helper()
	h, err := dashboard.New(data, dashboard.Options{
		Viewer: func(*http.Request) (goal.Viewer, bool) { return viewer, true },
		Now:    func() time.Time { return asOf },
	})
	if err != nil {
		t.Fatal(err)
	}
	return func(path string) string {
		t.Helper()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", path, rec.Code)
		}
		return html.UnescapeString(rec.Body.String())
	}
}

// TestNamerTellsAUnitFromAPerson: a Namer is asked for a participant's
// name with its kind, and every page shows a unit and a person of the same
// id (Bitrix24's department 1 and user 1) each under its own name. The
// Namer was asked by id alone, so one of them showed the other's name.
func TestNamerTellsAUnitFromAPerson(t *testing.T) {
	at := asOf.Add(-48 * time.Hour)
	data := kindNamed{
		trackerData: yamlTrackerData(t, sharedIDPlan,
			[]org.Unit{{ID: "1", Name: "Head office"}, {ID: "2", Parent: "1", Name: "Sales"}},
			[]org.Membership{{User: "1", Unit: "2"}, {User: "7", Unit: "2"}},
			kpi.Event{ID: "w1", Kind: "deal.won", Time: at, Actor: "1", Attrs: map[string]any{"source": "web"}},
			kpi.Event{ID: "w2", Kind: "deal.won", Time: at, Actor: "7", Attrs: map[string]any{"source": "web"}},
			kpi.Event{ID: "c1", Kind: "call", Time: at, Actor: "1"},
		),
		people: map[string]string{"1": "Ivan Petrov", "7": "Olga Sidorova"},
		units:  map[string]string{"1": "Head office", "2": "Sales"},
	}
	page := pagesOf(t, data, goal.Viewer{User: "admin", Admin: true})
	// section is the part of a page from the first text at to the end of
	// its section.
	section := func(body, at string) string {
		i := strings.Index(body, at)
		if i < 0 {
			t.Fatalf("no %q in\n%s", at, body)
		}
		body = body[i:]
		if j := strings.Index(body, "</section>"); j >= 0 {
			body = body[:j]
		}
		return body
	}
	bdi := regexp.MustCompile(`<bdi>([^<]*)</bdi>`)
	names := func(s string) []string {
		var out []string
		for _, m := range bdi.FindAllStringSubmatch(s, -1) {
			if m[1] == "Ivan Petrov" || m[1] == "Head office" || m[1] == "1" {
				out = append(out, m[1])
			}
		}
		return out
	}
	for _, c := range []struct {
		path, section string
		want          []string
	}{
		{"/?lang=en", "Department deals", []string{"Head office"}},
		{"/?lang=en", "My deals", []string{"Ivan Petrov"}},
		{"/ranking?lang=en", "Units board", []string{"Head office"}},
		{"/ranking?lang=en", "People board", []string{"Ivan Petrov"}},
		{"/scorecards?lang=en", "Department card", []string{"Head office"}},
		{"/scorecards?lang=en", "Personal card", []string{"Ivan Petrov"}},
		{"/teams?lang=en", "Department deals", []string{"Head office"}},
		// The row of values of the id is user 1's.
		{"/breakdowns?lang=en", "Won by source", []string{"Ivan Petrov"}},
	} {
		got := names(section(page(c.path), c.section))
		if strings.Join(got, ", ") != strings.Join(c.want, ", ") {
			t.Errorf("%s, %s: shows %q, want %q", c.path, c.section, got, c.want)
		}
	}
	// The teams page's note on department 1, whose row of values is
	// user 1's, names the department.
	if body := page("/teams?lang=en"); !strings.Contains(body, "Head office") {
		t.Errorf("/teams: the note does not name department 1:\n%s", body)
	}
	// The explanation of participant 1 is user 1's row, and its events are
	// user 1's.
	body := page("/explain?lang=en&indicator=won&participant=1&grain=month&from=2026-12-01&to=2027-01-01")
	if got := names(body); len(got) < 2 || strings.Join(got, ",") != strings.TrimSuffix(strings.Repeat("Ivan Petrov,", len(got)), ",") {
		t.Errorf("/explain of participant 1 shows %q, want Ivan Petrov for the row and its event", got)
	}
}
