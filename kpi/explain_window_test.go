package kpi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// An explanation of a cumulative indicator names the first date of its
// window: for a window of all, the first event's date (or the period's
// start, when no event is earlier), never a date before every calendar.
func TestExplainWindowFrom(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won_all", Kinds: []string{"deal.won"}, Aggregate: kpi.Count, Window: "all"},
		{ID: "won_3m", Kinds: []string{"deal.won"}, Aggregate: kpi.Count, Window: "3 months"},
		{ID: "won_ytd", Kinds: []string{"deal.won"}, Aggregate: kpi.Count, ToDate: "year"},
	}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("Europe/Berlin")
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, cal.Location()) }
	events := kpi.Events{
		{ID: "a", Kind: "deal.won", Actor: "anna", Time: at(2024, 11, 5)},
		{ID: "b", Kind: "deal.won", Actor: "anna", Time: at(2025, 3, 5)},
		{ID: "x", Kind: "deal.won", Actor: "anna", Time: at(2024, 10, 7)},
		{ID: "x", Deleted: true}, // retracted: its date starts nothing
	}
	march := cal.Containing(period.Month, date.New(2025, 3, 1))
	for _, tc := range []struct{ id, from, included string }{
		{"won_all", "2024-11-05", "a b"},
		{"won_3m", "2025-01-01", "b"},
		{"won_ytd", "2025-01-01", "b"},
	} {
		t.Run(tc.id, func(t *testing.T) {
			ex, err := explainOver(set, events, kpi.Request{Calendar: cal}, tc.id, "anna", march, nil)
			if err != nil {
				t.Fatal(err)
			}
			if ids := includedIDs(ex); ex.From != tc.from || strings.Join(ids, " ") != tc.included {
				t.Errorf("from %s, included %q; want from %s, included %q", ex.From, ids, tc.from, tc.included)
			}
		})
	}
}
