package kpi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// Replayed as known at an instant, a cohort counts only the events known
// then: an entity's first conversion, and its cohort event, are the first
// of those known, not of events entered later with earlier times.
func TestCohortKnownAt(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "created", Kinds: []string{"deal.created"}, Aggregate: kpi.Count},
		{ID: "won_ever", Kinds: []string{"deal.won"}, Aggregate: kpi.Count, Cohort: &kpi.CohortDef{Of: []string{"deal.created"}, Entity: "deal"}},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"deal": kpi.AttrString}})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("Europe/Berlin")
	at := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 12, 0, 0, 0, cal.Location()) }
	ev := func(id, kind, actor, deal string, t, known time.Time) kpi.Event {
		return kpi.Event{ID: id, Kind: kind, Actor: actor, Time: t, Known: known, Attrs: map[string]any{"deal": deal}}
	}
	events := kpi.Events{
		// d1: created on 1 March; won on 8 March (known then) and, entered
		// on 20 March, on 5 March.
		ev("c1", "deal.created", "anna", "d1", at(3, 1), at(3, 1)),
		ev("w1", "deal.won", "anna", "d1", at(3, 5), at(3, 20)),
		ev("w2", "deal.won", "anna", "d1", at(3, 8), at(3, 8)),
		// d2: created on 2 March (known then); entered on 20 March, a
		// creation on 27 February makes it February's.
		ev("c2", "deal.created", "boris", "d2", at(3, 2), at(3, 2)),
		ev("c2a", "deal.created", "vera", "d2", at(2, 27), at(3, 20)),
		ev("w3", "deal.won", "boris", "d2", at(3, 9), at(3, 9)),
	}
	feb := cal.Containing(period.Month, date.New(2025, 2, 1))
	march := cal.Containing(period.Month, date.New(2025, 3, 1))
	for _, tc := range []struct {
		name       string
		knownAt    time.Time
		feb, march string
		explained  string // the events March's value counts
	}{
		{"known on 12 March", at(3, 12), "0", "2", "w2 w3"},
		{"known on 25 March", at(3, 25), "1", "1", "w1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := kpi.Request{Calendar: cal, Periods: []period.Period{feb, march}, AsOf: at(4, 1), KnownAt: tc.knownAt}
			res, err := set.Evaluate(context.Background(), events, req)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				p    period.Period
				want string
			}{{feb, tc.feb}, {march, tc.march}} {
				v, _ := res.Value("won_ever", "*", c.p)
				if got := v.Decimal.String(); !v.Valid || got != c.want {
					t.Errorf("won_ever in %s = %s, want %s", cal.Label(c.p), got, c.want)
				}
			}
			ex, err := explainOver(set, events, req, "won_ever", "*", march, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(includedIDs(ex), " "); got != tc.explained {
				t.Errorf("explained %q, want %q", got, tc.explained)
			}
		})
	}
}
