package kpi_test

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

func TestBreakdownCompileErrors(t *testing.T) {
	attrs := map[string]kpi.AttrType{"source": kpi.AttrString, "pipeline": kpi.AttrInt, "product": kpi.AttrString, "office": kpi.AttrString, "vip": kpi.AttrBool}
	won := func(by []string, top int) kpi.IndicatorDef {
		return kpi.IndicatorDef{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count, By: by, Top: top}
	}
	for _, tc := range []struct {
		name string
		def  kpi.IndicatorDef
		want string
	}{
		{"unknown attribute", won([]string{"sorce"}, 0),
			`indicators[0].by[0]: unknown attribute "sorce": declare it in the plan's attributes (did you mean "source"?)`},
		{"listed twice", won([]string{"source", "source"}, 0), `indicators[0].by[1]: attribute "source" is listed twice`},
		{"too many", won([]string{"source", "pipeline", "product", "office", "vip"}, 0),
			"indicators[0].by: 5 attributes: an indicator is broken down by at most 4"},
		{"negative top", won([]string{"source"}, -1), "indicators[0].top: top -1 is negative"},
		{"top without by", won(nil, 3), "indicators[0].top: top needs by: the attributes to break the indicator down by"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := kpi.Compile([]kpi.IndicatorDef{tc.def}, kpi.Env{Attributes: attrs})
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got %v, want %s", err, tc.want)
			}
		})
	}
}

// Conversion by lead source: each row's ratio is the row's wins over the
// row's deals; the top two sources by conversion are shown, the rest make
// one "other" row from their own events, and the total stays as it is. A
// deal without a source has a row of its own (nil), sorted last.
func ExampleResult_Rows_breakdown() {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "created", Kinds: []string{"deal.created"}, Aggregate: kpi.Count, By: []string{"source"}},
		{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count},
		{ID: "conversion", Formula: "won / created", By: []string{"source"}, Top: 2},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"source": kpi.AttrString}})
	if err != nil {
		panic(err)
	}
	cal, _ := period.LoadCalendar("UTC")
	at := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	var events kpi.Events
	add := func(kind, source string, n int) {
		for range n {
			e := kpi.Event{ID: fmt.Sprint(len(events)), Kind: kind, Actor: "anna", Time: at}
			if source != "" {
				e.Attrs = map[string]any{"source": source}
			}
			events = append(events, e)
		}
	}
	add("deal.created", "web", 4)
	add("deal.won", "web", 1)
	add("deal.created", "partner", 2)
	add("deal.won", "partner", 2)
	add("deal.created", "ads", 5)
	add("deal.won", "ads", 2)
	add("deal.created", "event", 5)
	add("deal.won", "event", 1)
	add("deal.created", "", 1)
	march := cal.Containing(period.Month, date.New(2025, 3, 1))
	res, _ := set.Evaluate(context.Background(), events, kpi.Request{Calendar: cal, Periods: []period.Period{march}})
	total, _ := res.Value("conversion", "anna", march)
	fmt.Println("conversion", total.Decimal)
	for _, r := range res.Rows() {
		if r.Indicator != "conversion" || r.Participant != "anna" || (r.By == nil && !r.Other) {
			continue
		}
		if r.Other {
			fmt.Println("  other", r.Value.Decimal)
			continue
		}
		fmt.Println(" ", r.By[0], r.Value.Decimal)
	}
	for _, r := range res.Rows() {
		if r.Indicator == "created" && r.Participant == "anna" && r.By != nil {
			fmt.Println("created", r.By, r.Value.Decimal)
		}
	}
	// Output:
	// conversion 0.3529411764705882
	//   partner 1
	//   ads 0.4
	//   other 0.2
	// created [ads] 5
	// created [event] 5
	// created [partner] 2
	// created [web] 4
	// created [<nil>] 1
}

