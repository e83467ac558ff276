package kpi_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// A version known at the Unix epoch is known from then on, neither always
// nor a nanosecond later: an evaluation as known at an instant around the
// epoch, and a tracker's source of what was known then, count it exactly
// when the instant is not before it. A version known always counts at any
// instant, one before 1970 too.
func TestKnownAtAroundTheEpoch(t *testing.T) {
	ctx := context.Background()
	set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "calls", Kinds: []string{"call"}, Aggregate: kpi.Count}}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("UTC")
	march := cal.Containing(period.Month, date.New(2025, 3, 1))
	epoch := time.Unix(0, 0).UTC()
	call := func(id string, known time.Time) kpi.Event {
		return kpi.Event{ID: id, Kind: "call", Actor: "anna", Time: time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC), Known: known}
	}
	events := kpi.Events{
		call("before", epoch.Add(-time.Nanosecond)),
		call("at", epoch),
		call("after", epoch.Add(time.Nanosecond)),
		call("always", time.Time{}),
	}
	// A call known always, retracted as known at the epoch.
	gone := call("gone", time.Time{})
	retraction := kpi.Event{ID: "gone", Deleted: true, Known: epoch}

	req := kpi.Request{Calendar: cal, Periods: []period.Period{march}, AsOf: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)}
	tr, err := set.Track(ctx, req, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	for _, e := range append(slices.Clone(events), gone, retraction) {
		if err := tr.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name    string
		knownAt time.Time
		batch   []string // what an evaluation of events as known then counts
		tracker []string // what the tracker's source then holds
	}{
		{"in 1960", time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), []string{"always"}, []string{"always", "gone"}},
		{"a nanosecond before the epoch", epoch.Add(-time.Nanosecond), []string{"always", "before"}, []string{"always", "before", "gone"}},
		{"at the epoch", epoch, []string{"always", "at", "before"}, []string{"always", "at", "before"}},
		{"a nanosecond after it", epoch.Add(time.Nanosecond), []string{"after", "always", "at", "before"}, []string{"after", "always", "at", "before"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := req
			r.KnownAt = tc.knownAt
			res, err := set.Evaluate(ctx, events, r)
			if err != nil {
				t.Fatal(err)
			}
			v, _ := res.Value("calls", "anna", march)
			if !v.Valid || v.Decimal.IntPart() != int64(len(tc.batch)) {
				t.Errorf("calls as known then = %v, want %d (%v)", v, len(tc.batch), tc.batch)
			}
			src, err := tr.SourceAt(ctx, tc.knownAt)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			if err := src.Scan(ctx, kpi.Query{}, func(e *kpi.Event) error { ids = append(ids, e.ID); return nil }); err != nil {
				t.Fatal(err)
			}
			slices.Sort(ids)
			if !slices.Equal(ids, tc.tracker) {
				t.Errorf("the tracker's source then holds %v, want %v", ids, tc.tracker)
			}
		})
	}
}
