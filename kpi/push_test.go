package kpi_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// goPusher answers push queries with a plain loop over the events of a
// memory store, the way a SQL source answers them with GROUP BY.
type goPusher struct {
	*memory.Store
	pushed, declined int
}

func (p *goPusher) Push(ctx context.Context, q kpi.PushQuery) ([]kpi.PushRow, bool, error) {
	if q.Value != "" && q.Value != "amount" {
		if t, ok := q.Attributes[q.Value]; !ok || (t != kpi.AttrInt && t != kpi.AttrDecimal) {
			p.declined++
			return nil, false, nil
		}
	}
	p.pushed++
	type key struct {
		actor  string
		bucket int
	}
	rows := map[key]*kpi.PushRow{}
	curs := map[key]map[string]bool{}
	err := p.Scan(ctx, kpi.Query{Kinds: q.Kinds}, func(e *kpi.Event) error {
		if !q.AsOf.IsZero() && e.Time.After(q.AsOf) {
			return nil
		}
		b := sort.Search(len(q.Bounds), func(i int) bool { return q.Bounds[i].After(e.Time) }) - 1
		if b < 0 || b >= len(q.Bounds)-1 {
			return nil
		}
		if q.Where != nil {
			if ok, _ := formula.EvalNode(q.Where, eventScope(e, time.UTC, formula.Value{}, false)).Bool(); !ok {
				return nil
			}
		}
		k := key{e.Actor, b}
		r := rows[k]
		if r == nil {
			r = &kpi.PushRow{Actor: e.Actor, Bucket: b}
			rows[k] = r
		}
		r.Count++
		var v decimal.Decimal
		switch {
		case q.Value == "":
			return nil
		case q.Value == "amount":
			if !e.Amount.Valid {
				return nil
			}
			v = e.Amount.Decimal
			if e.Currency != "" {
				if curs[k] == nil {
					curs[k] = map[string]bool{}
				}
				curs[k][e.Currency] = true
			}
		default:
			n, ok := eventScope(e, time.UTC, formula.Value{}, false).Lookup(formula.Ref{Name: q.Value}).Number()
			if !ok {
				return nil
			}
			v = n
		}
		if r.N == 0 || v.Cmp(r.Min) < 0 {
			r.Min = v
		}
		if r.N == 0 || v.Cmp(r.Max) > 0 {
			r.Max = v
		}
		r.Sum = r.Sum.Add(v)
		r.N++
		return nil
	})
	var out []kpi.PushRow
	for k, r := range rows {
		for c := range curs[k] {
			r.Currencies = append(r.Currencies, c)
		}
		slices.Sort(r.Currencies)
		out = append(out, *r)
	}
	return out, true, err
}

// TestPushedEqualsScanned evaluates random plans through a source that
// aggregates in place and through the embedded store: the values, the
// participants and the warnings must be the same.
func TestPushedEqualsScanned(t *testing.T) {
	full := 0
	rapid.Check(t, func(t *rapid.T) {
		cal := goalkittest.Calendars().Draw(t, "calendar")
		grain := rapid.SampledFrom([]period.Grain{period.Day, period.Week, period.Month}).Draw(t, "grain")
		periods := []period.Period{cal.Containing(grain, date.New(2025, 3, 30))}
		for range rapid.IntRange(0, 2).Draw(t, "more") {
			periods = append(periods, cal.Next(periods[len(periods)-1]))
		}
		defs := genDefs(t)
		if rapid.IntRange(0, 7).Draw(t, "plain") == 0 {
			// A plain count, which a pusher answers whole: drawn often
			// enough that every run checks a plan pushed down whole
			// (the plans genDefs draws are whole about one time in 20).
			defs = []kpi.IndicatorDef{{ID: "i0", Kinds: defs[0].Kinds, Aggregate: "count"}}
		}
		set, err := kpi.Compile(defs, kpi.Env{Attributes: propAttrs})
		if err != nil {
			t.Fatal(err)
		}
		stream := genStream(t, cal, periods)
		scanned, pushing := memory.New(cal.Location()), &goPusher{Store: memory.New(time.UTC)}
		if err := scanned.Apply(stream...); err != nil {
			t.Fatal(err)
		}
		if err := pushing.Apply(stream...); err != nil {
			t.Fatal(err)
		}
		_, end := cal.Bounds(periods[len(periods)-1])
		req := kpi.Request{Calendar: cal, Periods: periods, AsOf: end.Add(-time.Hour), Participants: []string{"nobody"},
			Groups: []org.Group{{ID: "team", Members: []string{"u1", "u3"}}}}
		want, err := set.Evaluate(context.Background(), scanned, req)
		if err != nil {
			t.Fatal(err)
		}
		got, err := set.Evaluate(context.Background(), pushing, req)
		if err != nil {
			t.Fatal(err)
		}
		if pushing.pushed > 0 && pushing.declined == 0 {
			full++ // the whole plan was answered in place
		}
		if !slices.Equal(got.Participants(), want.Participants()) {
			t.Fatalf("participants: pushed %v, scanned %v", got.Participants(), want.Participants())
		}
		gr, wr := got.Rows(), want.Rows()
		for i := range wr {
			if !sameValue(gr[i].Value, wr[i].Value) {
				t.Fatalf("%s for %s in %s: pushed %s, scanned %s", wr[i].Indicator, wr[i].Participant, cal.Label(wr[i].Period), show(gr[i].Value), show(wr[i].Value))
			}
		}
		if len(got.Warnings) != len(want.Warnings) {
			t.Fatalf("warnings: pushed %v, scanned %v", got.Warnings, want.Warnings)
		}
	})
	if full == 0 {
		t.Fatal("no plan was ever pushed down whole")
	}
	t.Logf("%d plans pushed down whole", full)
}