// Explaining a breakdown row lists the events of its attribute values and
// leaves the participant's others out as "another breakdown row"; a
// formula's inputs are explained for the same row, whether or not they
// declare by themselves, and a row outside the top is explained too.
func TestExplainBreakdown(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "created", Kinds: []string{"deal.created"}, Aggregate: kpi.Count},
		{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count},
		{ID: "conversion", Formula: "won / created", By: []string{"source", "pipeline"}, Top: 1},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"source": kpi.AttrString, "pipeline": kpi.AttrInt}})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("UTC")
	ev := sourced("anna", time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC))
	events := kpi.Events{
		ev("c1", "deal.created", "web", 1), ev("c2", "deal.created", "web", 1), ev("c3", "deal.created", "web", 2),
		ev("w1", "deal.won", "web", 1), ev("w2", "deal.won", "web", 2), ev("w3", "deal.won", "ads", 1),
		ev("c4", "deal.created", "ads", 1),
	}
	march := cal.Containing(period.Month, date.New(2025, 3, 1))
	ex, err := explainOver(set, events, kpi.Request{Calendar: cal}, "conversion", "anna", march, []any{"web", int64(1)})
	if err != nil {
		t.Fatal(err)
	}
	// web/2 and ads/1 both convert at 1: web/1 (0.5) is outside the top.
	if got := fmt.Sprint(ex.By, " ", ex.Value.Decimal); got != "map[pipeline:1 source:web] 0.5" {
		t.Fatalf("explanation of conversion: %s", got)
	}
	for _, in := range ex.Inputs {
		var ids []string
		for _, c := range in.Included {
			ids = append(ids, c.Event)
		}
		got := fmt.Sprint(in.Indicator, " ", in.Value.Decimal, " ", ids, " ", in.ExcludedCounts["another breakdown row"])
		want := map[string]string{"won": "won 1 [w1] 2", "created": "created 2 [c1 c2] 2"}[in.Indicator]
		if got != want {
			t.Errorf("input: %s, want %s", got, want)
		}
	}
}

// sourced returns a maker of events of the actor at the instant with a
// source and a pipeline.
func sourced(actor string, at time.Time) func(id, kind, source string, pipeline int64) kpi.Event {
	return func(id, kind, source string, pipeline int64) kpi.Event {
		return kpi.Event{ID: id, Kind: kind, Actor: actor, Time: at, Attrs: map[string]any{"source": source, "pipeline": pipeline}}
	}
}

// A broken-down formula explains its inputs for its own row, by its own
// attributes, even where an input is broken down by others of its own:
// conversion by source reads calls, itself by source and pipeline, and
// explains calls for source = web.
func TestExplainFormulaRowInputsByItsAttributes(t *testing.T) {
	attrs := map[string]kpi.AttrType{"source": kpi.AttrString, "pipeline": kpi.AttrInt}
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"won"}, Aggregate: kpi.Count},
		{ID: "calls", Kinds: []string{"call"}, Aggregate: kpi.Count, By: []string{"source", "pipeline"}},
		{ID: "conversion", Formula: "won / calls", By: []string{"source"}},
	}, kpi.Env{Attributes: attrs})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("UTC")
	ev := sourced("ann", time.Date(2025, 3, 5, 12, 0, 0, 0, time.UTC))
	events := kpi.Events{ev("c1", "call", "web", 1), ev("c2", "call", "web", 2), ev("c3", "call", "cold", 1),
		ev("w1", "won", "web", 1), ev("w2", "won", "cold", 2)}
	march := cal.Containing(period.Month, date.New(2025, 3, 1))
	ex, err := explainOver(set, events, kpi.Request{Calendar: cal}, "conversion", "ann", march, []any{"web"})
	if err != nil {
		t.Fatal(err)
	}
	if show(ex.Value) != "0.5" || len(ex.Inputs) != 2 {
		t.Fatalf("conversion for web: %s with %d inputs, want 0.5 with 2", show(ex.Value), len(ex.Inputs))
	}
	for i, want := range []struct{ id, value, included string }{{"calls", "2", "c1 c2"}, {"won", "1", "w1"}} {
		in := ex.Inputs[i]
		if in.Indicator != want.id || show(in.Value) != want.value || strings.Join(includedIDs(in), " ") != want.included || len(in.By) != 1 || in.By["source"] != "web" {
			t.Errorf("input %d: %s = %s by %v counting %q; want %s = %s by source = web counting %q", i, in.Indicator, show(in.Value), in.By, includedIDs(in), want.id, want.value, want.included)
		}
	}
}

