package kpi_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// sameResult fails unless two results hold the same rows (values compared
// as numbers), unpriced events and warnings.
func sameResult(t interface{ Fatalf(string, ...any) }, what string, got, want *kpi.Result) {
	g, w := got.Rows(), want.Rows()
	if len(g) != len(w) {
		t.Fatalf("%s: %d rows, want %d (participants %v, want %v)", what, len(g), len(w), got.Participants(), want.Participants())
	}
	for i := range g {
		if g[i].Indicator != w[i].Indicator || g[i].Participant != w[i].Participant || g[i].Period != w[i].Period || !sameValue(g[i].Value, w[i].Value) {
			t.Fatalf("%s: row %d: got %s %s %v %s, want %s %s %v %s", what, i, g[i].Indicator, g[i].Participant, g[i].Period, show(g[i].Value),
				w[i].Indicator, w[i].Participant, w[i].Period, show(w[i].Value))
		}
	}
	for _, ix := range want.Set().Indicators() {
		g, w := breakdownOf(got, ix.ID()), breakdownOf(want, ix.ID())
		if len(g) != len(w) {
			t.Fatalf("%s: %s has %d breakdown rows, want %d", what, ix.ID(), len(g), len(w))
		}
		for i := range g {
			if fmt.Sprint(g[i].Participant, g[i].Period, g[i].By, g[i].Other) != fmt.Sprint(w[i].Participant, w[i].Period, w[i].By, w[i].Other) || !sameValue(g[i].Value, w[i].Value) {
				t.Fatalf("%s: %s breakdown row %d: got %+v, want %+v", what, ix.ID(), i, g[i], w[i])
			}
		}
	}
	if fmt.Sprint(got.Unpriced) != fmt.Sprint(want.Unpriced) {
		t.Fatalf("%s: unpriced %v, want %v", what, got.Unpriced, want.Unpriced)
	}
	if fmt.Sprint(got.Warnings) != fmt.Sprint(want.Warnings) {
		t.Fatalf("%s: warnings %v, want %v", what, got.Warnings, want.Warnings)
	}
}

