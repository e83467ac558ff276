package kpi

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// A tracker's read after a version shares with the read before it every
// row the version left alone and, in the row of its actor (and of
// org.Everyone), every period whose values stayed the same: only the
// periods that changed are new.
func TestTrackerReadSharesThePeriodsThatStayed(t *testing.T) {
	ctx := context.Background()
	cal, err := period.LoadCalendar("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	set, err := Compile([]IndicatorDef{
		{ID: "n", Kinds: []string{"won", "call"}, Aggregate: Count},
		{ID: "rev", Kinds: []string{"won"}, Aggregate: Sum, Value: "amount"},
	}, Env{})
	if err != nil {
		t.Fatal(err)
	}
	jan := cal.Containing(period.Month, date.New(2025, 1, 1))
	periods := []period.Period{jan, cal.Next(jan), cal.Next(cal.Next(jan))}
	tr, err := set.Track(ctx, Request{Calendar: cal, Periods: periods}, nil)
	if err != nil {
		t.Fatal(err)
	}
	event := func(id, actor string, month time.Month, amount int64) Event {
		return Event{ID: id, Kind: "won", Actor: actor, Time: time.Date(2025, month, 10, 12, 0, 0, 0, time.UTC),
			Amount: decimal.NewNullDecimal(decimal.New(amount, 0))}
	}
	if err := tr.Apply(ctx, event("1", "a", 1, 5), event("2", "a", 2, 7), event("3", "b", 1, 1), event("4", "b", 3, 2)); err != nil {
		t.Fatal(err)
	}
	before, err := tr.Result(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	// A correction of a's February amount: February of a and of everyone
	// changes, nothing else.
	if err := tr.Apply(ctx, event("2", "a", 2, 9)); err != nil {
		t.Fatal(err)
	}
	after, err := tr.Result(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := after.Value("rev", "a", periods[1]); !v.Decimal.Equal(decimal.New(9, 0)) {
		t.Fatalf("a's February revenue %v, want 9", v)
	}
	for pi, part := range after.Participants() {
		for qi := range periods {
			same := &after.values[pi].period(qi, after.width)[0] == &before.values[pi].period(qi, before.width)[0]
			changed := qi == 1 && part != "b"
			if same == changed {
				t.Errorf("%s, period %d: shared %v, the version changed it %v", part, qi, same, changed)
			}
		}
	}
}

// A row made again from new values (valueRow.with) holds those values in
// every period, shares each period whose values are the same with the row
// it replaces (one slice or already shared), and is that row when no
// period changed.
func TestValueRowWithSharesWhatStayed(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		width, nQ := rapid.IntRange(1, 4).Draw(t, "width"), rapid.IntRange(1, 6).Draw(t, "periods")
		num := func(i int) formula.Value { return formula.Int(int64(i)) }
		all := make([]formula.Value, nQ*width)
		for i := range all {
			all[i] = num(i)
		}
		rows := []valueRow{{all: all}}
		for step := range rapid.IntRange(1, 5).Draw(t, "steps") {
			was := rows[len(rows)-1]
			vals := make([]formula.Value, nQ*width)
			changed := make([]bool, nQ)
			for qi := range nQ {
				copy(vals[qi*width:], was.period(qi, width))
				if rapid.Bool().Draw(t, "change") {
					changed[qi] = true
					vals[qi*width+rapid.IntRange(0, width-1).Draw(t, "ix")] = num(1000 * (step + 1))
				}
			}
			got := was.with(vals, width)
			for qi := range nQ {
				p := got.period(qi, width)
				if !slices.Equal(p, vals[qi*width:(qi+1)*width]) {
					t.Fatalf("step %d, period %d: %v, want %v", step, qi, p, vals[qi*width:(qi+1)*width])
				}
				if shared := &p[0] == &was.period(qi, width)[0]; shared == changed[qi] {
					t.Fatalf("step %d, period %d: shared %v, changed %v", step, qi, shared, changed[qi])
				}
				if cap(p) != width {
					t.Fatalf("step %d, period %d: room past the period's values", step, qi)
				}
			}
			if !slices.Contains(changed, true) && (got.per == nil) != (was.per == nil) {
				t.Fatalf("step %d: nothing changed, yet a new row", step)
			}
			rows = append(rows, got)
		}
		// The rows made before are as they were.
		for qi := range nQ {
			for ix := range width {
				if v := rows[0].period(qi, width)[ix]; v != num(qi*width+ix) {
					t.Fatalf("the first row changed: %v", v)
				}
			}
		}
	})
}
