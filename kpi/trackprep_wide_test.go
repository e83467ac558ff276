package kpi_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// wideAttrs are the attributes of TestTrackerWideDictionariesMatchBatch:
// n takes hundreds of values (codes past a byte), tag a few, late and
// later first appear in the middle of the stream.
var wideAttrs = map[string]kpi.AttrType{"n": kpi.AttrInt, "tag": kpi.AttrString, "late": kpi.AttrString, "later": kpi.AttrInt}

// widePredicate draws a filter over one attribute or several, with in
// lists and negations, over values that come only later too.
func widePredicate(t *rapid.T, depth int) string {
	return drawFilter(t, depth, 3, wideLeaf)
}

// wideLeaf draws one comparison of widePredicate.
func wideLeaf(t *rapid.T) string {
	switch rapid.IntRange(0, 7).Draw(t, "leaf") {
	case 0:
		return fmt.Sprintf("n > %d", rapid.IntRange(0, 600).Draw(t, "n>"))
	case 1:
		return fmt.Sprintf("n in [%d, %d, %d]", rapid.IntRange(0, 600).Draw(t, "n1"), rapid.IntRange(250, 300).Draw(t, "n2"), rapid.IntRange(0, 600).Draw(t, "n3"))
	case 2:
		return fmt.Sprintf("tag == %q", rapid.SampledFrom([]string{"a", "b", "c", "zz"}).Draw(t, "tag"))
	case 3:
		return fmt.Sprintf("late == %q", fmt.Sprint("l", rapid.IntRange(0, 300).Draw(t, "late")))
	case 4:
		return fmt.Sprintf("!(late in [%q, %q])", fmt.Sprint("l", rapid.IntRange(0, 300).Draw(t, "late1")), fmt.Sprint("l", rapid.IntRange(0, 300).Draw(t, "late2")))
	case 5:
		return fmt.Sprintf("later >= %d", rapid.IntRange(0, 40).Draw(t, "later"))
	case 6:
		return fmt.Sprintf("n > later * %d", rapid.IntRange(1, 20).Draw(t, "m"))
	default:
		return fmt.Sprintf("actor == %q", fmt.Sprint("u", rapid.IntRange(0, 300).Draw(t, "actor")))
	}
}

// A tracker applied one version at a time gives the values of a batch
// evaluation of the versions applied, with filters over attributes whose
// dictionaries grow past a byte (hundreds of values of n, hundreds of
// actors), over names that first appear halfway through the stream, and
// over values that appear only later or whose events are retracted: the
// filters are prepared again exactly when a dictionary they read grows
// (kpi/trackprep.go), and a filter over one attribute reads its codes
// alone, whatever their width.
func TestTrackerWideDictionariesMatchBatch(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		cal, err := period.LoadCalendar("Europe/Berlin")
		if err != nil {
			t.Fatal(err)
		}
		month := cal.Containing(period.Month, date.New(2025, 3, 1))
		var defs []kpi.IndicatorDef
		for i := range rapid.IntRange(1, 4).Draw(t, "indicators") {
			d := kpi.IndicatorDef{ID: fmt.Sprintf("i%d", i), Kinds: []string{"won"}, Where: widePredicate(t, 2),
				Aggregate: rapid.SampledFrom([]kpi.Aggregate{"count", "sum", "distinct"}).Draw(t, "agg")}
			switch d.Aggregate {
			case "sum":
				d.Value = "amount"
			case "distinct":
				d.Value = rapid.SampledFrom([]string{"n", "actor", "late"}).Draw(t, "distinct of")
			}
			defs = append(defs, d)
		}
		set, err := kpi.Compile(defs, kpi.Env{Attributes: wideAttrs})
		if err != nil {
			t.Fatalf("compile %+v: %v", defs, err)
		}
		req := kpi.Request{Calendar: cal, Periods: []period.Period{month}}
		tr, err := set.Track(ctx, req, nil)
		if err != nil {
			t.Fatal(err)
		}
		n := rapid.IntRange(0, 900).Draw(t, "versions")
		var applied []kpi.Event
		ids := 0
		for i := range n {
			var e kpi.Event
			if ids > 0 && rapid.IntRange(0, 5).Draw(t, "again") == 0 {
				e.ID = fmt.Sprint(rapid.IntRange(0, ids-1).Draw(t, "of"))
				if rapid.Bool().Draw(t, "retract") {
					e.Deleted = true
				}
			} else {
				e.ID = fmt.Sprint(ids)
				ids++
			}
			if !e.Deleted {
				e.Kind = "won"
				e.Actor = fmt.Sprint("u", rapid.IntRange(0, 300).Draw(t, "actor"))
				e.Time = time.Date(2025, 3, 1+rapid.IntRange(0, 30).Draw(t, "day"), 12, 0, 0, 0, cal.Location())
				e.Amount = decimal.NewNullDecimal(decimal.New(int64(rapid.IntRange(1, 1000).Draw(t, "amount")), 0))
				e.Attrs = map[string]any{}
				if rapid.IntRange(0, 5).Draw(t, "has n") != 0 {
					e.Attrs["n"] = int64(rapid.IntRange(0, 600).Draw(t, "n"))
				}
				if rapid.Bool().Draw(t, "has tag") {
					e.Attrs["tag"] = rapid.SampledFrom([]string{"a", "b", "c"}).Draw(t, "tag")
				}
				if i >= n/2 && rapid.Bool().Draw(t, "has late") {
					e.Attrs["late"] = fmt.Sprint("l", rapid.IntRange(0, 300).Draw(t, "late"))
				}
				if i >= 3*n/4 && rapid.Bool().Draw(t, "has later") {
					e.Attrs["later"] = int64(rapid.IntRange(0, 40).Draw(t, "later"))
				}
			}
			if err := tr.Apply(ctx, e); err != nil {
				t.Fatal(err)
			}
			applied = append(applied, e)
			if rapid.IntRange(0, 60).Draw(t, "read") == 0 {
				sameResult(t, fmt.Sprintf("after %d versions", len(applied)), must(t)(tr.Result(ctx, time.Time{})), batchOf(t, set, req, applied))
			}
		}
		sameResult(t, "end", must(t)(tr.Result(ctx, time.Time{})), batchOf(t, set, req, applied))
	})
}
