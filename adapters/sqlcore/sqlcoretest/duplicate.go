package sqlcoretest

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// scanOnly is a store seen as a plain kpi.Source: a report over it scans
// (kpi.Snapshot) where the store itself would be pushed down.
type scanOnly struct{ s *sqlcore.Store }

func (o scanOnly) Scan(ctx context.Context, q kpi.Query, fn func(*kpi.Event) error) error {
	return o.s.Scan(ctx, q, fn)
}

// TestDuplicateIDs checks a Store over a host's table whose id column is
// not unique, holding MappedEvents and a second row of h1 (insert as for
// InsertMapped): an id names one event, and the table does not say which
// of the two rows is the later version, so a scan (which kept one of them)
// and a pushed aggregate (which counted both) gave the same plan two
// numbers. Both refuse, naming the id, wherever the rows they read hold
// it twice, and read as before where they do not.
func TestDuplicateIDs(t *testing.T, db *sql.DB, d sqlcore.Dialect, m sqlcore.Mapping, insert string, at func(time.Time) any) {
	ctx := context.Background()
	InsertMapped(t, db, insert, at)
	again := MappedEvents[0]
	if _, err := db.ExecContext(ctx, insert, again.ID, again.Kind, at(again.Time.Add(time.Hour)), "u2", "200.00", "RUB", nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	s, err := sqlcore.New(db, d, &m)
	if err != nil {
		t.Fatal(err)
	}
	const want = `event id "h1" is on 2 rows; an id names one event`
	refused := func(what string, err error) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), m.Table) {
			t.Errorf("%s: got %v, want an error naming the table %s and saying %s", what, err, m.Table, want)
		}
	}
	bounds := marchBounds()

	rows := 0
	refused("scan", s.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { rows++; return nil }))
	if rows != 0 {
		t.Errorf("the refused scan passed %d events on", rows)
	}
	refused("scan of deal.won", s.Scan(ctx, kpi.Query{Kinds: []string{"deal.won"}}, func(*kpi.Event) error { return nil }))
	_, _, err = s.Push(ctx, kpi.PushQuery{Kinds: []string{"deal.won"}, Bounds: bounds})
	refused("push", err)
	// As of an instant before h1's second row: the scan of the month
	// reads both rows whatever the instant.
	_, _, err = s.Push(ctx, kpi.PushQuery{Kinds: []string{"deal.won"}, Bounds: bounds, AsOf: MappedEvents[0].Time.Add(time.Minute)})
	refused("push as of an instant before h1's second row", err)

	// The calls read none of h1's rows: they read as before.
	var got []string
	if err := s.Scan(ctx, kpi.Query{Kinds: []string{"call"}}, func(e *kpi.Event) error { got = append(got, e.ID); return nil }); err != nil || len(got) != 1 || got[0] != "h3" {
		t.Errorf("scan of the calls: %v, %v; want h3", got, err)
	}
	res, ok, err := s.Push(ctx, kpi.PushQuery{Kinds: []string{"call"}, Bounds: bounds})
	if err != nil || !ok || len(res) != 1 || res[0].Actor != "u2" || res[0].Count != 1 {
		t.Errorf("push of the calls: %+v, %v, %v; want one call of u2", res, ok, err)
	}
	// Nor do the deals of a range before h1's second row.
	early := []time.Time{bounds[0], MappedEvents[0].Time.Add(time.Minute)}
	res, ok, err = s.Push(ctx, kpi.PushQuery{Kinds: []string{"deal.won"}, Bounds: early})
	if err != nil || !ok || len(res) != 1 || res[0].Count != 1 {
		t.Errorf("push of the deals before h1's second row: %+v, %v, %v; want one deal", res, ok, err)
	}

	// A plan's report: pushed down (the store) and scanned (a plain
	// source) alike.
	plan := marchPlan(t, "deals", "deal.won")
	asOf := bounds[1]
	_, err = plan.Evaluate(ctx, s, asOf)
	refused("a report pushed down", err)
	_, err = plan.Evaluate(ctx, scanOnly{s}, asOf)
	refused("a report scanned", err)
	_, err = plan.Evaluate(ctx, s, MappedEvents[0].Time.Add(time.Minute))
	refused("a report pushed down as of an instant before h1's second row", err)

	// With the second row gone, both give the one number.
	if _, err := db.ExecContext(ctx, "DELETE FROM "+m.Table+" WHERE "+m.ID+" = 'h1' AND "+m.Actor+" = 'u2'"); err != nil {
		t.Fatal(err)
	}
	for _, src := range []kpi.Source{s, scanOnly{s}} {
		rep, err := plan.Evaluate(ctx, src, asOf)
		if err != nil {
			t.Fatal(err)
		}
		n, ok := rep.Values.Value("deals", "*", rep.Values.Periods()[0])
		if !ok || !n.Valid || !n.Decimal.Equal(decimal.NewFromInt(2)) {
			t.Errorf("%T: %v deals, want 2 (h1 and h2)", src, n)
		}
	}
}
