package kpi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// rowsPusher is a host's Pusher that answers every query with the same
// rows (and scans nothing).
type rowsPusher struct {
	rows []kpi.PushRow
}

func (p rowsPusher) Scan(ctx context.Context, q kpi.Query, fn func(*kpi.Event) error) error {
	return nil
}

func (p rowsPusher) Push(ctx context.Context, q kpi.PushQuery) ([]kpi.PushRow, bool, error) {
	return p.rows, true, nil
}

// An actor a host's Pusher returns is checked as an event's actor is: "*"
// (the whole company's row) or an id with a control character fails the
// evaluation, naming it. "*" failed later as `participant "*" is both an
// actor and a group`, and a control character went into the report.
func TestPushRefusesActorsNoEventCouldHave(t *testing.T) {
	set, req := callsOfMarch(t)
	req.AsOf = time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct{ actor, want string }{
		{"*", `push: actor "*" is the whole company's row in reports, not an actor`},
		{"anna\x1b[31m", `push: actor "anna\x1b[31m" `},
	} {
		src := rowsPusher{rows: []kpi.PushRow{{Actor: "boris", Count: 2}, {Actor: c.actor, Count: 3}}}
		_, err := set.Evaluate(context.Background(), src, req)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("actor %q: got %v, want an error starting %q", c.actor, err, c.want)
		}
	}
	// Actors of events are taken, the empty one (events without an actor)
	// too.
	src := rowsPusher{rows: []kpi.PushRow{{Actor: "boris", Count: 2}, {Actor: "", Count: 1}}}
	if _, err := set.Evaluate(context.Background(), src, req); err != nil {
		t.Fatal(err)
	}
}

// callsOfMarch is an indicator of calls counted, and a request of the
// month of March 2025 in UTC.
func callsOfMarch(t *testing.T) (*kpi.Set, kpi.Request) {
	t.Helper()
	cal, err := period.LoadCalendar("UTC")
	if err != nil {
		t.Fatal(err)
	}
	set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "calls", Kinds: []string{"call"}, Aggregate: kpi.Count}}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	return set, kpi.Request{Calendar: cal, Periods: []period.Period{cal.Containing(period.Month, date.New(2025, 3, 1))}}
}

// A row a host's Pusher returns with numbers no events could make fails the
// evaluation, naming the actor: a bucket outside the query's (one month
// asked: one bucket) was dropped without a word, and negative counts, more
// events with a value than events, or a value of 10^100000000 were
// counted as they were.
func TestPushRefusesRowsNoEventsCouldMake(t *testing.T) {
	set, req := callsOfMarch(t)
	huge := decimal.New(1, 100000000)
	for _, c := range []struct {
		row  kpi.PushRow
		want string
	}{
		{kpi.PushRow{Actor: "anna", Bucket: 1, Count: 3}, `push: actor "anna": bucket 1 is not one of the query's 1`},
		{kpi.PushRow{Actor: "anna", Bucket: -1, Count: 3}, `push: actor "anna": bucket -1 is not one of the query's 1`},
		{kpi.PushRow{Actor: "anna", Count: -3}, `push: actor "anna", bucket 0: -3 events, 0 with a value (want 0 ≤ with a value ≤ events)`},
		{kpi.PushRow{Actor: "anna", Count: 2, N: 3}, `push: actor "anna", bucket 0: 2 events, 3 with a value (want 0 ≤ with a value ≤ events)`},
		{kpi.PushRow{Actor: "anna", Count: 1, N: 1, Sum: huge, Min: huge, Max: huge}, `push: actor "anna", bucket 0: a value's exponent 100000000 is outside ±1000`},
	} {
		src := rowsPusher{rows: []kpi.PushRow{{Actor: "boris", Count: 2}, c.row}}
		if _, err := set.Evaluate(context.Background(), src, req); err == nil || err.Error() != c.want {
			t.Errorf("row %+v: got %v, want %q", c.row, err, c.want)
		}
	}
}