// A filter that computes numbers can go out of range on an event (amount
// * 10 with an amount of 10^999, amount + 1 with one of 10^-1000: numbers
// of 1,001 digits): the scan fails
// there, naming the formula, and a source that aggregates in place decides
// the row its own way (kpi.PushQuery.Where has formula.EvalNode's
// semantics, which drop it; PostgreSQL computes it). Such a filter is not
// pushed, so that one plan gives one answer; a filter without arithmetic
// still is. A negation fails as the arithmetic does on an operand past the
// limit (an amount of 5×10^1000, whose exponent an event may have), so it
// is not pushed either.
func TestPushDeclinesFilterArithmetic(t *testing.T) {
	cal, err := period.LoadCalendar("UTC")
	if err != nil {
		t.Fatal(err)
	}
	march := cal.Containing(period.Month, date.New(2025, 3, 1))
	req := kpi.Request{Calendar: cal, Periods: []period.Period{march}, AsOf: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)}
	at := time.Date(2025, 3, 5, 10, 0, 0, 0, time.UTC)
	events := []kpi.Event{
		{ID: "1", Kind: "deal", Actor: "anna", Time: at, Amount: decimal.NewNullDecimal(decimal.New(1, 999))},
		{ID: "2", Kind: "deal", Actor: "anna", Time: at, Amount: decimal.NewNullDecimal(decimal.New(5, 0))},
		{ID: "3", Kind: "deal", Actor: "anna", Time: at, Amount: decimal.NewNullDecimal(decimal.New(1, -1000))},
		{ID: "4", Kind: "deal", Actor: "anna", Time: at, Amount: decimal.NewNullDecimal(decimal.New(5, 1000))},
	}
	for _, c := range []struct {
		where  string
		pushed bool
	}{
		{"amount * 10 > 0", false},
		{"amount + 1 > 0", false},
		{"-amount < 0", false},
		{"amount > 0 and kind == \"deal\"", true},
	} {
		set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "n", Kinds: []string{"deal"}, Aggregate: kpi.Count, Where: c.where}}, kpi.Env{})
		if err != nil {
			t.Fatal(err)
		}
		// The pusher's own table is in another zone than the request's
		// calendar: it is not read in place.
		scanned, pushing := memory.New(time.UTC), &goPusher{Store: memory.New(time.FixedZone("UTC+1", 3600))}
		if err := scanned.Apply(events...); err != nil {
			t.Fatal(err)
		}
		if err := pushing.Apply(events...); err != nil {
			t.Fatal(err)
		}
		want, werr := set.Evaluate(context.Background(), scanned, req)
		got, gerr := set.Evaluate(context.Background(), pushing, req)
		if (pushing.pushed > 0) != c.pushed {
			t.Errorf("%s: pushed %d queries, want pushed %v", c.where, pushing.pushed, c.pushed)
		}
		if fmt.Sprint(gerr) != fmt.Sprint(werr) {
			t.Errorf("%s: pushed gives error %v, scanned %v", c.where, gerr, werr)
			continue
		}
		if werr == nil && !sameValue(got.Rows()[0].Value, want.Rows()[0].Value) {
			t.Errorf("%s: pushed %s, scanned %s", c.where, show(got.Rows()[0].Value), show(want.Rows()[0].Value))
		}
	}
}
