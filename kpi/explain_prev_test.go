package kpi_test

import (
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// An explanation of a formula that reads prev() accounts for the earlier
// period's value too: revenue / prev(revenue) - 1 in March has two inputs,
// March's revenue (0 periods back) and February's (1 back, its period and
// its events), and a prev(revenue, 2) one of January.
func TestExplainPrevInputs(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "revenue", Kinds: []string{"deal.won"}, Aggregate: kpi.Sum, Value: "amount"},
		{ID: "growth", Formula: "revenue / prev(revenue) - 1 + 0 * prev(revenue, 2)"},
	}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("Europe/Berlin")
	at := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 12, 0, 0, 0, cal.Location()) }
	amt := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }
	events := kpi.Events{
		{ID: "j1", Kind: "deal.won", Actor: "anna", Time: at(1, 9), Amount: amt("7")},
		{ID: "f1", Kind: "deal.won", Actor: "anna", Time: at(2, 3), Amount: amt("100")},
		{ID: "f2", Kind: "deal.won", Actor: "anna", Time: at(2, 20), Amount: amt("60")},
		{ID: "m1", Kind: "deal.won", Actor: "anna", Time: at(3, 5), Amount: amt("200")},
	}
	march := cal.Containing(period.Month, date.New(2025, 3, 1))
	ex, err := explainOver(set, events, kpi.Request{Calendar: cal, AsOf: at(4, 1)}, "growth", "anna", march, nil)
	if err != nil {
		t.Fatal(err)
	}
	// 200 / (100 + 60) - 1 = 1/4, by hand.
	want := new(big.Rat).Sub(big.NewRat(200, 100+60), big.NewRat(1, 1))
	if got, ok := new(big.Rat).SetString(ex.Value.Decimal.String()); !ex.Value.Valid || !ok || got.Cmp(want) != 0 {
		t.Fatalf("growth %v, want %s", ex.Value, want.RatString())
	}
	type in struct {
		back     int
		label    string
		value    string
		included string
	}
	wantIn := []in{{0, "2025-03", "200", "m1"}, {1, "2025-02", "160", "f1 f2"}, {2, "2025-01", "7", "j1"}}
	if len(ex.Inputs) != len(wantIn) {
		t.Fatalf("%d inputs, want %d: %+v", len(ex.Inputs), len(wantIn), ex.Inputs)
	}
	for i, w := range wantIn {
		g := ex.Inputs[i]
		got := in{g.Back, g.Label, g.Value.Decimal.String(), strings.Join(includedIDs(g), " ")}
		if g.Indicator != "revenue" || !g.Value.Valid || got != w {
			t.Errorf("input %d: %s %+v, want revenue %+v", i, g.Indicator, got, w)
		}
	}
}

// An explanation of a running formula (one that reads its own prev())
// gives its earlier value as an input with its formula and without inputs
// of its own: the cell is evaluated alone, so that value is before its
// first period and undefined, and won_to_date in March is March's win.
// Explaining the input followed prev() back without end, and the
// explanation died of a stack overflow.
func TestExplainRunningFormula(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count},
		{ID: "won_to_date", Formula: "coalesce(prev(won_to_date), 0) + won"},
		{ID: "before", Formula: "prev(won_to_date)"},
	}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("UTC")
	events := annaWinsMonthly(time.UTC)
	march := cal.Containing(period.Month, date.New(2025, 3, 1))
	for _, id := range []string{"won_to_date", "before"} {
		ex, err := explainOver(set, events, kpi.Request{Calendar: cal}, id, "anna", march, nil)
		if err != nil {
			t.Fatal(err)
		}
		var prev *kpi.Explanation
		for _, in := range ex.Inputs {
			if in.Indicator == "won_to_date" && in.Back == 1 {
				prev = in
			}
		}
		if prev == nil || prev.Label != "2025-02" || prev.Value.Valid || prev.Formula != "coalesce(prev(won_to_date), 0) + won" || len(prev.Inputs) != 0 {
			t.Errorf("%s: prev(won_to_date) explained as %+v, want February's, undefined, with its formula and no inputs", id, prev)
		}
		want := decimal.NullDecimal{} // before: February's, undefined
		if id == "won_to_date" {
			want = decimal.NewNullDecimal(decimal.NewFromInt(1)) // 0 + March's win
		}
		if !sameValue(ex.Value, want) {
			t.Errorf("%s in March: %s, want %s", id, show(ex.Value), show(want))
		}
	}
}

// An input read with prev() in an explanation of a breakdown row is the
// row of the same attributes in the earlier period, also where the
// indicator it reads is in a breakdown by other attributes too: growth by
// source in March reads February's web deals (2), not a row of the
// breakdown by office, which has no source (0 where a sum of nothing is).
func TestExplainPrevInputOfRowInTwoBreakdowns(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count},
		{ID: "growth", Formula: "won - prev(won)", By: []string{"source"}},
		{ID: "doubled", Formula: "won * 2", By: []string{"office"}},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"source": kpi.AttrString, "office": kpi.AttrString}})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("UTC")
	events := monthWins(map[string]any{"office": "north"}, monthWin{2, "web"}, monthWin{2, "web"}, monthWin{2, "ads"}, monthWin{3, "web"})
	march := cal.Containing(period.Month, date.New(2025, 3, 1))
	ex, err := explainOver(set, events, kpi.Request{Calendar: cal}, "growth", "anna", march, []any{"web"})
	if err != nil {
		t.Fatal(err)
	}
	// By hand: March's web deals 1, February's 2.
	want := map[int]int64{0: 1, 1: 2}
	for _, in := range ex.Inputs {
		if !in.Value.Valid || in.Value.Decimal.IntPart() != want[in.Back] || in.By["source"] != "web" {
			t.Errorf("input won back %d: %s by %v, want %d by source web", in.Back, show(in.Value), in.By, want[in.Back])
		}
	}
	if len(ex.Inputs) != 2 || !ex.Value.Valid || ex.Value.Decimal.IntPart() != -1 {
		t.Errorf("growth %s with %d inputs, want -1 with 2", show(ex.Value), len(ex.Inputs))
	}
}