// prev() in an "other" row reads the other row of the period before: the
// combinations outside that period's own top, ranked by that period's own
// values (which read the period before it in turn), whether or not that
// period is reported, so a March row reads the same in a report of March
// alone as in one of February and March.
func TestBreakdownOtherPrevReadsEarlierTop(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count},
		{ID: "growth", Formula: "won - prev(won)", By: []string{"source"}, Top: 1},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"source": kpi.AttrString}})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("UTC")
	type won struct {
		day    date.Date
		source string
		n      int
	}
	feb := cal.Containing(period.Month, date.New(2025, 2, 1))
	mar := cal.Containing(period.Month, date.New(2025, 3, 1))
	for _, tc := range []struct {
		name    string
		january []won
		want    decimal.Decimal
	}{
		// By hand: February's top is ads (3 − 0), its other row web (1
		// won); March's top is web (5 − 1), its other row ads (1 won), so
		// March's other growth is 1 − 1 = 0 (not 1 − 3, February's ads).
		{"no January", nil, decimal.Zero},
		// By hand: February's growth is ads 3 − 3 = 0, web 1 − 0 = 1, so
		// its top is web and its other row ads (3 won); March's top is web
		// (5 − 1), its other row ads (1 won): 1 − 3 = −2.
		{"January ranks February", []won{{date.New(2025, 1, 10), "ads", 3}}, decimal.NewFromInt(-2)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var events kpi.Events
			for _, w := range append(tc.january, won{date.New(2025, 2, 10), "ads", 3}, won{date.New(2025, 2, 10), "web", 1},
				won{date.New(2025, 3, 10), "ads", 1}, won{date.New(2025, 3, 10), "web", 5}) {
				for range w.n {
					events = append(events, kpi.Event{ID: fmt.Sprint(len(events)), Kind: "deal.won", Actor: "anna",
						Time: time.Date(w.day.Year(), w.day.Month(), w.day.Day(), 12, 0, 0, 0, time.UTC), Attrs: map[string]any{"source": w.source}})
				}
			}
			for _, periods := range [][]period.Period{{mar}, {feb, mar}} {
				res, err := set.Evaluate(context.Background(), events, kpi.Request{Calendar: cal, Periods: periods})
				if err != nil {
					t.Fatal(err)
				}
				found := false
				for _, r := range res.Rows() {
					if r.Indicator == "growth" && r.Other && r.Period == mar {
						found = true
						if !r.Value.Valid || !r.Value.Decimal.Equal(tc.want) {
							t.Errorf("report of %d periods: March's other growth %v, want %s", len(periods), r.Value, tc.want)
						}
					}
				}
				if !found {
					t.Errorf("report of %d periods: no other row in March", len(periods))
				}
			}
		})
	}
}

// A running formula (one that reads its own prev()) broken down by an
// attribute accumulates each combination's own events from the report's
// first period. Finding the events it reads followed its prev() of itself
// without end: the evaluation died of a stack overflow.
func TestBreakdownRunningFormula(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count},
		{ID: "to_date", Formula: "coalesce(prev(to_date), 0) + won", By: []string{"source"}},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"source": kpi.AttrString}})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("UTC")
	events := monthWins(nil, monthWin{1, "ads"}, monthWin{2, "ads"}, monthWin{2, "web"}, monthWin{3, "ads"}, monthWin{3, "ads"}, monthWin{3, "web"})
	feb := cal.Containing(period.Month, date.New(2025, 2, 1))
	mar := cal.Next(feb)
	res, err := set.Evaluate(context.Background(), events, kpi.Request{Calendar: cal, Periods: []period.Period{feb, mar}})
	if err != nil {
		t.Fatal(err)
	}
	// By hand, from February (January's win is before the report): ads 1
	// then 1 + 2, web 1 then 1 + 1.
	want := map[string]int64{"Feb ads": 1, "Feb web": 1, "Mar ads": 3, "Mar web": 2}
	got := map[string]int64{}
	for _, r := range res.Rows() {
		if r.Indicator != "to_date" || r.Participant != "anna" || len(r.By) != 1 {
			continue
		}
		if !r.Value.Valid || !r.Value.Decimal.IsInteger() {
			t.Fatalf("%s by %v: %v", cal.Label(r.Period), r.By, r.Value)
		}
		got[r.Period.Start.Month().String()[:3]+" "+fmt.Sprint(r.By[0])] = r.Value.Decimal.IntPart()
	}
	if !maps.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// monthWin is a deal won in a month of 2025 from a source.
type monthWin struct {
	month  time.Month
	source string
}

// monthWins is anna's deals won, one event each on the 10th of its month
// at noon UTC, with the attribute source and the attributes of extra.
func monthWins(extra map[string]any, wins ...monthWin) kpi.Events {
	var events kpi.Events
	for i, w := range wins {
		attrs := map[string]any{"source": w.source}
		maps.Copy(attrs, extra)
		events = append(events, kpi.Event{ID: fmt.Sprint(i), Kind: "deal.won", Actor: "anna",
			Time: time.Date(2025, w.month, 10, 12, 0, 0, 0, time.UTC), Attrs: attrs})
	}
	return events
}
