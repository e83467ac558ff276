package kpi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A breakdown by a time attribute groups by instant, as SQL groups a
// timestamptz: one instant written in two zones is one row, which adds to the
// total with the others, and its explanation lists exactly the events its
// value counts.
func TestBreakdownTimeByInstant(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "s", Kinds: []string{"k"}, Aggregate: kpi.Sum, Value: "amount", By: []string{"due"}},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"due": kpi.AttrTime}})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("Europe/Berlin")
	at := time.Date(2025, 3, 10, 12, 0, 0, 0, cal.Location())
	due := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	ev := func(id, amount string, due time.Time) kpi.Event {
		return kpi.Event{ID: id, Kind: "k", Actor: "anna", Time: at, Amount: decimal.NewNullDecimal(decimal.RequireFromString(amount)),
			Attrs: map[string]any{"due": due}}
	}
	events := kpi.Events{
		ev("a", "1", due), ev("b", "2", due.In(cal.Location())), ev("c", "4", due.In(tokyo)),
		ev("d", "8", due.Add(time.Hour)),
	}
	march := cal.Containing(period.Month, date.New(2025, 3, 1))
	req := kpi.Request{Calendar: cal, Periods: []period.Period{march}}
	batch, live := batchAndLive(t, set, req, events, time.Time{})
	for name, res := range map[string]*kpi.Result{"batch": batch, "live": live} {
		var rows []string
		for _, r := range res.Rows() {
			if r.Participant == "anna" && r.By != nil {
				rows = append(rows, fmt.Sprintf("%s=%s", r.By[0].(time.Time).UTC().Format(time.RFC3339), r.Value.Decimal))
			}
		}
		if got, want := strings.Join(rows, " "), "2025-01-01T00:00:00Z=7 2025-01-01T01:00:00Z=8"; got != want {
			t.Errorf("%s: rows %s, want %s", name, got, want)
		}
	}
	ex, err := explainOver(set, events, req, "s", "anna", march, []any{due.In(tokyo)})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(ex.Value.Decimal, " ", includedIDs(ex)); got != "7 [a b c]" {
		t.Errorf("explained %s, want 7 [a b c]", got)
	}
}
