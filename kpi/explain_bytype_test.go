package kpi_test

import (
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A breakdown row is named by its values as the table holds them, and an
// int (what a host writes for an int attribute, as events may carry it)
// names the row of that int64: it named no row and explained 0. A value of
// no attribute type (a float64) is refused, naming it: it matched the events
// without the attribute. A value of another attribute type than the
// declared one names its own row, which events holding such values make.
func TestExplainByTakesAnIntAndRefusesAnotherType(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "n", Kinds: []string{"call"}, Aggregate: kpi.Count, By: []string{"size"}}},
		kpi.Env{Attributes: map[string]kpi.AttrType{"size": kpi.AttrInt}})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("UTC")
	at := time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)
	events := kpi.Events{
		{ID: "five", Kind: "call", Actor: "anna", Time: at, Attrs: map[string]any{"size": int64(5)}},
		{ID: "none", Kind: "call", Actor: "anna", Time: at},
		{ID: "text", Kind: "call", Actor: "anna", Time: at, Attrs: map[string]any{"size": "5"}},
	}
	mar := cal.Containing(period.Month, date.New(2025, 3, 1))
	req := kpi.Request{Calendar: cal, Periods: []period.Period{mar}}
	tiny := decimal.New(1, -10000)
	for _, c := range []struct {
		by   any
		want []string // the events explained; nil: an error
		err  string
	}{
		{int64(5), []string{"five"}, ""},
		{5, []string{"five"}, ""},
		{int32(5), []string{"five"}, ""},
		{nil, []string{"none"}, ""},
		{"5", []string{"text"}, ""},
		{5.0, nil, "indicator n is broken down by size: the value 0 is float64 5, want a string, int64, decimal.Decimal, bool or time.Time (or nil for none)"},
		{uint8(5), nil, "indicator n is broken down by size: the value 0 is uint8 5, want a string, int64, decimal.Decimal, bool or time.Time (or nil for none)"},
		// A number quoted shortened: written out, a message of 10,000
		// characters.
		{&tiny, nil, "indicator n is broken down by size: the value 0 is *decimal.Decimal 1e-10000, want a string, int64, decimal.Decimal, bool or time.Time (or nil for none)"},
	} {
		ex, err := explainOver(set, events, req, "n", "anna", mar, []any{c.by})
		switch {
		case c.want == nil && (err == nil || err.Error() != c.err):
			t.Errorf("by %T: %.200v, want the error %s", c.by, err, c.err)
		case c.want != nil && err != nil:
			t.Errorf("by %T %v: %v", c.by, c.by, err)
		case c.want != nil && !slices.Equal(includedIDs(ex), c.want):
			t.Errorf("by %T %v: explained %v, want %v", c.by, c.by, includedIDs(ex), c.want)
		}
	}
}
