package sqlcoretest

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// MappedEvents are the rows TestMapped expects in the host's table: source
// in a JSON column, pipeline (an int) and vip (a bool) in columns of their
// own.
var MappedEvents = []kpi.Event{
	{ID: "h1", Kind: "deal.won", Time: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC), Actor: "u1",
		Amount: decimal.NewNullDecimal(decimal.RequireFromString("100.50")), Currency: "RUB", Attrs: map[string]any{"source": "web", "pipeline": int64(2)}},
	{ID: "h2", Kind: "deal.won", Time: time.Date(2025, 3, 2, 9, 0, 0, 0, time.UTC), Actor: "u1",
		Amount: decimal.NewNullDecimal(decimal.RequireFromString("0.25")), Currency: "USD", Attrs: map[string]any{"source": "partner", "pipeline": int64(3), "vip": true}},
	{ID: "h3", Kind: "call", Time: time.Date(2025, 3, 20, 9, 0, 0, 0, time.UTC), Actor: "u2", Attrs: map[string]any{"vip": false}},
}

// MappedTable maps the host's table of MappedEvents, crm_events, whose
// time column is timeCol of the type timeType (empty: nanoseconds).
func MappedTable(timeCol, timeType string) sqlcore.Mapping {
	return sqlcore.Mapping{Table: "crm_events", ID: "event_id", Kind: "type", Time: timeCol, TimeType: timeType, Actor: "user_id",
		Amount: "amt", Currency: "cur", Attrs: "props", AttrColumns: map[string]sqlcore.AttrColumn{
			"pipeline": {Column: "pipeline", Type: kpi.AttrInt}, "vip": {Column: "vip", Type: kpi.AttrBool}}}
}

// InsertMapped writes MappedEvents into the host's table with insert, a
// statement with nine parameters: the id, kind, time (as at gives it),
// actor, amount (as text, or null), currency, the JSON of the source
// attribute (or null), and the pipeline and vip attributes.
func InsertMapped(t testing.TB, db *sql.DB, insert string, at func(time.Time) any) {
	t.Helper()
	for _, e := range MappedEvents {
		var amt, props any
		if e.Amount.Valid {
			amt = e.Amount.Decimal.String()
		}
		if src, ok := e.Attrs["source"]; ok {
			props = `{"source":"` + src.(string) + `"}`
		}
		if _, err := db.ExecContext(context.Background(), insert,
			e.ID, e.Kind, at(e.Time), e.Actor, amt, e.Currency, props, e.Attrs["pipeline"], e.Attrs["vip"]); err != nil {
			t.Fatal(err)
		}
	}
}

// TestMapped checks a Store over a host's table holding MappedEvents:
// Scan reads them, and Push answers (or, when amountDeclined, declines the
// sum of amounts) with what aggregating them gives.
func TestMapped(t *testing.T, db *sql.DB, d sqlcore.Dialect, m sqlcore.Mapping, amountDeclined bool) {
	ctx := context.Background()
	s, err := sqlcore.New(db, d, &m)
	if err != nil {
		t.Fatal(err)
	}
	var got []kpi.Event
	if err := s.Scan(ctx, kpi.Query{Kinds: []string{"deal.won"}}, func(e *kpi.Event) error {
		got = append(got, e.Clone())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got[0].Time.Equal(MappedEvents[0].Time) && !got[1].Time.Equal(MappedEvents[0].Time) {
		t.Fatalf("scan: %+v", got)
	}
	for _, e := range got {
		if e.ID == "h2" && (e.Attrs["pipeline"] != int64(3) || e.Attrs["vip"] != true || e.Attrs["source"] != "partner") {
			t.Fatalf("scan: attributes %v", e.Attrs)
		}
	}
	if err := s.Apply(ctx, MappedEvents[0]); err == nil {
		t.Fatal("apply to a mapped table succeeded")
	}
	bounds := []time.Time{time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 15, 0, 0, 0, 0, time.UTC), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)}
	where := formula.In{X: formula.Ident{Name: "source", Type: formula.TypeString}, List: []formula.Value{formula.String("web"), formula.String("partner")}}
	for _, q := range []kpi.PushQuery{
		{Bounds: bounds},
		{Kinds: []string{"deal.won"}, Where: where, Bounds: bounds},
		{Kinds: []string{"deal.won"}, Where: where, Value: "amount", Bounds: bounds},
		{Where: formula.Compare{Op: ">=", L: formula.Ident{Name: "pipeline", Type: formula.TypeNumber}, R: formula.Const{Value: formula.Int(3)}}, Value: "pipeline", Bounds: bounds},
		{Where: formula.Not{X: formula.Ident{Name: "vip", Type: formula.TypeBool}}, Value: "pipeline", Bounds: bounds},
		{Where: formula.In{X: formula.Ident{Name: "pipeline", Type: formula.TypeAny}, List: []formula.Value{formula.Int(2), formula.String("2")}, Not: true}, Bounds: bounds},
	} {
		ok, err := adaptertest.CheckPush(ctx, s, MappedEvents, q)
		if err != nil {
			t.Fatal(err)
		}
		if !ok && !(q.Value == "amount" && amountDeclined) {
			t.Fatalf("push %+v declined", q)
		}
	}
}
