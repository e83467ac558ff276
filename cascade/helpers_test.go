package cascade_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/shopspring/decimal"
)

// events is a stream of event versions (kpi.Events).
type events = kpi.Events

// d, dec, nd and dp are a date, a decimal, a result's value and a
// definition's optional number, written as text.
var (
	d   = enginetest.Date
	dec = enginetest.Dec
	nd  = enginetest.Null
	dp  = enginetest.Ptr
)

// testIndicators are the indicators of the tests: counts, a sum, a ratio,
// an average and a distinct count.
var testIndicators = []kpi.IndicatorDef{
	{ID: "won", Kinds: []string{"deal.won"}, Aggregate: "count"},
	{ID: "created", Kinds: []string{"deal.created"}, Aggregate: "count"},
	{ID: "revenue", Kinds: []string{"deal.won"}, Aggregate: "sum", Value: "amount", Unit: kpi.UnitMoney},
	{ID: "conversion", Formula: "won / created"},
	{ID: "avg_deal", Kinds: []string{"deal.won"}, Aggregate: "avg", Value: "amount", Unit: kpi.UnitMoney},
	{ID: "calls", Kinds: []string{"call"}, Aggregate: "count"},
	{ID: "cost", Kinds: []string{"expense"}, Aggregate: "sum", Value: "amount", Unit: kpi.UnitMoney},
}

type env struct {
	cal  *period.Calendar
	inds *kpi.Set
}

func newEnv(t testing.TB) env {
	t.Helper()
	cal, err := period.LoadCalendar("Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	set, err := kpi.Compile(testIndicators, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	return env{cal, set}
}

func (e env) compile(t tb, defs ...cascade.Def) *cascade.Set {
	t.Helper()
	s, err := cascade.Compile(defs, cascade.Env{Calendar: e.cal, Indicators: e.inds})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// at is noon local time on the date.
func (e env) at(s string) time.Time { return e.cal.Midnight(d(s)).Add(12 * time.Hour) }

func (e env) event(id, kind, actor, day, amount string) kpi.Event {
	ev := kpi.Event{ID: id, Kind: kind, Actor: actor, Time: e.at(day)}
	if amount != "" {
		ev.Amount = nd(amount)
	}
	return ev
}

// find returns the node with the id below root.
func find(t tb, root *cascade.Node, id string) *cascade.Node {
	t.Helper()
	var out *cascade.Node
	root.Walk(func(n *cascade.Node) {
		if n.ID == id {
			out = n
		}
	})
	if out == nil {
		t.Fatalf("no node %q", id)
	}
	return out
}

// sampleOrg is a company of two departments, sales (with the team
// sales_a below it) and support, and five people; u3 moves from sales_a to
// support on 2025-03-15.
var sampleOrg = enginetest.Directory(
	[]org.Unit{{ID: "sales"}, {ID: "sales_a", Parent: "sales"}, {ID: "support"}},
	[]org.Membership{
		{User: "u1", Unit: "sales"},
		{User: "u2", Unit: "sales_a"},
		{User: "u3", Unit: "sales_a", To: d("2025-03-15")},
		{User: "u3", Unit: "support", From: d("2025-03-15")},
		{User: "u4", Unit: "support"},
	},
)

// tb is what the helpers need of *testing.T and *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

func asCompileError(err error, ce **problem.Error) bool { return errors.As(err, ce) }

// evaluate reads src and dir once, as the root package does for a report,
// and evaluates the cascades over them.
func evaluate(s *cascade.Set, src kpi.Source, dir org.Directory) (*cascade.Result, error) {
	ctx := context.Background()
	var req cascade.Request
	if dir != nil {
		o, err := org.Load(ctx, dir)
		if err != nil {
			return nil, err
		}
		req.Org = o
	}
	var res *cascade.Result
	err := kpi.Snapshot(ctx, src, s.Calendar().Location(), kpi.Query{Kinds: s.Kinds()}, func(tab *kpi.Table) error {
		var err error
		res, err = s.Evaluate(ctx, tab, req)
		return err
	})
	return res, err
}

// ptr is an optional number of a definition.
func ptr(d decimal.Decimal) *decimal.Decimal { return &d }

// mustEvaluate is evaluate, failing the test on an error.
func mustEvaluate(t tb, s *cascade.Set, src kpi.Source, dir org.Directory) *cascade.Result {
	t.Helper()
	res, err := evaluate(s, src, dir)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
