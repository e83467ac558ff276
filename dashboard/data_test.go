package dashboard_test

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/dashboard"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// trackerData is the dashboard's Data over a live tracker in memory, with
// the default visibility over the test directory: what a host's server
// does.
type trackerData struct {
	plan *goalkit.Plan
	tr   *goalkit.Tracker
	dir  *memory.Directory
	org  *org.Org
	// names, when set, name participants before personNames.
	names map[string]string

	mu      sync.Mutex
	changed chan struct{}
}

func (d *trackerData) Plan() *goalkit.Plan { return d.plan }

// now is the tests' clock.
func (d *trackerData) now() time.Time { return asOf }

func (d *trackerData) policy(asOf time.Time) goal.VisibilityPolicy {
	return goal.DefaultVisibility{Org: d.org, Date: d.plan.Calendar().Date(asOf)}
}

func (d *trackerData) Report(ctx context.Context, v goal.Viewer, asOf time.Time) (*goalkit.Report, error) {
	rep, err := d.tr.Report(ctx, asOf)
	if err != nil {
		return nil, err
	}
	return rep.ForViewer(v, d.policy(asOf)), nil
}

func (d *trackerData) kind(p string) goal.ParticipantKind {
	switch {
	case p == org.Everyone:
		return goal.Company
	case d.org != nil && d.org.Has(p):
		return goal.Team
	}
	return goal.User
}

var errHidden = fmt.Errorf("no such value: %w", fs.ErrNotExist)

func (d *trackerData) Explain(ctx context.Context, v goal.Viewer, asOf time.Time, c goalkit.Cell) (*kpi.Explanation, error) {
	pol := d.policy(asOf)
	if !pol.CanSee(v, goal.Subject{Participant: c.Participant, Kind: d.kind(c.Participant)}) {
		return nil, errHidden
	}
	var opts []goalkit.EvalOption
	if d.dir != nil {
		opts = append(opts, goalkit.WithDirectory(d.dir))
	}
	ex, err := d.plan.Explain(ctx, d.tr.Indicators(), asOf, c, opts...)
	if err != nil {
		return nil, errHidden
	}
	// The events of a team's value are its members': list those of the
	// actors the viewer may see, and no one else's.
	see := func(actor string) bool {
		return pol.CanSee(v, goal.Subject{Participant: actor, Kind: goal.User})
	}
	var redact func(e *kpi.Explanation)
	redact = func(e *kpi.Explanation) {
		e.Included = slices.DeleteFunc(e.Included, func(c kpi.Contribution) bool { return !see(c.Actor) })
		for _, x := range e.Excluded {
			if !see(x.Actor) {
				if e.ExcludedCounts[x.Reason]--; e.ExcludedCounts[x.Reason] <= 0 {
					delete(e.ExcludedCounts, x.Reason)
				}
			}
		}
		e.Excluded = slices.DeleteFunc(e.Excluded, func(x kpi.Exclusion) bool { return !see(x.Actor) })
		for _, in := range e.Inputs {
			redact(in)
		}
	}
	redact(ex)
	return ex, nil
}

// personNames are the full names of the test directory's people.
var personNames = map[string]string{
	"nadia": "Nadia Orlova", "anna": "Anna Petrova", "boris": "Boris Sokolov",
	"sergey": "Sergey Volkov", "carl": "Carl Berg", "dina": "Dina Lebedeva",
}

// Name is the dashboard's optional Namer: people by their full names,
// units by the directory's names.
func (d *trackerData) Name(kind goal.ParticipantKind, id string) (string, bool) {
	if n, ok := d.names[id]; ok {
		return n, true
	}
	if kind == goal.User {
		n, ok := personNames[id]
		return n, ok
	}
	if d.org == nil {
		return "", false
	}
	for _, u := range d.org.Units() {
		if u.ID == id && u.Name != "" {
			return u.Name, true
		}
	}
	return "", false
}

// shownAs is how the pages show a participant of the test directory: its
// name, "Company" for everyone.
func shownAs(p string) string {
	if p == org.Everyone {
		return "Company"
	}
	if n, ok := personNames[p]; ok {
		return n
	}
	if n, ok := map[string]string{"north": "North", "south": "South"}[p]; ok {
		return n
	}
	return p
}

func (d *trackerData) Changed() <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.changed
}

// apply applies events to the tracker and tells the dashboards.
func (d *trackerData) apply(ctx context.Context, events ...kpi.Event) error {
	if err := d.tr.Apply(ctx, events...); err != nil {
		return err
	}
	d.mu.Lock()
	close(d.changed)
	d.changed = make(chan struct{})
	d.mu.Unlock()
	return nil
}

// asOf is the instant every test page is rendered at: mid-December 2026
// in Moscow.
var asOf = time.Date(2026, 12, 15, 12, 0, 0, 0, time.FixedZone("MSK", 3*3600))

// people are the users of the test directory.
var people = []string{"nadia", "anna", "boris", "sergey", "carl", "dina"}

// sources are the deals' sources in turn; "" leaves the attribute out.
var sources = []string{"web", "partner", "cold", "web", ""}

