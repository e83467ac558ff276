package dashboard_test

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/dashboard"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// liveData is the smallest Data: a tracker, the default visibility without
// an organisation (people see their own rows and the company's), and a
// channel closed at each applied batch.
type liveData struct {
	plan    *goalkit.Plan
	tracker *goalkit.Tracker
	changed chan struct{}
}

func (d *liveData) Plan() *goalkit.Plan { return d.plan }

func (d *liveData) Report(ctx context.Context, v goal.Viewer, asOf time.Time) (*goalkit.Report, error) {
	rep, err := d.tracker.Report(ctx, asOf)
	if err != nil {
		return nil, err
	}
	return rep.ForViewer(v, nil), nil
}

func (d *liveData) Explain(ctx context.Context, v goal.Viewer, asOf time.Time, c goalkit.Cell) (*kpi.Explanation, error) {
	if !v.Admin && c.Participant != v.User {
		return nil, fmt.Errorf("no such value: %w", fs.ErrNotExist)
	}
	ex, err := d.plan.Explain(ctx, d.tracker.Indicators(), asOf, c)
	if err != nil && ctx.Err() == nil {
		// The engine's error (an unknown participant) may suggest other
		// participants' names: a cell that does not exist, nothing more.
		// A host that can fail (a database) returns its other errors as
		// they are, for the dashboard to log.
		return nil, fmt.Errorf("no such value: %w", fs.ErrNotExist)
	}
	return ex, err
}

func (d *liveData) Changed() <-chan struct{} { return d.changed }

// track compiles the plan of planYAML and starts its tracker, state kept in
// memory, as the liveData of a dashboard; an error panics, as in any
// example. The caller closes the tracker.
func track(ctx context.Context, planYAML string, opts ...goalkit.EvalOption) *liveData {
	def, err := goalkit.ParseDefinition("plan.yaml", []byte(planYAML))
	if err != nil {
		panic(err)
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		panic(err)
	}
	tracker, err := plan.Track(ctx, nil, opts...)
	if err != nil {
		panic(err)
	}
	return &liveData{plan: plan, tracker: tracker, changed: make(chan struct{})}
}

var actualOnCard = regexp.MustCompile(`data-field="actual"><a class="explain" href="[^"]*">([^<]*)</a>`)

func ExampleNew() {
	ctx := context.Background()
	data := track(ctx, `
timezone: Europe/Moscow
indicators:
  - {id: revenue, kinds: [deal.won], aggregate: sum, value: amount, currency: RUB}
goals:
  - id: revenue_month
    name: Monthly revenue
    indicator: revenue
    target: 1500000
    period: {from: 2026-12-01, every: month}
    participants: {users: [anna, boris]}
report: {grain: month, from: 2026-12-01, to: 2027-01-01}
`, goalkit.WithSeries())
	defer data.tracker.Close()
	msk := data.plan.Calendar().Location()
	err := data.tracker.Apply(ctx, kpi.Event{
		ID: "d1", Kind: "deal.won", Time: time.Date(2026, 12, 3, 11, 0, 0, 0, msk), Actor: "anna",
		Amount: decimal.NewNullDecimal(decimal.RequireFromString("1234567.8")), Currency: "RUB",
	})
	if err != nil {
		panic(err)
	}

	h, err := dashboard.New(data, dashboard.Options{
		// A real host reads a session or a token here.
		Viewer: func(r *http.Request) (goal.Viewer, bool) {
			user := r.Header.Get("X-User")
			return goal.Viewer{User: user}, user != ""
		},
		Now: func() time.Time { return time.Date(2026, 12, 15, 12, 0, 0, 0, msk) },
	})
	if err != nil {
		panic(err)
	}
	for _, lang := range []string{"en", "ru"} {
		req := httptest.NewRequest("GET", "/?lang="+lang, nil)
		req.Header.Set("X-User", "anna")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		page := rec.Body.String()
		// anna's actual, a link to its explanation.
		actual := actualOnCard.FindStringSubmatch(page)[1]
		fmt.Println(rec.Code, strings.ReplaceAll(actual, "\u00a0", " "), strings.Contains(page, "boris"))
	}
	// Output:
	// 200 1,234,567.80 RUB false
	// 200 1 234 567,80 ₽ false
}

// namedData adds people's names to liveData: the dashboard shows them
// instead of the ids.
type namedData struct {
	*liveData
	names map[string]string
}

func (d namedData) Name(kind goal.ParticipantKind, id string) (string, bool) {
	if kind != goal.User {
		return "", false
	}
	n, ok := d.names[id]
	return n, ok
}

var whoOnCard = regexp.MustCompile(`<a class="who" href="([^"]*)"><bdi>([^<]*)</bdi></a>`)

func ExampleNamer() {
	ctx := context.Background()
	live := track(ctx, `
timezone: UTC
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
goals:
  - {id: deals, indicator: won, target: 10, period: {from: 2026-12-01, every: month}, participants: {users: [anna]}}
report: {grain: month, from: 2026-12-01, to: 2027-01-01}
`)
	defer live.tracker.Close()
	data := namedData{liveData: live, names: map[string]string{"anna": "Anna Petrova"}}
	h, err := dashboard.New(data, dashboard.Options{
		Viewer: func(*http.Request) (goal.Viewer, bool) { return goal.Viewer{User: "anna"}, true },
		Now:    func() time.Time { return time.Date(2026, 12, 15, 12, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		panic(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/?lang=en", nil))
	m := whoOnCard.FindStringSubmatch(rec.Body.String())
	fmt.Println(m[2])
	fmt.Println(strings.ReplaceAll(m[1], "&amp;", "&"))
	// Output:
	// Anna Petrova
	// ./goal?from=2026-12-01&goal=deals&participant=anna
}
