package goalkit_test

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// The plan of the breakdown properties: a count, a sum, a min, a max and a
// distinct count broken down by one or two attributes, and running totals
// to date and over a window, over one kind of event.
const breakdownPropPlan = `
timezone: %s
attributes: {source: string, n: int, flag: bool, price: decimal}
indicators:
  - id: cnt
    kinds: [sale]
    aggregate: count
    by: [source]
  - id: total
    kinds: [sale]
    aggregate: sum
    value: price
    by: [source, flag]
  - id: lo
    kinds: [sale]
    aggregate: min
    value: n
    by: [source]
  - id: hi
    kinds: [sale]
    aggregate: max
    value: price
    by: [flag]
  - id: uniq
    kinds: [sale]
    aggregate: distinct
    value: n
    by: [source]
  - id: cnt_ytd
    kinds: [sale]
    aggregate: count
    to_date: year
  - id: total_ytd
    kinds: [sale]
    aggregate: sum
    value: price
    to_date: quarter
    by: [source]
  - id: cnt_10d
    kinds: [sale]
    aggregate: count
    window: 10 days
report:
  grain: month
  from: 2025-01-01
  to: 2025-05-01
`

// bdEvent is an event of the breakdown properties as the reference reads
// it: its local date and its attributes (absent: not in the map).
type bdEvent struct {
	day   date.Date
	actor string
	attrs map[string]any
}

// genBreakdownEvents draws events of kind sale from late December 2024 to
// early May 2025 (some before and after the report), local instants in
// loc, each attribute present or not.
func genBreakdownEvents(t *rapid.T, loc *time.Location) ([]kpi.Event, []bdEvent) {
	n := rapid.IntRange(0, 40).Draw(t, "events")
	first := date.New(2024, 12, 20)
	var evs []kpi.Event
	var ref []bdEvent
	for i := range n {
		d := first + date.Date(rapid.IntRange(0, 145).Draw(t, "day"))
		minute := rapid.IntRange(0, 24*60-1).Draw(t, "minute")
		y, m, dd := d.Date()
		at := time.Date(y, m, dd, minute/60, minute%60, 0, 0, loc)
		// A local time a DST gap skips lands on another local date
		// perhaps: the reference reads the date the instant has.
		ly, lm, ld := at.In(loc).Date()
		attrs := map[string]any{}
		if s := rapid.IntRange(0, 3).Draw(t, "source"); s < 3 {
			attrs["source"] = []string{"web", "ads", ""}[s]
		}
		if rapid.Bool().Draw(t, "has n") {
			attrs["n"] = int64(rapid.IntRange(-3, 3).Draw(t, "n"))
		}
		if rapid.Bool().Draw(t, "has flag") {
			attrs["flag"] = rapid.Bool().Draw(t, "flag")
		}
		if rapid.IntRange(0, 4).Draw(t, "has price") > 0 {
			attrs["price"] = decimal.New(int64(rapid.IntRange(-5000, 5000).Draw(t, "price")), -2)
		}
		actor := rapid.SampledFrom([]string{"anna", "boris", "vera"}).Draw(t, "actor")
		evs = append(evs, kpi.Event{ID: "e" + strconv.Itoa(i), Kind: "sale", Time: at, Actor: actor, Attrs: attrs})
		ref = append(ref, bdEvent{day: date.New(ly, lm, ld), actor: actor, attrs: attrs})
	}
	return evs, ref
}

// drawnAsOf is the instant the properties over genBreakdownEvents evaluate
// as of: after every event.
func drawnAsOf(loc *time.Location) time.Time { return time.Date(2025, 6, 1, 0, 0, 0, 0, loc) }

// reportDoc is a report's values and breakdown rows read back from its
// JSON.
type reportDoc struct {
	Values     []map[string]any `json:"values"`
	Breakdowns []map[string]any `json:"breakdowns"`
}

