package kpi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A formula's failure names the participant quoted and cut to 64 bytes,
// in a batch evaluation, a tracker's read and a breakdown's row (the
// participant's total, of a region's amount and its opposite, is 0 and
// fails nowhere): an actor of 10,000 bytes made an error of 10,000 bytes.
func TestFormulaErrorQuotesLongParticipantCut(t *testing.T) {
	ctx := context.Background()
	cal, err := period.LoadCalendar("UTC")
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("p", 10_000)
	huge := decimal.New(1, 999) // 1000 digits: valid, but times 10 is not
	at := time.Date(2025, 3, 4, 12, 0, 0, 0, time.UTC)
	evs := kpi.Events{{ID: "1", Kind: "won", Actor: long, Time: at, Amount: decimal.NewNullDecimal(huge), Attrs: map[string]any{"region": "north"}}}
	req := kpi.Request{Calendar: cal, Periods: []period.Period{cal.Containing(period.Month, date.New(2025, 3, 1))}}
	want := `indicator big, participant "` + strings.Repeat("p", 64) + `…", period 2025-03: `
	for _, by := range [][]string{nil, {"region"}} {
		if by != nil {
			evs = append(evs, kpi.Event{ID: "2", Kind: "won", Actor: long, Time: at, Amount: decimal.NewNullDecimal(huge.Neg()), Attrs: map[string]any{"region": "south"}})
		}
		set, err := kpi.Compile([]kpi.IndicatorDef{
			{ID: "won", Kinds: []string{"won"}, Aggregate: kpi.Sum, Value: "amount", By: by},
			{ID: "big", Formula: "won * 10", By: by},
		}, kpi.Env{Attributes: map[string]kpi.AttrType{"region": kpi.AttrString}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = set.Evaluate(ctx, evs, req)
		if err == nil || len(err.Error()) > 300 || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("by %v, evaluated: %.300v, want %s…", by, err, want)
		}
		tr, err := set.Track(ctx, req, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.Apply(ctx, evs...); err != nil {
			t.Fatal(err)
		}
		_, err = tr.Result(ctx, time.Time{})
		if err == nil || len(err.Error()) > 300 || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("by %v, tracked: %.300v, want %s…", by, err, want)
		}
		tr.Close()
	}
}
