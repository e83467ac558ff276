package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// The organisation of testdata/directory.json, written out again for the
// model of who sees whom.
var (
	teamOf  = map[string]string{"n1": "north", "n2": "north", "n3": "north", "s1": "south", "s2": "south", "s3": "south"}
	headOf  = map[string]string{"north": "n1", "south": "s1"}
	actors  = []string{"n1", "n2", "n3", "s1", "s2", "s3", "x1"} // x1 is in no team
	teamIDs = []string{"north", "south"}
)

// model is the scope of an identity as this test reads the rules
// (goal.DefaultVisibility and the identity's teams), independently of the
// server's code.
type model struct{ id Identity }

func (m model) user(u string) bool {
	v := m.id.Viewer
	t, inTeam := teamOf[u]
	return v.Admin || u == v.User || (inTeam && (headOf[t] == v.User || slices.Contains(m.id.Teams, t)))
}

func (m model) team(t string, private bool) bool {
	v := m.id.Viewer
	return v.Admin || headOf[t] == v.User || slices.Contains(m.id.Teams, t) || (!private && teamOf[v.User] == t)
}

// A viewer never sees a value, an event id or an amount of anyone outside
// their scope, on any read endpoint; and sees their own numbers.
func TestVisibilityProperty(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var id Identity
		f := newFixture(t, func(c *Config) {
			c.Auth = AuthenticatorFunc(func(*http.Request) (Identity, error) { return id, nil })
			// After March: its periods may be closed.
			c.Now = func() time.Time { return time.Date(2025, 4, 2, 9, 0, 0, 0, time.UTC) }
		})
		// Events: each with an id and an amount that name their actor.
		n := rapid.IntRange(1, 25).Draw(rt, "events")
		var events []kpi.Event
		idsOf := map[string][]string{}
		amountsOf := map[string][]string{}
		for i := range n {
			a := rapid.SampledFrom(actors).Draw(rt, "actor")
			at := time.Date(2025, 3, rapid.IntRange(1, 19).Draw(rt, "day"), 10, 0, 0, 0, time.UTC)
			eid := fmt.Sprintf("ev-%s-%d", a, i)
			var e kpi.Event
			if rapid.Bool().Draw(rt, "call") {
				e = call(eid, a, at)
			} else {
				amt := fmt.Sprintf("%d.%04d", rapid.IntRange(1, 200000).Draw(rt, "rub"), 1000+i)
				e = deal(eid, a, amt, at)
				amountsOf[a] = append(amountsOf[a], amt)
			}
			idsOf[a] = append(idsOf[a], eid)
			events = append(events, e)
		}
		id = Identity{Role: Writer}
		f.post(events...)
		f.srv.tick(t.Context())
		// The viewer.
		id = Identity{Role: Writer} // writing is not reading: a writer sees their scope too
		id.Viewer.User = rapid.SampledFrom(append(actors, "")).Draw(rt, "user")
		id.Viewer.Admin = rapid.IntRange(0, 9).Draw(rt, "admin") == 0
		for _, tm := range teamIDs {
			if rapid.IntRange(0, 3).Draw(rt, "team "+tm) == 0 {
				id.Teams = append(id.Teams, tm)
			}
		}
		m := model{id}
		targets := []string{"/api/v1/report", "/api/v1/report?period=2025-03", "/api/v1/values", "/api/v1/goals",
			"/api/v1/scorecards", "/api/v1/bonuses", "/api/v1/leaderboards", "/api/v1/cascades", "/api/v1/notifications",
			"/api/v1/report?as_known_at=2025-03-20T12:00:00Z"}
		participants := append(append(slices.Clone(actors), teamIDs...), "*")
		for range 3 {
			p := rapid.SampledFrom(participants).Draw(rt, "participant")
			g := rapid.SampledFrom([]string{"revenue_user", "won_team", "calls_private", "company_revenue"}).Draw(rt, "goal")
			ind := rapid.SampledFrom([]string{"revenue", "calls", "won"}).Draw(rt, "indicator")
			targets = append(targets, "/api/v1/goals/"+g+"/progress/"+p,
				"/api/v1/explain?period=2025-03&indicator="+ind+"&participant="+p)
		}
		var report map[string]any
		for i, target := range append(targets, "POST /api/v1/goals/revenue_user/close?period=2025-03") {
			method := "GET"
			if i == len(targets) {
				method, target, _ = strings.Cut(target, " ")
			}
			w := f.do(method, target, "x", "", nil)
			if w.Code == 404 || (w.Code == 400 && id.Viewer.Admin) {
				continue // admins are told what is wrong with a cell
			}
			if w.Code != 200 {
				rt.Fatalf("%s: %d %s", target, w.Code, w.Body)
			}
			body := w.Body.String()
			for _, a := range actors {
				if m.user(a) {
					continue
				}
				for _, eid := range idsOf[a] {
					if strings.Contains(body, `"`+eid+`"`) {
						rt.Fatalf("%s shows %+v the event %s of %s", target, id, eid, a)
					}
				}
			}
			var doc any
			if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
				rt.Fatal(err)
			}
			if target == "/api/v1/report" {
				report = doc.(map[string]any)
			}
			walk(doc, func(obj map[string]any) {
				private := obj["goal"] == "calls_private"
				if p, ok := obj["participant"].(string); ok {
					switch {
					case p == "*":
					case slices.Contains(teamIDs, p):
						if !m.team(p, private) {
							rt.Fatalf("%s shows %+v a row of team %s: %v", target, id, p, obj)
						}
					case !m.user(p):
						rt.Fatalf("%s shows %+v a row of %s: %v", target, id, p, obj)
					}
				}
				if a, ok := obj["actor"].(string); ok && !m.user(a) {
					rt.Fatalf("%s shows %+v an event of %s: %v", target, id, a, obj)
				}
				if amt, ok := obj["amount"].(string); ok {
					for _, a := range actors {
						if !m.user(a) && slices.Contains(amountsOf[a], amt) {
							rt.Fatalf("%s shows %+v an amount of %s: %v", target, id, a, obj)
						}
					}
				}
			})
		}
		// What the viewer may see is there: their own revenue, each user's
		// in scope, the company's.
		for _, a := range append(actors, "*") {
			if len(amountsOf[a]) == 0 && a != "*" {
				continue
			}
			_, ok := valueOf(t, report, "revenue", a, "2025-03-01")
			if want := a == "*" || m.user(a); ok != want {
				rt.Fatalf("%+v: revenue row of %s shown %v, want %v", id, a, ok, want)
			}
		}
	})
}

