package kpi_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// instantsFixture is a month of events, each known a day after it happened,
// counted by a plain count and a cohort conversion.
func instantsFixture(t *testing.T) (*kpi.Set, kpi.Request, []kpi.Event) {
	t.Helper()
	cal, err := period.LoadCalendar("UTC")
	if err != nil {
		t.Fatal(err)
	}
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "calls", Kinds: []string{"call"}, Aggregate: kpi.Count},
		{ID: "won", Kinds: []string{"won"}, Aggregate: kpi.Count, Cohort: &kpi.CohortDef{Of: []string{"lead"}, Entity: "deal"}},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"deal": kpi.AttrString}})
	if err != nil {
		t.Fatal(err)
	}
	at := func(day, hour int) time.Time { return time.Date(2025, 3, day, hour, 0, 0, 0, time.UTC) }
	var evs []kpi.Event
	add := func(id, kind string, when time.Time, deal string) {
		evs = append(evs, kpi.Event{ID: id, Kind: kind, Actor: "ann", Time: when, Known: when.Add(24 * time.Hour), Attrs: map[string]any{"deal": deal}})
	}
	add("c1", "call", at(3, 10), "d1")
	add("c2", "call", at(20, 10), "d2")
	add("l1", "lead", at(4, 9), "d1")
	add("w1", "won", at(10, 15), "d1")
	req := kpi.Request{Calendar: cal, Periods: []period.Period{cal.Containing(period.Month, date.New(2025, 3, 1))}}
	return set, req, evs
}

// valuesOf evaluates req over the events in batch and returns the values
// of ann in the request's period, by indicator.
func valuesOf(t *testing.T, set *kpi.Set, req kpi.Request, evs []kpi.Event) map[string]string {
	t.Helper()
	res := batchOf(t, set, req, evs)
	out := map[string]string{}
	for _, id := range []string{"calls", "won"} {
		v, _ := res.Value(id, "ann", req.Periods[0])
		out[id] = show(v)
	}
	return out
}

// An as-of or known-at instant beyond the years a table keeps (2262 on:
// "everything", as hosts write it) counts what an instant after every
// event counts, and one at the Unix epoch or before the years what one in
// 2000 counts: nothing of events known in 2025. UnixNano wraps around outside those
// years, and the epoch is 0 in nanoseconds.
func TestInstantsOutsideTheYearsOfATable(t *testing.T) {
	set, req, evs := instantsFixture(t)
	after := req
	after.AsOf = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	after.KnownAt = after.AsOf
	want := valuesOf(t, set, after, evs)
	if want["calls"] != "2" || want["won"] != "1" {
		t.Fatalf("the fixture counts %v, want 2 calls and 1 won", want)
	}
	before := req
	before.KnownAt = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	none := valuesOf(t, set, before, evs)
	far := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name          string
		asOf, knownAt time.Time
		want          map[string]string
	}{
		{"as of 9999", far, time.Time{}, want},
		{"as of 2262", time.Date(2262, 6, 1, 0, 0, 0, 0, time.UTC), time.Time{}, want},
		{"known at 9999", time.Time{}, far, want},
		{"known at 2300", time.Time{}, time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC), want},
		{"known at the epoch", time.Time{}, time.Unix(0, 0), none},
		{"known in 1600", time.Time{}, time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC), none},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := req
			r.AsOf, r.KnownAt = c.asOf, c.knownAt
			got := valuesOf(t, set, r, evs)
			if got["calls"] != c.want["calls"] || got["won"] != c.want["won"] {
				t.Errorf("values %v, want %v", got, c.want)
			}
		})
	}
}

// Table.Actors as of an instant beyond the years a table keeps finds the
// actors of every event, as of one after them all.
func TestTableActorsAsOfFarFuture(t *testing.T) {
	_, req, evs := instantsFixture(t)
	tab := kpi.NewTable(time.UTC)
	for i := range evs {
		if err := tab.Apply(&evs[i]); err != nil {
			t.Fatal(err)
		}
	}
	for _, asOf := range []time.Time{time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)} {
		if got := tab.Actors([]string{"call"}, req.Periods[0], asOf, time.Time{}); len(got) != 1 || got[0] != "ann" {
			t.Errorf("actors as of %v: %v, want [ann]", asOf, got)
		}
	}
}

// Explain as of an instant beyond the years a table keeps counts every
// event, as the value it explains does.
func TestExplainAsOfFarFuture(t *testing.T) {
	set, req, evs := instantsFixture(t)
	req.AsOf = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	store := memory.New(time.UTC)
	if err := store.Apply(evs...); err != nil {
		t.Fatal(err)
	}
	ex, err := explainOver(set, store, req, "calls", "ann", req.Periods[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := includedIDs(ex); len(got) != 2 || show(ex.Value) != "2" {
		t.Errorf("explanation of %s counts %v, want c1 and c2", show(ex.Value), got)
	}
}

// A tracker's value as known at an instant beyond the years a table keeps
// is its current value.
func TestTrackerAsKnownAtFarFuture(t *testing.T) {
	set, req, evs := instantsFixture(t)
	ctx := context.Background()
	tr, err := set.Track(ctx, req, memory.NewTrackStore())
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if err := tr.Apply(ctx, evs...); err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)} {
		res, err := tr.AsKnownAt(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"calls", "won"} {
			v, _ := res.Value(id, "ann", req.Periods[0])
			want := map[string]string{"calls": "2", "won": "1"}[id]
			if show(v) != want {
				t.Errorf("%s as known at %v: %s, want %s", id, at, show(v), want)
			}
		}
		res, err = tr.Result(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := res.Value("calls", "ann", req.Periods[0]); show(v) != "2" {
			t.Errorf("calls as of %v: %s, want 2", at, show(v))
		}
	}
}
