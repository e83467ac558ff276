package kpi_test

import (
	"context"
	"errors"
	"hash/fnv"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// parts is a PartialSource over encoded parts whose events must never be
// scanned: a test that reads it proves the values came from the parts.
type parts struct {
	data    [][]byte
	scanned bool
}

func (p *parts) Scan(context.Context, kpi.Query, func(*kpi.Event) error) error {
	p.scanned = true
	return errors.New("scanned")
}

func (p *parts) Partials(_ context.Context, fn func([]byte) error) error {
	for _, d := range p.data {
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

func partitionOf(id string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % uint32(n))
}

// TestPartialsMergeToBatch splits random event versions by event ID between
// trackers (every version of an ID in one of them), merges their parts, and
// compares with a batch evaluation of every version: teams from merged
// members, ratios from merged components, distinct counts from merged sets.
func TestPartialsMergeToBatch(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		cal, periods := drawPeriods(t)
		defs := genDefs(t)
		if rapid.IntRange(0, 3).Draw(t, "mergeable") > 0 {
			defs = mergeableDefs(defs)
		}
		set, err := kpi.Compile(defs, kpi.Env{Attributes: propAttrs})
		if err != nil {
			t.Fatalf("compile: %v", err)
		}
		req := propRequest(cal, periods)
		n := rapid.IntRange(1, 4).Draw(t, "partitions")
		trackers := make([]*kpi.Tracker, n)
		for i := range trackers {
			if trackers[i], err = set.Track(ctx, req, nil); err != nil {
				t.Fatal(err)
			}
		}
		stream := genStream(t, cal, periods)
		for _, e := range stream {
			if err := trackers[partitionOf(e.ID, n)].Apply(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		src := &parts{}
		for _, tr := range trackers {
			data, err := tr.Partial(ctx)
			if err != nil && unmergeable(set) != "" {
				// Refused, naming the first indicator parts cannot give.
				if !strings.Contains(err.Error(), "indicator "+unmergeable(set)+":") || !strings.Contains(err.Error(), "cannot be merged") {
					t.Fatalf("Partial: %v, want a refusal naming %s", err, unmergeable(set))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			src.data = append(src.data, data)
		}
		sameResult(t, "merged", must(t)(set.Evaluate(ctx, src, req)), batchOf(t, set, req, stream))
		if src.scanned {
			t.Fatal("the parts were not merged: the source was scanned")
		}
		// As of an instant after every event, the parts still answer.
		_, end := cal.Bounds(periods[len(periods)-1])
		for _, e := range stream {
			if e.Time.After(end) {
				end = e.Time
			}
		}
		r := req
		r.AsOf = end.Add(time.Hour)
		sameResult(t, "merged as of", must(t)(set.Evaluate(ctx, src, r)), batchOf(t, set, r, stream))
	})
}

// TestPartialsDecline checks that parts that cannot answer a request are
// not merged: the source is scanned instead.
func TestPartialsDecline(t *testing.T) {
	ctx := context.Background()
	cal, err := period.NewCalendar(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	month := cal.Containing(period.Month, date.New(2025, 3, 1))
	set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "won", Kinds: []string{"won"}, Aggregate: "count"}}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	req := kpi.Request{Calendar: cal, Periods: []period.Period{month}}
	tr, err := set.Track(ctx, req, nil)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	if err := tr.Apply(ctx, kpi.Event{ID: "1", Kind: "won", Time: at, Actor: "anna"}); err != nil {
		t.Fatal(err)
	}
	data, err := tr.Partial(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]kpi.Request{
		"as of before an event": {Calendar: cal, Periods: req.Periods, AsOf: at.Add(-time.Second)},
		"other periods":         {Calendar: cal, Periods: []period.Period{cal.Next(month)}},
		"known at":              {Calendar: cal, Periods: req.Periods, KnownAt: at},
		"dated memberships":     {Calendar: cal, Periods: req.Periods, Groups: []org.Group{{ID: "t", Spans: []org.Span{{Member: "anna", From: date.New(2025, 3, 5)}}}}},
	} {
		t.Run(name, func(t *testing.T) {
			src := &parts{data: [][]byte{data}}
			if _, err := set.Evaluate(ctx, src, r); err == nil || !src.scanned {
				t.Fatalf("the parts answered (err %v, scanned %v)", err, src.scanned)
			}
		})
	}
	// Parts made in a zone of +03:00 do not answer a request in +05:00,
	// though both zones are named "" (time.FixedZone, or parsed from
	// offsets): their months are other instants, and the parts answered.
	t.Run("another zone of the same name", func(t *testing.T) {
		in := func(hours int) kpi.Request {
			c, err := period.NewCalendar(time.FixedZone("", hours*3600))
			if err != nil {
				t.Fatal(err)
			}
			return kpi.Request{Calendar: c, Periods: []period.Period{c.Containing(period.Month, date.New(2025, 3, 1))}}
		}
		tr, err := set.Track(ctx, in(3), nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.Apply(ctx, kpi.Event{ID: "1", Kind: "won", Time: at, Actor: "anna"}); err != nil {
			t.Fatal(err)
		}
		data, err := tr.Partial(ctx)
		if err != nil {
			t.Fatal(err)
		}
		src := &parts{data: [][]byte{data}}
		if _, err := set.Evaluate(ctx, src, in(5)); err == nil || !src.scanned {
			t.Fatalf("the parts answered (err %v, scanned %v)", err, src.scanned)
		}
	})
	t.Run("corrupt", func(t *testing.T) {
		src := &parts{data: [][]byte{[]byte(strings.Replace(string(data), `"a":1`, `"a":7`, 1))}}
		_, err := set.Evaluate(ctx, src, req)
		if err == nil || !strings.Contains(err.Error(), "partial aggregates: cell (7, 0) out of range") {
			t.Fatalf("err = %v", err)
		}
	})
}

// FuzzPartials merges parts of any content: a part that is not one
// tracker's encoding fails or is declined, and never panics.
func FuzzPartials(f *testing.F) {
	ctx := context.Background()
	cal, err := period.NewCalendar(time.UTC)
	if err != nil {
		f.Fatal(err)
	}
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"won"}, Aggregate: "count"},
		{ID: "top", Kinds: []string{"won"}, Aggregate: "max", Value: "amount"},
		{ID: "who", Kinds: []string{"won"}, Aggregate: "distinct", Value: "actor"},
	}, kpi.Env{})
	if err != nil {
		f.Fatal(err)
	}
	req := kpi.Request{Calendar: cal, Periods: []period.Period{cal.Containing(period.Month, date.New(2025, 3, 1))}}
	tr, err := set.Track(ctx, req, nil)
	if err != nil {
		f.Fatal(err)
	}
	at := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	if err := tr.Apply(ctx, kpi.Event{ID: "1", Kind: "won", Time: at, Actor: "anna", Amount: decimal.NullDecimal{Decimal: decimal.NewFromInt(5), Valid: true}, Currency: "EUR"}); err != nil {
		f.Fatal(err)
	}
	data, err := tr.Partial(ctx)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = set.Evaluate(ctx, &parts{data: [][]byte{data}}, req)
	})
}

// unmergeable is the first indicator of set whose values the parts of
// partitions cannot give (a breakdown, a cumulative or cohort indicator, a
// percentile), as the test's plans draw them; "" when there is none.
func unmergeable(set *kpi.Set) string {
	for _, ix := range set.Indicators() {
		d := ix.Def
		if len(d.By) > 0 || d.ToDate != "" || d.Window != "" || d.Cohort != nil || (!ix.IsFormula() && (d.Aggregate == kpi.Median || d.Aggregate == kpi.Percentile)) {
			return d.ID
		}
	}
	return ""
}

// mergeableDefs is defs without what the parts of partitions cannot give:
// no breakdowns, cumulative or cohort indicators; a percentile becomes a
// max. Most of the property's plans are so, for the merge to be exercised.
func mergeableDefs(defs []kpi.IndicatorDef) []kpi.IndicatorDef {
	out := slices.Clone(defs)
	for i := range out {
		d := &out[i]
		d.By, d.Top, d.ToDate, d.Window, d.Cohort = nil, 0, "", "", nil
		if d.Aggregate == kpi.Median || d.Aggregate == kpi.Percentile {
			d.Aggregate, d.P = kpi.Max, nil
		}
	}
	return out
}