// walk calls fn with every object of a decoded JSON document.
func walk(v any, fn func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		fn(x)
		for _, c := range x {
			walk(c, fn)
		}
	case []any:
		for _, c := range x {
			walk(c, fn)
		}
	}
}

// The dashboard's reads (Report, Explain) see what the API shows the same
// viewer, with the teams the request's context carries.
func TestDataReadsScope(t *testing.T) {
	f := newFixture(t, nil)
	f.post(deal("d1", "n2", "5", day(3, 10)), deal("d2", "s2", "7", day(3, 10)))
	v := goal.Viewer{User: "n2"}
	rep, err := f.srv.Report(t.Context(), v, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := rep.Values.Value("revenue", "s2", f.plan.Periods()[0]); ok {
		t.Error("n2 sees s2's revenue")
	}
	if _, err := f.srv.Explain(t.Context(), v, testNow, cellOf(f, "revenue", "s2")); err == nil || err.Error() != "not found" {
		t.Errorf("n2 explains s2's revenue: %v", err)
	}
	ex, err := f.srv.Explain(t.Context(), v, testNow, cellOf(f, "revenue", "n2"))
	if err != nil || len(ex.Included) != 1 || ex.Included[0].Event != "d1" {
		t.Errorf("n2 explains their own revenue: %+v %v", ex, err)
	}
	// The kiosk of the south team, through the context.
	kiosk := Identity{Viewer: goal.Viewer{}, Role: Reader, Teams: []string{"south"}}
	ctx := withIdentity(t.Context(), kiosk)
	rep, err = f.srv.Report(ctx, kiosk.Viewer, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := rep.Values.Value("revenue", "s2", f.plan.Periods()[0]); !ok {
		t.Error("the south kiosk does not see s2's revenue")
	}
	if _, ok := rep.Values.Value("revenue", "n2", f.plan.Periods()[0]); ok {
		t.Error("the south kiosk sees n2's revenue")
	}
}
