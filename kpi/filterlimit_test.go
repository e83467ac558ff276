package kpi_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A filter whose arithmetic goes past the number limit fails the
// evaluation with the formula's error, naming the event and the place in
// the formula, whether the filter runs natively (amount * 10) or row by row
// (abs(amount) * 10): the native path read the overflow as undefined and
// dropped the event silently. Where the formula never reaches the
// overflow (a false left side of &&, a true one of ||), neither fails.
func TestFilterNumberLimit(t *testing.T) {
	ctx := context.Background()
	cal, err := period.LoadCalendar("UTC")
	if err != nil {
		t.Fatal(err)
	}
	huge := decimal.New(1, 999) // 1000 digits: valid, but times 10 is not
	at := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	evs := kpi.Events{
		{ID: "small", Kind: "won", Actor: "anna", Time: at, Amount: decimal.NewNullDecimal(decimal.New(5, 0)), Attrs: map[string]any{"n": decimal.New(5, 0)}},
		{ID: "big", Kind: "won", Actor: "anna", Time: at.Add(time.Hour), Amount: decimal.NewNullDecimal(huge), Attrs: map[string]any{"n": huge}},
	}
	for _, e := range evs {
		if err := e.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	const limit = `number out of range (limit: 1000 digits)`
	tests := []struct {
		where string
		err   string // "": the count is want
		want  string
	}{
		{where: "amount * 10 > 0", err: `filter of event "big": ` + limit + ` (1:8)`},
		{where: "abs(amount) * 10 > 0", err: `filter of event "big": ` + limit + ` (1:13)`},
		{where: "n * 10 > 0", err: `filter of event "big": ` + limit + ` (1:3)`},
		{where: "-(n * 10) < 0", err: `filter of event "big": ` + limit + ` (1:5)`},
		{where: `amount * 10 > 0 && kind == "lost"`, err: `filter of event "big": ` + limit + ` (1:8)`},
		{where: `kind == "lost" && amount * 10 > 0`, want: "0"},
		{where: `kind == "won" || amount * 10 > 0`, want: "2"},
		{where: `!(kind == "lost" && n * 10 > 0)`, want: "2"},
		{where: `amount < 10 || n * 10 > 0`, err: `filter of event "big": ` + limit + ` (1:18)`},
		{where: `amount < 10 && n * 10 > 0`, want: "1"},
	}
	for _, tt := range tests {
		t.Run(tt.where, func(t *testing.T) {
			set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "won", Kinds: []string{"won"}, Aggregate: "count", Where: tt.where}},
				kpi.Env{Attributes: map[string]kpi.AttrType{"n": kpi.AttrDecimal}})
			if err != nil {
				t.Fatal(err)
			}
			month := cal.Containing(period.Month, date.New(2025, 3, 10))
			req := kpi.Request{Calendar: cal, Periods: []period.Period{month}}
			// Track's Apply names the event's place in its batch.
			check := func(what, prefix string, res *kpi.Result, err error) {
				t.Helper()
				wantErr := ""
				if tt.err != "" {
					wantErr = prefix + "indicator won, " + tt.err
				}
				switch {
				case wantErr != "" && (err == nil || err.Error() != wantErr):
					t.Errorf("%s: error %v, want %s", what, err, wantErr)
				case wantErr == "" && err != nil:
					t.Errorf("%s: %v", what, err)
				case wantErr == "":
					if got, _ := res.Value("won", "anna", month); !got.Valid || got.Decimal.String() != tt.want {
						t.Errorf("%s: count %v, want %s", what, got, tt.want)
					}
				}
			}
			res, err := set.Evaluate(ctx, evs, req)
			check("Evaluate", "", res, err)
			// A breakdown numbers the rows its filters select before it
			// scans them: a failure there fails it too.
			bset, err := kpi.Compile([]kpi.IndicatorDef{{ID: "won", Kinds: []string{"won"}, Aggregate: "count", Where: tt.where, By: []string{"n"}}},
				kpi.Env{Attributes: map[string]kpi.AttrType{"n": kpi.AttrDecimal}})
			if err != nil {
				t.Fatal(err)
			}
			res, err = bset.Evaluate(ctx, evs, req)
			check("Evaluate by n", "", res, err)
			tr, err := set.Track(ctx, req, nil)
			if err != nil {
				t.Fatal(err)
			}
			err = tr.Apply(ctx, evs...)
			if err == nil {
				res, err = tr.Result(ctx, time.Time{})
			}
			check("Track", "event 1: ", res, err)
		})
	}
}
