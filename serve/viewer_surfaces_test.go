package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/goalstats"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"pgregory.net/rapid"
)

// surfaceUnits are the units a drawn organisation may have: the plan's two
// teams and a third, sometimes under south, that no goal names.
var surfaceUnits = []string{"north", "south", "west"}

// surfaceName is the name the drawn directory gives a person or a unit:
// text no page writes for any other reason.
func surfaceName(id string) string { return "Name-of-" + id }

// Whatever the organisation (heads, memberships, a nested unit), the
// viewer, their token's teams and the events, what the service answers a
// viewer (every route of figures) and what its dashboard renders for them
// name no person or unit the viewer's own report leaves out (leaderboards
// and competitions aside: the service cuts them to the viewer, the root
// keeps them whole); and the service's report holds the same figures as
// that report. The viewer's report is Report.ForViewer of a batch
// evaluation, under the directory's default visibility widened by the
// teams' units and those under them, as this test reads the units.
func TestViewerSurfacesAgreeWithForViewer(t *testing.T) {
	// The server's plan, with a breakdown and the goals' statistics added
	// in Go: each a page and a section of its own.
	def := goalkittest.ReadPlan(t, "testdata/plan.yaml").Definition()
	def.Attributes = map[string]kpi.AttrType{"source": kpi.AttrString}
	def.Indicators = append(def.Indicators, kpi.IndicatorDef{ID: "revenue_by_source", Kinds: []string{"deal.won"},
		Aggregate: kpi.Sum, Value: "amount", By: []string{"source"}})
	def.GoalStats = &goalstats.Def{BusinessResult: "revenue"}
	plan, err := goalkit.Compile(&def)
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(rt *rapid.T) {
		// The organisation.
		units := []org.Unit{{ID: "north", Name: surfaceName("north")}, {ID: "south", Name: surfaceName("south")}}
		if rapid.Bool().Draw(rt, "west") {
			w := org.Unit{ID: "west", Name: surfaceName("west")}
			if rapid.Bool().Draw(rt, "west under south") {
				w.Parent = "south"
			}
			units = append(units, w)
		}
		for i := range units {
			units[i].Head = rapid.SampledFrom(append(slices.Clone(actors), "")).Draw(rt, "head of "+units[i].ID)
		}
		var ms []org.Membership
		for _, a := range actors {
			if u := rapid.IntRange(-1, len(units)-1).Draw(rt, "unit of "+a); u >= 0 {
				ms = append(ms, org.Membership{User: a, Unit: units[u].ID})
			}
		}
		dir, err := memory.NewDirectory(units, ms)
		if err != nil {
			rt.Fatal(err)
		}
		for _, a := range actors {
			if err := dir.AddUser(a, surfaceName(a)); err != nil {
				rt.Fatal(err)
			}
		}
		var id Identity
		f := planFixture(t, plan, dir, func(c *Config) {
			c.Auth = AuthenticatorFunc(func(*http.Request) (Identity, error) { return id, nil })
		})
		// The events, in March before the clock.
		var events []kpi.Event
		for i := range rapid.IntRange(1, 20).Draw(rt, "events") {
			a := rapid.SampledFrom(actors).Draw(rt, "actor")
			at := time.Date(2025, 3, rapid.IntRange(1, 19).Draw(rt, "day"), 10, 0, 0, 0, time.UTC)
			if rapid.Bool().Draw(rt, "call") {
				events = append(events, call(fmt.Sprintf("c%d", i), a, at))
			} else {
				e := deal(fmt.Sprintf("d%d", i), a, fmt.Sprint(rapid.IntRange(1, 90000).Draw(rt, "rub")), at)
				e.Attrs = map[string]any{"source": rapid.SampledFrom([]string{"web", "partner"}).Draw(rt, "source")}
				events = append(events, e)
			}
		}
		id = Identity{Role: Writer}
		f.post(events...)
		id = Identity{Role: Reader}
		id.Viewer.User = rapid.SampledFrom(append(slices.Clone(actors), "")).Draw(rt, "viewer")
		id.Viewer.Admin = rapid.IntRange(0, 9).Draw(rt, "admin") == 0
		// A token's teams (a kiosk's, a manager's): each unit and the
		// units under it, whoever heads them.
		for _, u := range units {
			if rapid.IntRange(0, 3).Draw(rt, "team "+u.ID) == 0 {
				id.Teams = append(id.Teams, u.ID)
			}
		}
		// under reports whether unit u is one of the token's teams or
		// under one, from the drawn units' parents.
		under := func(u string) bool {
			for u != "" {
				if slices.Contains(id.Teams, u) {
					return true
				}
				parent := ""
				for _, x := range units {
					if x.ID == u {
						parent = x.Parent
					}
				}
				u = parent
			}
			return false
		}

		// The reference: a batch evaluation of the same events, as the
		// viewer may see it.
		ref := memory.New(plan.Calendar().Location())
		if err := ref.Import(context.Background(), func(add func(*kpi.Event) error) error {
			for i := range events {
				if err := add(&events[i]); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			rt.Fatal(err)
		}
		full, err := plan.Evaluate(context.Background(), ref, testNow, goalkit.WithDirectory(dir))
		if err != nil {
			rt.Fatal(err)
		}
		o, err := org.Load(context.Background(), dir)
		if err != nil {
			rt.Fatal(err)
		}
		base := goal.DefaultVisibility{Org: o, Date: plan.Calendar().Date(testNow)}
		view := full.ForViewer(id.Viewer, goal.VisibilityFunc(func(v goal.Viewer, sub goal.Subject) bool {
			switch {
			case base.CanSee(v, sub):
				return true
			case sub.Kind == goal.Team:
				return under(sub.Participant)
			case sub.Kind == goal.User:
				for _, m := range ms {
					if m.User == sub.Participant && under(m.Unit) {
						return true
					}
				}
			}
			return false
		}))
		var viewJS bytes.Buffer
		if err := view.WriteJSON(&viewJS); err != nil {
			rt.Fatal(err)
		}
		var viewDoc map[string]json.RawMessage
		if err := json.Unmarshal(viewJS.Bytes(), &viewDoc); err != nil {
			rt.Fatal(err)
		}
		// Who the viewer's report names.
		named := map[string]bool{id.Viewer.User: true}
		for key, raw := range viewDoc {
			if key == "leaderboards" || key == "competitions" {
				continue
			}
			var v any
			if err := json.Unmarshal(raw, &v); err != nil {
				rt.Fatal(err)
			}
			walk(v, func(obj map[string]any) {
				for _, field := range []string{"participant", "member", "team", "actor"} {
					if s, ok := obj[field].(string); ok {
						named[s] = true
					}
				}
				// A team's row lists its members (who they are, no
				// figure of theirs).
				if ms, ok := obj["members"].([]any); ok {
					for _, m := range ms {
						if s, ok := m.(string); ok {
							named[s] = true
						}
					}
				}
			})
		}
		var hidden []string
		for _, p := range append(slices.Clone(actors), surfaceUnits...) {
			if !named[p] {
				hidden = append(hidden, p)
			}
		}
		// What the viewer asks: every route of the API that answers
		// figures and every page of the dashboard, some of them of a cell
		// or a goal's row drawn here.
		targets := []string{"/api/v1/report", "/api/v1/report?period=2025-03", "/api/v1/values", "/api/v1/goals",
			"/api/v1/scorecards", "/api/v1/bonuses", "/api/v1/leaderboards", "/api/v1/cascades", "/api/v1/notifications",
			"/", "/ranking", "/scorecards", "/teams", "/cascades", "/breakdowns", "/stats"}
		everyone := append(append(slices.Clone(actors), surfaceUnits...), "*")
		for range 2 {
			p := rapid.SampledFrom(everyone).Draw(rt, "participant")
			g := rapid.SampledFrom([]string{"revenue_user", "won_team", "calls_private", "company_revenue"}).Draw(rt, "goal")
			cell := "period=2025-03&indicator=revenue&participant=" + url.QueryEscape(p)
			targets = append(targets, "/api/v1/goals/"+g+"/progress/"+url.PathEscape(p), "/api/v1/explain?"+cell,
				"/goal?goal="+g+"&participant="+url.QueryEscape(p), "/explain?"+cell)
		}
		for _, target := range targets {
			w := f.do("GET", target, "x", "", nil)
			if w.Code == 404 || w.Code == 400 {
				continue
			}
			if w.Code != 200 {
				rt.Fatalf("%s: %d %s", target, w.Code, w.Body)
			}
			// JSON names a participant as a string; a page in a link's
			// query or as a cell's text, where no name stands.
			body := w.Body.String()
			for _, p := range hidden {
				marks := []string{surfaceName(p), "participant=" + url.QueryEscape(p) + "&", "participant=" + url.QueryEscape(p) + `"`, ">" + p + "<"}
				if strings.HasPrefix(target, "/api/") {
					marks = []string{surfaceName(p), `"` + p + `"`}
				}
				for _, m := range marks {
					if strings.Contains(body, m) {
						rt.Fatalf("%s shows %+v %s (%s), whom their report leaves out", target, id.Viewer, p, m)
					}
				}
			}
			if target != "/api/v1/report" {
				continue
			}
			var got map[string]json.RawMessage
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				rt.Fatal(err)
			}
			for key, want := range viewDoc {
				// A live tracker's report has the notifications its ticks
				// have not emitted (the feed has those); a batch, each
				// transition of the day.
				if key == "leaderboards" || key == "competitions" || key == "notifications" {
					continue
				}
				if !jsonEqual(got[key], want) {
					rt.Fatalf("%s of %+v: %s is\n%s\nthe viewer's report has\n%s", target, id.Viewer, key, got[key], want)
				}
			}
		}
	})
}

// jsonEqual reports whether two JSON texts hold the same value.
func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}
