package postgres

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/adapters/sqlcore/sqlcoretest"
	"github.com/goalkit/goalkit/kpi"
)

func TestMapped(t *testing.T) {
	db := open(t).DB()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE TABLE crm_events (event_id text PRIMARY KEY, type text, at timestamptz, user_id text, amt numeric(12,2), cur text, props jsonb, pipeline integer, vip boolean)`); err != nil {
		t.Fatal(err)
	}
	for _, e := range sqlcoretest.MappedEvents {
		var amt, props any
		if e.Amount.Valid {
			amt = e.Amount.Decimal.String()
		}
		if src, ok := e.Attrs["source"]; ok {
			props = `{"source":"` + src.(string) + `"}`
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO crm_events VALUES ($1, $2, $3, $4, $5::numeric, $6, $7::jsonb, $8, $9)`,
			e.ID, e.Kind, e.Time, e.Actor, amt, e.Currency, props, e.Attrs["pipeline"], e.Attrs["vip"]); err != nil {
			t.Fatal(err)
		}
	}
	m := sqlcore.Mapping{Table: "crm_events", ID: "event_id", Kind: "type", Time: "at", TimeType: "timestamp", Actor: "user_id",
		Amount: "amt", Currency: "cur", Attrs: "props", AttrColumns: map[string]sqlcore.AttrColumn{
			"pipeline": {Column: "pipeline", Type: kpi.AttrInt}, "vip": {Column: "vip", Type: kpi.AttrBool}}}
	sqlcoretest.TestMapped(t, db, sqlcore.Postgres, m, false)
}
