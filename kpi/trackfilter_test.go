package kpi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// TestTrackerFilterFails: an event whose filter fails (a date outside the
// working-day calendar) fails its batch when it is dated in a period, with
// the error a batch evaluation gives, and leaves the tracker as it was; one
// dated outside every period is taken, as a batch evaluation takes it; a
// correction that makes the filter fail is refused and the version it
// would have replaced still counts.
func TestTrackerFilterFails(t *testing.T) {
	ctx := context.Background()
	ru, err := period.BuiltinWorkCalendar("RU")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := period.NewCalendar(time.UTC, period.WithWorkdays(ru))
	if err != nil {
		t.Fatal(err)
	}
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "quick", Kinds: []string{"won"}, Aggregate: "count", Where: "workdays_between(created_at, time) <= 3"},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"created_at": kpi.AttrTime}, Calendar: cal})
	if err != nil {
		t.Fatal(err)
	}
	may := cal.Containing(period.Month, cal.Date(time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)))
	req := kpi.Request{Calendar: cal, Periods: []period.Period{may}}
	won := func(id string, created, at time.Time) kpi.Event {
		return kpi.Event{ID: id, Kind: "won", Actor: "u1", Time: at, Attrs: map[string]any{"created_at": created}}
	}
	in := time.Date(2025, 5, 12, 10, 0, 0, 0, time.UTC)
	good := won("d1", time.Date(2025, 5, 7, 10, 0, 0, 0, time.UTC), in)
	bad := won("d2", time.Date(2023, 12, 20, 10, 0, 0, 0, time.UTC), in)
	outside := won("d3", time.Date(2023, 12, 20, 10, 0, 0, 0, time.UTC), time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC))

	tr, err := set.Track(ctx, req, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Apply(ctx, good, outside); err != nil {
		t.Fatalf("Apply of an event in range and one outside every period: %v", err)
	}
	count := func() string {
		t.Helper()
		res, err := tr.Result(ctx, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		v, _ := res.Value("quick", "u1", may)
		return v.Decimal.String()
	}
	if got := count(); got != "1" {
		t.Fatalf("quick = %s, want 1", got)
	}
	// The error a batch evaluation gives for the same event.
	tab := kpi.NewTable(time.UTC)
	if err := tab.Apply(&bad); err != nil {
		t.Fatal(err)
	}
	_, want := set.Evaluate(ctx, tab, req)
	if want == nil || !strings.Contains(want.Error(), "outside the working-day calendar") {
		t.Fatalf("batch evaluation: %v", want)
	}
	for _, batch := range [][]kpi.Event{{bad}, {won("d1", bad.Attrs["created_at"].(time.Time), in)}, {good, bad}} {
		err := tr.Apply(ctx, batch...)
		id := batch[len(batch)-1].ID
		if err == nil || !strings.HasSuffix(err.Error(), strings.Replace(want.Error(), `"d2"`, fmt.Sprintf("%q", id), 1)) {
			t.Fatalf("Apply of %d events, the last one failing its filter: %v, want an error ending %q", len(batch), err, want)
		}
		if got := count(); got != "1" || tr.Len() != 2 {
			t.Fatalf("after a refused batch: quick = %s and %d events, want 1 and 2", got, tr.Len())
		}
	}
}

// TestTrackerFilterSeesNewValues: a filter prepared against the table's
// dictionaries is prepared again when a version brings what it reads (a
// value it names, an actor, a currency, a finer amount), whether the
// version is counted or of a kind no indicator counts, and is not when a
// version brings nothing new: the counts equal a batch evaluation's after
// every version applied alone.
func TestTrackerFilterSeesNewValues(t *testing.T) {
	ctx := context.Background()
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "web", Kinds: []string{"deal"}, Aggregate: "count", Where: `source in ["web", "partner"]`},
		{ID: "mine", Kinds: []string{"deal"}, Aggregate: "count", Where: `actor == "u2" or currency == "EUR"`},
		{ID: "big", Kinds: []string{"deal"}, Aggregate: "count", Where: `amount > 1.005`},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"source": kpi.AttrString}})
	if err != nil {
		t.Fatal(err)
	}
	cal, err := period.NewCalendar(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	may := cal.Containing(period.Month, cal.Date(time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)))
	req := kpi.Request{Calendar: cal, Periods: []period.Period{may}}
	at := time.Date(2025, 5, 12, 10, 0, 0, 0, time.UTC)
	ev := func(id, kind, actor, source, amount, cur string) kpi.Event {
		e := kpi.Event{ID: id, Kind: kind, Actor: actor, Time: at, Currency: cur, Attrs: map[string]any{"source": source}}
		if amount != "" {
			e.Amount = decimal.NewNullDecimal(decimal.RequireFromString(amount))
		}
		return e
	}
	stream := []kpi.Event{
		ev("1", "deal", "u1", "cold", "1", ""),
		ev("2", "call", "u1", "web", "1", ""),      // a value the filter names, by a kind no indicator counts
		ev("3", "deal", "u1", "web", "1", ""),      // then counted: every code found in the table
		ev("4", "deal", "u1", "partner", "1", ""),  // a value it names, counted at once
		ev("5", "call", "u1", "cold", "1", "EUR"),  // a currency it names, not counted
		ev("6", "deal", "u1", "cold", "1", "EUR"),  // then counted
		ev("7", "call", "u2", "cold", "1", ""),     // an actor it names, not counted
		ev("8", "deal", "u2", "cold", "1", ""),     // then counted
		ev("9", "call", "u1", "cold", "1.006", ""), // a finer amount: the scale grows
		ev("10", "deal", "u1", "cold", "1.001", ""),
		ev("3", "deal", "u1", "cold", "1", ""), // a correction with known codes only
		ev("11", "deal", "u3", "web", "1.01", "EUR"),
	}
	// The same versions committed to a store one by one, replayed by a
	// tracker started on it at the end.
	store := memory.NewTrackStore()
	stored, err := set.Track(ctx, req, store)
	if err != nil {
		t.Fatal(err)
	}
	same := func(what string, live, batch *kpi.Result) {
		t.Helper()
		for _, id := range []string{"web", "mine", "big"} {
			for _, a := range []string{"u1", "u2", "u3"} {
				l, _ := live.Value(id, a, may)
				b, _ := batch.Value(id, a, may)
				if l.Valid != b.Valid || !l.Decimal.Equal(b.Decimal) {
					t.Fatalf("%s: %s of %s = %v, a batch evaluation says %v", what, id, a, l, b)
				}
			}
		}
	}
	tr, err := set.Track(ctx, req, nil)
	if err != nil {
		t.Fatal(err)
	}
	tab := kpi.NewTable(time.UTC)
	for i := range stream {
		if err := tr.Apply(ctx, stream[i]); err != nil {
			t.Fatal(err)
		}
		if err := tab.Apply(&stream[i]); err != nil {
			t.Fatal(err)
		}
		if err := stored.Apply(ctx, stream[i]); err != nil {
			t.Fatal(err)
		}
		batch, err := set.Evaluate(ctx, tab, req)
		if err != nil {
			t.Fatal(err)
		}
		what := fmt.Sprintf("after version %d (%s)", i, stream[i].ID)
		same(what, must(t)(tr.Result(ctx, time.Time{})), batch)
		same(what+", committed", must(t)(stored.Result(ctx, time.Time{})), batch)
	}
	batch, err := set.Evaluate(ctx, tab, req)
	if err != nil {
		t.Fatal(err)
	}
	if err := stored.Close(); err != nil {
		t.Fatal(err)
	}
	replayed, err := set.Track(ctx, req, store)
	if err != nil {
		t.Fatal(err)
	}
	same("replayed", must(t)(replayed.Result(ctx, time.Time{})), batch)
}