// fixtureEvents are deals and calls for every person from November 2025
// (a year ago) to the as-of date, deterministic: person i wins a deal of
// 40 000 + 5 000·(i + n mod 3) RUB (n counts the days) every (i mod 3)+1
// days, from the sources in turn, and makes 4 calls a day.
func fixtureEvents(loc *time.Location) []kpi.Event {
	var evs []kpi.Event
	start := time.Date(2025, 11, 1, 0, 0, 0, 0, loc)
	end := time.Date(2026, 12, 15, 0, 0, 0, 0, loc)
	for i, p := range people {
		n := 0
		for day := start; day.Before(end); day = day.AddDate(0, 0, 1) {
			if day.Year() == 2026 && day.Month() < 10 {
				continue
			}
			if n++; n%((i%3)+1) == 0 {
				ev := kpi.Event{
					ID: fmt.Sprintf("deal-%s-%s", p, day.Format("20060102")), Kind: "deal.won",
					Time: day.Add(11 * time.Hour), Actor: p,
					Amount:   decimal.NewNullDecimal(decimal.NewFromInt(int64(40000 + 5000*(i+n%3)))),
					Currency: "RUB",
				}
				if src := sources[(n+i)%len(sources)]; src != "" {
					ev.Attrs = map[string]any{"source": src}
				}
				evs = append(evs, ev)
			}
			for c := range 4 {
				evs = append(evs, kpi.Event{
					ID: fmt.Sprintf("call-%s-%s-%d", p, day.Format("20060102"), c), Kind: "call.made",
					Time: day.Add(time.Duration(9+c) * time.Hour), Actor: p,
				})
			}
		}
	}
	// anna has done the sales course.
	evs = append(evs, kpi.Event{ID: "course-anna", Kind: "training.completed", Time: end.Add(-48 * time.Hour), Actor: "anna"})
	return evs
}

type fixture struct {
	data   *trackerData
	server *httptest.Server
}

// newFixture starts a tracker of the test plan over the fixture events and
// a dashboard over it; the viewer is named by the "viewer" cookie
// ("admin" is an admin).
func newFixture(t testing.TB, opts dashboard.Options) *fixture {
	t.Helper()
	return newFixtureOf(t, opts, goalkittest.ReadPlan(t, "testdata/plan.yaml"))
}

// newTrackerData starts a tracker of plan over the organisation of dir,
// with the goals' series, and applies the events: the Data of a fixture.
func newTrackerData(t testing.TB, plan *goalkit.Plan, dir *memory.Directory, events ...kpi.Event) *trackerData {
	t.Helper()
	ctx := context.Background()
	o, err := org.Load(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := plan.Track(ctx, nil, goalkit.WithDirectory(dir), goalkit.WithSeries())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tr.Close() })
	if err := tr.Apply(ctx, events...); err != nil {
		t.Fatal(err)
	}
	return &trackerData{plan: plan, tr: tr, dir: dir, org: o, changed: make(chan struct{})}
}

// newFixtureOf is newFixture over another plan of the test plan's
// indicators and goals.
func newFixtureOf(t testing.TB, opts dashboard.Options, plan *goalkit.Plan) *fixture {
	t.Helper()
	dir := goalkittest.ReadDirectory(t, "testdata/directory.json")
	d := newTrackerData(t, plan, dir, fixtureEvents(plan.Calendar().Location())...)
	if opts.Viewer == nil {
		opts.Viewer = cookieViewer
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return asOf }
	}
	h, err := dashboard.New(d, opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &fixture{data: d, server: srv}
}

// cookieViewer reads the viewer from the "viewer" cookie.
func cookieViewer(r *http.Request) (goal.Viewer, bool) {
	c, err := r.Cookie("viewer")
	if err != nil || c.Value == "" {
		return goal.Viewer{}, false
	}
	return goal.Viewer{User: c.Value, Admin: c.Value == "admin"}, true
}

// report is the report the viewer sees, computed here from the tracker.
func (f *fixture) report(t testing.TB, v goal.Viewer) *goalkit.Report {
	t.Helper()
	rep, err := f.data.Report(context.Background(), v, asOf)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// dashboardOver is a dashboard over the fixture's data with the options
// of opts, the tests' viewer (the cookie) and instant.
func dashboardOver(t testing.TB, f *fixture, opts dashboard.Options) http.Handler {
	t.Helper()
	opts.Viewer, opts.Now = cookieViewer, func() time.Time { return asOf }
	h, err := dashboard.New(f.data, opts)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// dashboardOptions are the options of the tests' dashboards.
func dashboardOptions() dashboard.Options { return dashboard.Options{} }

// dealFor is a won deal of the participant on 15 December 2026 at 10:00,
// before the as-of instant; n tells deals apart.
func dealFor(actor string, n int, amount int64) kpi.Event {
	return kpi.Event{
		ID: fmt.Sprintf("late-%s-%d", actor, n), Kind: "deal.won",
		Time: time.Date(2026, 12, 15, 10, 0, 0, 0, asOf.Location()), Actor: actor,
		Amount: decimal.NewNullDecimal(decimal.NewFromInt(amount)), Currency: "RUB",
	}
}

type dateType = date.Date

// dateOf is the local date of t in the test plan's zone.
func dateOf(t time.Time) date.Date {
	loc, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		panic(err)
	}
	return date.NewAt(t.In(loc))
}

type cascadeNode = cascade.Node

// testPlanWith compiles the test plan after edit changes its definition
// (a scorecard or a leaderboard added for one test).
func testPlanWith(t *testing.T, edit func(*goalkit.Definition)) *goalkit.Plan {
	t.Helper()
	def, err := goalkit.ReadDefinition("testdata/plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	edit(def)
	plan, err := goalkit.Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

// testPlanWithCallsCard is the test plan with another monthly scorecard,
// sc, of calls alone (target 80): its id, name and who it scores are sc's.
func testPlanWithCallsCard(t *testing.T, sc score.ScorecardDef) *goalkit.Plan {
	t.Helper()
	sc.Grain = period.Month
	sc.KPIs = []score.KPIDef{{Indicator: "calls", Target: goalkit.Number("80"), Weight: decimal.NewFromInt(100)}}
	return testPlanWith(t, func(def *goalkit.Definition) { def.Scorecards = append(def.Scorecards, sc) })
}