// batchOf evaluates versions in batch, as the reference of the tracker.
func batchOf(t interface{ Fatal(...any) }, set *kpi.Set, req kpi.Request, versions []kpi.Event) *kpi.Result {
	res, err := set.Evaluate(context.Background(), storeOf(t, req, versions), req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestTrackerMatchesBatch interleaves random applications (new events,
// corrections of any field, retractions, duplicates, invalid batches,
// restarts from the store) with reads, and after every step compares the
// tracker with a batch evaluation of the same versions: now, as of an
// instant, and as known at an earlier instant (AsKnownAt, and an
// evaluation of SourceAt), with versions known in the order they are
// applied or before versions applied earlier.
func TestTrackerMatchesBatch(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		set, req := drawTracking(t)
		cal, periods := req.Calendar, req.Periods
		store := memory.NewTrackStore()
		tr, err := set.Track(ctx, req, store)
		if err != nil {
			t.Fatal(err)
		}
		// The events the generator draws from: a stream whose versions are
		// applied in random batches.
		stream := genStream(t, cal, periods)
		start, _ := cal.Bounds(periods[0])
		_, end := cal.Bounds(periods[len(periods)-1])
		clock := start
		var applied []kpi.Event
		var knowns []time.Time
		check := func() {
			sameResult(t, "now", must(t)(tr.Result(ctx, time.Time{})), batchOf(t, set, req, applied))
		}
		t.Repeat(map[string]func(*rapid.T){
			"apply": func(t *rapid.T) {
				if len(stream) == 0 {
					t.Skip("stream exhausted")
				}
				n := rapid.IntRange(1, min(4, len(stream))).Draw(t, "batch")
				batch := make([]kpi.Event, n)
				copy(batch, stream[:n])
				stream = stream[n:]
				clock = clock.Add(time.Duration(rapid.IntRange(0, 36).Draw(t, "hours")) * time.Hour)
				for i := range batch {
					if rapid.IntRange(0, 4).Draw(t, "known") > 0 {
						// Now and then known before versions applied
						// earlier: a host that sends late what it learnt.
						batch[i].Known = clock.Add(-time.Duration(max(rapid.IntRange(-3, 48).Draw(t, "late"), 0)) * time.Hour)
						knowns = append(knowns, batch[i].Known)
					}
				}
				if err := tr.Apply(ctx, batch...); err != nil {
					t.Fatal(err)
				}
				applied = append(applied, batch...)
			},
			"invalid batch": func(t *rapid.T) {
				bad := []kpi.Event{{ID: "x1", Kind: "a", Time: start, Actor: "u1"}, {ID: "x2", Kind: "a", Actor: "u1"}}
				if err := tr.Apply(ctx, bad...); err == nil {
					t.Fatal("a batch with an event without a time was applied")
				}
			},
			"as of": func(t *rapid.T) {
				asOf := start.Add(time.Duration(rapid.Int64Range(0, int64(end.Sub(start))).Draw(t, "at")))
				r := req
				r.AsOf = asOf
				sameResult(t, "as of", must(t)(tr.Result(ctx, asOf)), batchOf(t, set, r, applied))
			},
			"as known at": func(t *rapid.T) {
				if len(knowns) == 0 {
					t.Skip("nothing known yet")
				}
				at := rapid.SampledFrom(knowns).Draw(t, "at").Add(time.Duration(rapid.IntRange(-1, 0).Draw(t, "off")))
				var then []kpi.Event
				for _, e := range applied {
					if e.Known.IsZero() || !e.Known.After(at) {
						then = append(then, e)
					}
				}
				r := req
				r.AsOf = at
				want := batchOf(t, set, r, then)
				sameResult(t, "as known at", must(t)(tr.AsKnownAt(ctx, at)), want)
				src, err := tr.SourceAt(ctx, at)
				if err != nil {
					t.Fatal(err)
				}
				sameResult(t, "source at", must(t)(set.Evaluate(ctx, src, r)), want)
			},
			"restart": func(t *rapid.T) {
				var err error
				tr.Close() // a store admits one tracker at a time
				tr, err = set.Track(ctx, req, store)
				if err != nil {
					t.Fatal(err)
				}
			},
			"": func(t *rapid.T) { check() },
		})
	})
}

// drawTracking draws what a tracker of the properties tracks: random
// indicators, a calendar and periods, rates, participants and groups (one
// with a member who moves inside the periods, sometimes).
func drawTracking(t *rapid.T) (*kpi.Set, kpi.Request) {
	cal, periods := drawPeriods(t)
	defs := genDefs(t)
	set, err := kpi.Compile(defs, kpi.Env{Attributes: propAttrs})
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	req := propRequest(cal, periods)
	if rapid.Bool().Draw(t, "moving group") {
		move := periods[0].Start + date.Date(rapid.IntRange(0, periods[0].Days()+2).Draw(t, "move"))
		req.Groups = append(req.Groups, org.Group{ID: "moving", Spans: []org.Span{{Member: "u3", To: move}, {Member: "u1", From: move}}})
	}
	return set, req
}

// propRequest is the request of the tracker properties: the rates of
// rateFor, a participant without events and a team.
func propRequest(cal *period.Calendar, periods []period.Period) kpi.Request {
	return kpi.Request{Calendar: cal, Periods: periods,
		Rates: kpi.RatesFunc(func(_ context.Context, from, to string, on date.Date) (decimal.Decimal, bool, error) {
			r, ok := rateFor(from, to, on.Day())
			return r, ok, nil
		}),
		Participants: []string{"nobody"},
		Groups:       []org.Group{{ID: "team", Members: []string{"u1", "u2"}}}}
}

// storeOf is a memory store of versions, in the request's zone.
func storeOf(t interface{ Fatal(...any) }, req kpi.Request, versions []kpi.Event) *memory.Store {
	store := memory.New(req.Calendar.Location())
	if err := store.Apply(versions...); err != nil {
		t.Fatal(err)
	}
	return store
}

func must(t interface{ Fatal(...any) }) func(*kpi.Result, error) *kpi.Result {
	return func(r *kpi.Result, err error) *kpi.Result {
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
}

// TestTrackerConcurrent applies and reads from several goroutines; run it
// with -race.
func TestTrackerConcurrent(t *testing.T) {
	ctx := context.Background()
	cal, err := period.LoadCalendar("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"won"}, Aggregate: "count"},
		{ID: "revenue", Kinds: []string{"won"}, Aggregate: "sum", Value: "amount"},
		{ID: "biggest", Kinds: []string{"won"}, Aggregate: "max", Value: "amount"},
	}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	month := cal.Containing(period.Month, date.New(2025, 3, 1))
	tr, err := set.Track(ctx, kpi.Request{Calendar: cal, Periods: []period.Period{month}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				id := fmt.Sprintf("w%d-%d", w, i%50)
				e := kpi.Event{ID: id, Kind: "won", Time: at, Actor: fmt.Sprintf("u%d", i%3), Amount: decimal.NewNullDecimal(decimal.New(int64(i), 0))}
				if i%7 == 0 {
					e = kpi.Event{ID: id, Deleted: true}
				}
				if err := tr.Apply(ctx, e); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if _, err := tr.Result(ctx, time.Time{}); err != nil {
					t.Error(err)
					return
				}
				if _, err := tr.AsKnownAt(ctx, at); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	// Every worker's last version of each id decides.
	store := memory.New(cal.Location())
	for w := range 4 {
		for i := range 200 {
			id := fmt.Sprintf("w%d-%d", w, i%50)
			e := kpi.Event{ID: id, Kind: "won", Time: at, Actor: fmt.Sprintf("u%d", i%3), Amount: decimal.NewNullDecimal(decimal.New(int64(i), 0))}
			if i%7 == 0 {
				e = kpi.Event{ID: id, Deleted: true}
			}
			if err := store.Apply(e); err != nil {
				t.Fatal(err)
			}
		}
	}
	want, err := set.Evaluate(ctx, store, kpi.Request{Calendar: cal, Periods: []period.Period{month}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := tr.Result(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	sameResult(t, "concurrent", got, want)
}

// TestTrackerCommitLedger: a ledger key is committed once; a batch with a
// duplicate key changes nothing.
func TestTrackerCommitLedger(t *testing.T) {
	ctx := context.Background()
	cal, _ := period.LoadCalendar("UTC")
	set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "n", Kinds: []string{"a"}, Aggregate: "count"}}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	req := kpi.Request{Calendar: cal, Periods: []period.Period{cal.Containing(period.Month, date.New(2025, 1, 1))}}
	store := memory.NewTrackStore()
	tr, err := set.Track(ctx, req, store)
	if err != nil {
		t.Fatal(err)
	}
	ev := kpi.Event{ID: "1", Kind: "a", Time: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), Actor: "u"}
	if err := tr.Commit(ctx, &kpi.TrackBatch{Events: []kpi.Event{ev}, Ledger: []kpi.TrackRecord{{Key: "k1"}}}); err != nil {
		t.Fatal(err)
	}
	ev2 := ev
	ev2.ID = "2"
	err = tr.Commit(ctx, &kpi.TrackBatch{Events: []kpi.Event{ev2}, Ledger: []kpi.TrackRecord{{Key: "k1"}}})
	if !errors.Is(err, kpi.ErrDuplicateKey) {
		t.Fatalf("got %v, want ErrDuplicateKey", err)
	}
	if tr.Len() != 1 {
		t.Fatalf("%d events after a refused batch, want 1", tr.Len())
	}
	tr.Close()
	again, err := set.Track(ctx, req, store)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := enginetest.LedgerData(again, "k1"); !ok || again.Len() != 1 {
		t.Fatalf("restored tracker: ledger k1 %v, %d events", ok, again.Len())
	}
	// A store that fails: nothing is applied.
	failing := failStore{memory.NewTrackStore()}
	tf, err := set.Track(ctx, req, failing)
	if err != nil {
		t.Fatal(err)
	}
	if err := tf.Apply(ctx, ev); err == nil || tf.Len() != 0 {
		t.Fatalf("failed commit: err %v, %d events", err, tf.Len())
	}
}

type failStore struct{ *memory.TrackStore }

func (failStore) Commit(context.Context, *kpi.TrackBatch) error { return errors.New("disk full") }

// TestTrackerRollback: a batch that fails half-way (a rate lookup error)
// leaves the tracker as it was.
func TestTrackerRollback(t *testing.T) {
	ctx := context.Background()
	set, req := failingRates(t, "won")
	tr, err := set.Track(ctx, req, memory.NewTrackStore())
	if err != nil {
		t.Fatal(err)
	}
	day := func(d int) time.Time { return time.Date(2025, 1, d, 12, 0, 0, 0, time.UTC) }
	usd := func(id string, d int, n int64) kpi.Event {
		return kpi.Event{ID: id, Kind: "won", Time: day(d), Actor: "u", Amount: decimal.NewNullDecimal(decimal.New(n, 0)), Currency: "USD"}
	}
	if err := tr.Apply(ctx, usd("1", 2, 10), usd("2", 3, 1)); err != nil {
		t.Fatal(err)
	}
	before, err := tr.Result(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	// A correction, a retraction, then an event whose rate fails.
	err = tr.Apply(ctx, usd("1", 4, 20), kpi.Event{ID: "2", Deleted: true}, usd("3", 13, 5))
	if err == nil || !strings.Contains(err.Error(), "rates service down") {
		t.Fatalf("got %v, want the rate error", err)
	}
	after, err := tr.Result(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(after.Rows()) != fmt.Sprint(before.Rows()) || tr.Len() != 2 {
		t.Fatalf("after a failed batch: %v (%d events), want %v", after.Rows(), tr.Len(), before.Rows())
	}
	v, _ := after.Value("rub", "u", req.Periods[0])
	if v.Decimal.String() != "990" {
		t.Fatalf("rub = %s, want 990", v.Decimal)
	}
}

// failingRates is a set of a sum in RUB ("rub") and a count ("n") of the
// events of kinds, over January 2025 in UTC, whose rate lookups fail on the
// 13th ("rates service down") and give 90 on any other day.
func failingRates(t *testing.T, kinds ...string) (*kpi.Set, kpi.Request) {
	cal, err := period.LoadCalendar("UTC")
	if err != nil {
		t.Fatal(err)
	}
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "rub", Kinds: kinds, Aggregate: "sum", Value: "amount", Currency: "RUB"},
		{ID: "n", Kinds: kinds, Aggregate: "count"},
	}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	return set, kpi.Request{Calendar: cal, Periods: []period.Period{cal.Containing(period.Month, date.New(2025, 1, 1))},
		Rates: kpi.RatesFunc(func(_ context.Context, from, to string, on date.Date) (decimal.Decimal, bool, error) {
			if on.Day() == 13 {
				return decimal.Decimal{}, false, errors.New("rates service down")
			}
			return decimal.NewFromInt(90), true, nil
		})}
}

// drawPeriods draws a calendar and one to three consecutive periods of a
// day, week or month around a DST change or the year's end: the periods the
// tracker properties report.
func drawPeriods(t *rapid.T) (*period.Calendar, []period.Period) {
	cal := goalkittest.Calendars().Draw(t, "calendar")
	grain := rapid.SampledFrom([]period.Grain{period.Day, period.Week, period.Month}).Draw(t, "grain")
	anchor := rapid.SampledFrom([]date.Date{date.New(2025, 3, 30), date.New(2025, 10, 26), date.New(2025, 12, 29)}).Draw(t, "anchor")
	periods := []period.Period{cal.Containing(grain, anchor)}
	for range rapid.IntRange(0, 2).Draw(t, "more periods") {
		periods = append(periods, cal.Next(periods[len(periods)-1]))
	}
	return cal, periods
}
