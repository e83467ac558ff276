package serve

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// Every route answers random requests (methods, tokens, parameters valid,
// malformed, repeated or out of range, bodies of events or of junk, after
// random batches, ticks and closes, with the config's switches and the
// server's clock drawn) with a status its operation in the OpenAPI
// document lists, or 405 for a method the path does not take, its answer
// valid against the document, and never 500. The plan is the fixture's
// in a third of the cases, else one the property kit draws
// (goalkittest.Plans: its indicators, report grain and span, zone and
// scorecard) with a personal and a team goal, over a directory it draws;
// the batches post a stream of the plan's events it draws, corrections
// and retractions among them. HEAD is read as GET. The stream and the
// dashboard's pages are left to their own tests. A case costs a server
// (about 60 ms with -race), so -short leaves it out.
func TestRoutesAnswerDocumentedStatuses(t *testing.T) {
	if testing.Short() {
		t.Skip("a server a case: about 7 s with -race")
	}
	for _, ct := range []string{"application/x-ndjson", "text/event-stream", "application/yaml", "text/csv"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.PlainBodyDecoder)
	}
	_, router := apiDoc(t)
	// The fixture's plan and directory (read once): goals of people, teams
	// and the company, a cascade, a scorecard with a bonus, over the two
	// teams the tokens name.
	fixture := routePlan{
		plan: goalkittest.ReadPlan(t, "testdata/plan.yaml"), dir: goalkittest.ReadDirectory(t, "testdata/directory.json"),
		parts: []string{"n1", "n2", "s2", "s3", "north", "south"},
	}
	instants := []string{"2025-03-10T00:00:00Z", "2025-03-31T23:59:59+03:00", "2025-04-01T00:00:00Z", "2024-01-01T00:00:00Z",
		"yesterday", "", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-01:00", "1600-01-01T00:00:00Z", "2300-01-01T00:00:00Z", "2025-02-30T10:00:00Z"}
	periods := []string{"2025-03", "2025-04", "2025-02", "2025-01", "2024-12", "2025-W09", "2025-W14", "2025-Q1", "2025-Q2", "2025", "March", "", "2025-13"}
	names := []string{"as_of", "as_known_at", "since", "period", "indicator", "participant"}
	tokens := []string{adminToken, writerToken, adminToken, writerToken, n2Token, s1Token, kioskToken, n3Token, "", "bogus-token-0123456789"}
	methods := []string{"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"}
	ctypes := []string{"application/x-ndjson", "application/json", "text/csv", "", "application/xml", "application/x-ndjson; charset=latin1"}
	rapid.Check(t, func(rt *rapid.T) {
		// The plan: the fixture's, or one the property kit draws (its
		// indicators, report and scorecard) with goals added, over a
		// directory it draws of the tokens' users.
		rp := fixture
		if rapid.IntRange(0, 2).Draw(rt, "drawn plan") > 0 {
			rp = drawRoutePlan(rt)
		}
		goals := append(rp.goals(), "nope")
		parts := append(slices.Clone(rp.parts), "*", "nobody", "%2A")
		params := map[string][]string{
			"as_of": instants, "as_known_at": instants, "since": instants, "period": periods,
			"indicator": append(rp.plan.Indicators().IDs(), "nope", ""), "participant": parts,
		}
		// The versions the batches post, in order: events, corrections,
		// retractions and duplicates of the plan's kinds and attributes.
		shape := goalkittest.ShapeOf(rp.plan, routeActors...)
		shape.MaxIDs = 8
		stream := goalkittest.Stream(rp.plan.Calendar(), shape).Draw(rt, "stream")
		public, perParticipant := rapid.Bool().Draw(rt, "public"), rapid.Bool().Draw(rt, "perParticipant")
		// The server's clock: inside March, after it (a period to close),
		// or past the years an outbox or a known instant (2300) or a report
		// (10000) is kept in.
		now := rapid.SampledFrom([]time.Time{testNow, time.Date(2025, 4, 10, 12, 0, 0, 0, time.UTC), time.Date(2025, 5, 2, 0, 0, 0, 0, time.UTC),
			time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(10000, 1, 2, 0, 0, 0, 0, time.UTC)}).Draw(rt, "now")
		f := planFixture(t, rp.plan, rp.dir, func(c *Config) {
			c.PublicStandings, c.ParticipantMetrics = public, perParticipant
			c.Now = func() time.Time { return now }
		})
		defer f.tr.Close()
		for i := range rapid.IntRange(1, 8).Draw(rt, "requests") {
			label := fmt.Sprint(i)
			switch rapid.IntRange(0, 9).Draw(rt, label+"what") {
			case 0:
				f.srv.tick(context.Background())
				continue
			}
			var path string
			switch rapid.IntRange(0, 8).Draw(rt, label+"route") {
			case 0:
				path = "/api/v1/" + rapid.SampledFrom([]string{"report", "values", "goals", "scorecards", "bonuses", "leaderboards", "cascades", "notifications", "explain"}).Draw(rt, label+"read")
			case 1, 2:
				path = "/api/v1/events"
			case 3:
				path = "/api/v1/goals/" + rapid.SampledFrom(goals).Draw(rt, label+"goal") + "/progress/" + rapid.SampledFrom(parts).Draw(rt, label+"part")
			case 4:
				path = "/api/v1/goals/" + rapid.SampledFrom(goals).Draw(rt, label+"goal") + "/close"
			case 5:
				path = rapid.SampledFrom([]string{"/healthz", "/readyz", "/metrics", "/openapi.yaml"}).Draw(rt, label+"plain")
			default:
				path = "/api/v1/explain"
			}
			// The route's own method mostly, another now and then.
			method := "GET"
			if path == "/api/v1/events" || strings.HasSuffix(path, "/close") {
				method = "POST"
			}
			if rapid.IntRange(0, 5).Draw(rt, label+"othermethod") == 0 {
				method = rapid.SampledFrom(methods).Draw(rt, label+"method")
			}
			q := url.Values{}
			for _, name := range names {
				// The parameters explain and close need, mostly given there.
				need := (path == "/api/v1/explain" && (name == "indicator" || name == "participant" || name == "period")) ||
					(strings.HasSuffix(path, "/close") && name == "period")
				if p := rapid.IntRange(0, 3).Draw(rt, label+name); p == 0 || need && p < 3 {
					q.Add(name, rapid.SampledFrom(params[name]).Draw(rt, label+name+"v"))
					if rapid.IntRange(0, 9).Draw(rt, label+name+"twice") == 0 {
						q.Add(name, rapid.SampledFrom(params[name]).Draw(rt, label+name+"v2"))
					}
				}
			}
			target := path
			if len(q) > 0 {
				target += "?" + q.Encode()
			}
			token := rapid.SampledFrom(tokens).Draw(rt, label+"token")
			ctype := ""
			var body []byte
			if method == "POST" && path == "/api/v1/events" {
				ctype = rapid.SampledFrom(ctypes).Draw(rt, label+"ctype")
				// The next versions of the stream, or some again.
				from := rapid.IntRange(0, len(stream)).Draw(rt, label+"from")
				events := stream[from : from+rapid.IntRange(0, min(5, len(stream)-from)).Draw(rt, label+"events")]
				switch rapid.IntRange(0, 4).Draw(rt, label+"body") {
				case 0:
					body = []byte(`{"id":"x","kind":"deal.won","time":"2025-02-30T10:00:00Z"}`)
				case 1:
					body = []byte(`[{"id":"x","kind":"deal.won","time":"2025-03-03T10:00:00Z","actor":"n1","amount":"1"}]`)
				default:
					body = ndjson(t, events)
				}
			}
			w := f.do(method, target, token, ctype, body)
			req := apiRequest(method, target, token, ctype)
			if w.Code == http.StatusInternalServerError {
				rt.Fatalf("%s %s (token %q): 500 %s", method, target, token, w.Body)
			}
			// HEAD is GET without the body (net/http's ServeMux), which
			// the document does not list apart.
			find := req
			if method == "HEAD" {
				find = req.Clone(context.Background())
				find.Method = "GET"
			}
			route, pathParams, err := router.FindRoute(find)
			if err != nil {
				// The path does not take the method.
				if w.Code != http.StatusMethodNotAllowed {
					rt.Fatalf("%s %s: %d %s, want 405 (%v)", method, target, w.Code, w.Body, err)
				}
				continue
			}
			var listed []int
			for code := range route.Operation.Responses.Map() {
				n, _ := strconv.Atoi(code)
				listed = append(listed, n)
			}
			if !slices.Contains(listed, w.Code) {
				slices.Sort(listed)
				rt.Fatalf("%s %s (token %q): %d %s, not one of %v", method, target, token, w.Code, w.Body, listed)
			}
			if method == "HEAD" {
				continue
			}
			in := &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
			if err := validateAnswer(in, w); err != nil {
				rt.Fatalf("%s %s (token %q): %d answer: %v\n%.600s", method, target, token, w.Code, err, w.Body)
			}
		}
	})
}