// readReportDoc reads rep's JSON back.
func readReportDoc(t *rapid.T, rep *goalkit.Report) reportDoc {
	var doc reportDoc
	if err := json.Unmarshal(reportJSON(t, rep), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// bdKey is the text of a combination of attribute values, as the
// reference and the JSON read back both write it: each value's JSON, null
// for none.
func bdKey(vals []any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		switch x := v.(type) {
		case nil:
			parts[i] = "null"
		case string:
			parts[i] = strconv.Quote(x)
		case bool:
			parts[i] = strconv.FormatBool(x)
		case int64:
			parts[i] = strconv.FormatInt(x, 10)
		case decimal.Decimal:
			parts[i] = "d" + x.String()
		default:
			parts[i] = fmt.Sprint(x)
		}
	}
	return strings.Join(parts, ",")
}

// bdRef computes an aggregate over the events of one participant (those
// that count for it) with local dates in [from, to), grouped by the attributes of
// by (none: the total); each group's value as a decimal string, "null"
// for undefined.
func bdRef(ref []bdEvent, agg, value string, by []string, counts func(bdEvent) bool, from, to date.Date) map[string]string {
	type acc struct {
		n        int
		sum      *big.Rat
		defined  bool
		min, max decimal.Decimal
		distinct map[string]bool
	}
	groups := map[string]*acc{}
	for _, e := range ref {
		if e.day < from || e.day >= to || !counts(e) {
			continue
		}
		vals := make([]any, len(by))
		for i, b := range by {
			vals[i] = e.attrs[b]
		}
		k := bdKey(vals)
		a := groups[k]
		if a == nil {
			a = &acc{sum: new(big.Rat), distinct: map[string]bool{}}
			groups[k] = a
		}
		a.n++
		if value == "" {
			continue
		}
		v, ok := e.attrs[value]
		if !ok {
			continue
		}
		var d decimal.Decimal
		switch x := v.(type) {
		case int64:
			d = decimal.NewFromInt(x)
		case decimal.Decimal:
			d = x
		}
		a.sum.Add(a.sum, d.Rat())
		a.distinct[d.String()] = true
		if !a.defined || d.LessThan(a.min) {
			a.min = d
		}
		if !a.defined || d.GreaterThan(a.max) {
			a.max = d
		}
		a.defined = true
	}
	out := map[string]string{}
	for k, a := range groups {
		switch agg {
		case "count":
			out[k] = strconv.Itoa(a.n)
		case "sum":
			out[k] = ratText(a.sum)
		case "min", "max":
			out[k] = "null"
			if a.defined {
				out[k] = a.min.String()
				if agg == "max" {
					out[k] = a.max.String()
				}
			}
		case "distinct":
			out[k] = strconv.Itoa(len(a.distinct))
		}
	}
	return out
}

// actorIs says which events count for a participant without a directory:
// its own, or everyone's for "*".
func actorIs(who string) func(bdEvent) bool {
	return func(e bdEvent) bool { return who == "*" || e.actor == who }
}

// ratText is an exact fraction with a terminating decimal expansion as
// decimal.Decimal writes it.
func ratText(r *big.Rat) string {
	d, err := decimal.NewFromString(r.FloatString(10))
	if err != nil {
		panic(err)
	}
	return d.String()
}

// jsonValue is a JSON value of the report read back: a decimal string's
// text as decimal writes it, "null" for null.
func jsonValue(t *rapid.T, v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		d, err := decimal.NewFromString(x)
		if err != nil {
			t.Fatalf("value %q is no decimal: %v", x, err)
		}
		return d.String()
	}
	t.Fatalf("value %#v is neither a decimal string nor null", v)
	return ""
}

// jsonByKey is the key of a breakdown row read back from JSON: its by
// object's values in the order of by.
func jsonByKey(t *rapid.T, row map[string]any, by []string) string {
	obj, ok := row["by"].(map[string]any)
	if !ok || len(obj) != len(by) {
		t.Fatalf("breakdown row %v: by is not an object of %v", row, by)
	}
	vals := make([]any, len(by))
	for i, b := range by {
		v, ok := obj[b]
		if !ok {
			t.Fatalf("breakdown row %v: by has no %s", row, b)
		}
		switch x := v.(type) {
		case float64:
			vals[i] = int64(x)
		case string:
			if b == "price" {
				d, err := decimal.NewFromString(x)
				if err != nil {
					t.Fatal(err)
				}
				vals[i] = d
			} else {
				vals[i] = x
			}
		default:
			vals[i] = x
		}
	}
	return bdKey(vals)
}

// The report's values and breakdown rows, read back from its JSON, equal
// a plain loop over the events: each breakdown cell is the aggregate of
// its own events (a count, a sum, a min, a max, a distinct count; events
// without an attribute in a row of their own, null in by), a row exists
// for each combination met in the cell (for a running total, in its
// window), the rows of a count or a sum add up to the total, and running
// totals to date and over a window are those of their windows.
func TestPropBreakdownsAndRunningTotalsAreThePlainLoops(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		zone := rapid.SampledFrom([]string{"UTC", "Europe/Berlin", "America/New_York", "Asia/Kathmandu"}).Draw(t, "zone")
		plan := compile(t, parseDef(t, fmt.Sprintf(breakdownPropPlan, zone)))
		loc := plan.Calendar().Location()
		evs, ref := genBreakdownEvents(t, loc)
		rep := mustEvaluate(t, plan, storeOf(t, loc, evs...), drawnAsOf(loc))
		checkAgainstLoops(t, rep, ref, actorIs)
	})
}

