package goal

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// events is a stream of event versions (kpi.Events).
type events = kpi.Events

func d(s string) date.Date { return date.MustParseISO(s) }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func nd(s string) decimal.NullDecimal { return decimal.NewNullDecimal(dec(s)) }

func ev(id, kind, actor string, t time.Time) kpi.Event {
	return kpi.Event{ID: id, Kind: kind, Actor: actor, Time: t}
}

func mustCompile(t testing.TB, cal *period.Calendar, inds []kpi.IndicatorDef, defs ...Def) *Set {
	t.Helper()
	s, err := Compile(defs, Env{Calendar: cal, Indicators: inds, Attributes: map[string]kpi.AttrType{"source": kpi.AttrString}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func rowFor(t testing.TB, res *Result, goal, participant string) Row {
	t.Helper()
	for _, r := range res.Rows {
		if r.Goal == goal && r.Participant == participant {
			return *r
		}
	}
	t.Fatalf("no row for %s/%s", goal, participant)
	return Row{}
}

func str(d decimal.NullDecimal) string {
	if !d.Valid {
		return "null"
	}
	return d.Decimal.String()
}

// snapshot reads src into a table dated in the set's zone, as the root
// package does for every report.
func snapshot(s *Set, src kpi.Source) *kpi.Table { return enginetest.Table(s.cal.Location(), src) }

func loadOrg(t testing.TB, dir org.Directory) *org.Org {
	t.Helper()
	o, err := org.Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// dp is an optional number of a definition.
func dp(s string) *decimal.Decimal {
	d := decimal.RequireFromString(s)
	return &d
}