// routeActors are the users a route case's events credit: the tokens'
// users and one the fixture's directory does not have.
var routeActors = []string{"n1", "n2", "n3", "s1", "s2", "s3", "x9"}

// routePlan is the plan of a route case, its directory and the
// participants its paths and parameters name.
type routePlan struct {
	plan  *goalkit.Plan
	dir   *memory.Directory
	parts []string
}

// goals are the ids of the plan's goals and cascades, which the goal
// routes name.
func (p routePlan) goals() []string {
	var ids []string
	for _, g := range p.plan.Definition().Goals {
		ids = append(ids, g.ID)
	}
	for _, c := range p.plan.Definition().Cascades {
		ids = append(ids, c.ID)
	}
	return ids
}

// drawRoutePlan draws a plan of the property kit (goalkittest.Plans) with
// a personal and a team goal on its first indicator, over a directory
// goalkittest.Directories draws of routeActors through the report.
func drawRoutePlan(t *rapid.T) routePlan {
	def := goalkittest.Plans().Draw(t, "plan")
	dir := goalkittest.Directories(routeActors, def.Report.From, def.Report.To).Draw(t, "directory")
	us, err := dir.Units(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var units []string
	for _, u := range us {
		units = append(units, u.ID)
	}
	every := def.Report.Grain
	for i, who := range []goal.ParticipantsDef{{Users: routeActors[:6]}, {Teams: units}} {
		target := decimal.NewFromInt(int64(rapid.IntRange(1, 1000).Draw(t, "target")))
		g := goal.Def{ID: fmt.Sprintf("g%d", i+1), Indicator: def.Indicators[0].ID, Target: &target,
			Period: goal.PeriodDef{From: def.Report.From, Every: every}, Participants: who,
			Notify: []goal.NotifyRule{{On: goal.NotifyAchieved}}}
		if rapid.Bool().Draw(t, "private") {
			g.Visibility = goal.Private
		}
		def.Goals = append(def.Goals, g)
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		t.Fatalf("the drawn plan with its goals does not compile: %v", err)
	}
	return routePlan{plan: plan, dir: dir, parts: append(slices.Clone(routeActors), units...)}
}