// checkAgainstLoops checks the values and breakdown rows of rep, a report
// of breakdownPropPlan, read back from its JSON, against plain loops over
// ref: countsFor(participant) says which events count for a participant.
func checkAgainstLoops(t *rapid.T, rep *goalkit.Report, ref []bdEvent, countsFor func(who string) func(bdEvent) bool) {
	{
		doc := readReportDoc(t, rep)
		type spec struct {
			agg, value string
			by         []string
			window     func(p period.Period) date.Date // the window's first day; nil: the period's
		}
		specs := map[string]spec{
			"cnt":   {agg: "count", by: []string{"source"}},
			"total": {agg: "sum", value: "price", by: []string{"source", "flag"}},
			"lo":    {agg: "min", value: "n", by: []string{"source"}},
			"hi":    {agg: "max", value: "price", by: []string{"flag"}},
			"uniq":  {agg: "distinct", value: "n", by: []string{"source"}},
			"cnt_ytd": {agg: "count", window: func(p period.Period) date.Date {
				y, _, _ := (p.End - 1).Date()
				return date.New(y, time.January, 1)
			}},
			"total_ytd": {agg: "sum", value: "price", by: []string{"source"}, window: func(p period.Period) date.Date {
				y, m, _ := (p.End - 1).Date()
				return date.New(y, time.Month((int(m)-1)/3*3+1), 1)
			}},
			"cnt_10d": {agg: "count", window: func(p period.Period) date.Date { return p.End - 10 }},
		}
		from := func(s spec, p period.Period) date.Date {
			if s.window != nil {
				return s.window(p)
			}
			return p.Start
		}
		periodOf := func(row map[string]any) period.Period {
			s, err1 := date.ParseISO(row["period_start"].(string))
			e, err2 := date.ParseISO(row["period_end"].(string))
			if err1 != nil || err2 != nil {
				t.Fatalf("row %v: bad period", row)
			}
			return period.Period{Start: s, End: e}
		}
		// The totals.
		seen := map[string]bool{}
		for _, row := range doc.Values {
			id, who := row["indicator"].(string), row["participant"].(string)
			s, p := specs[id], periodOf(row)
			want := bdRef(ref, s.agg, s.value, nil, countsFor(who), from(s, p), p.End)[""]
			if want == "" { // no event: 0 for a count or sum, else undefined
				want = "null"
				if s.agg == "count" || s.agg == "sum" || s.agg == "distinct" {
					want = "0"
				}
			}
			if got := jsonValue(t, row["value"]); got != want {
				t.Fatalf("%s of %s in %s: JSON %s, a plain loop %s", id, who, p.Start, got, want)
			}
			seen[who] = true
		}
		if !seen["*"] && len(doc.Values) > 0 {
			t.Fatalf("no row of everyone")
		}
		// The breakdown rows: each the plain loop's value of its own
		// events, and one for each combination met.
		type cell struct{ id, who, start string }
		got := map[cell]map[string]string{}
		for _, row := range doc.Breakdowns {
			id, who := row["indicator"].(string), row["participant"].(string)
			s, p := specs[id], periodOf(row)
			if row["other"] != nil {
				t.Fatalf("an other row without top: %v", row)
			}
			k := jsonByKey(t, row, s.by)
			c := cell{id, who, p.Start.String()}
			if got[c] == nil {
				got[c] = map[string]string{}
			}
			if _, dup := got[c][k]; dup {
				t.Fatalf("%s of %s in %s: two rows of %s", id, who, p.Start, k)
			}
			got[c][k] = jsonValue(t, row["value"])
		}
		for id, s := range specs {
			if s.by == nil {
				continue
			}
			for who := range seen {
				for _, p := range rep.Values.Periods() {
					want := bdRef(ref, s.agg, s.value, s.by, countsFor(who), from(s, p), p.End)
					have := got[cell{id, who, p.Start.String()}]
					if len(have) != len(want) {
						t.Fatalf("%s of %s in %s: rows %v, a plain loop %v", id, who, p.Start, have, want)
					}
					for k, w := range want {
						if have[k] != w {
							t.Fatalf("%s of %s in %s by %s: JSON %s, a plain loop %s", id, who, p.Start, k, have[k], w)
						}
					}
					if s.agg == "count" || s.agg == "sum" {
						sum := decimal.Zero
						for _, v := range have {
							sum = sum.Add(decimal.RequireFromString(v))
						}
						tot, _ := rep.Values.Value(id, who, p)
						if len(have) > 0 && !sum.Equal(tot.Decimal) {
							t.Fatalf("%s of %s in %s: rows add up to %s, the total is %s", id, who, p.Start, sum, tot.Decimal)
						}
					}
				}
			}
		}
	}
}
