package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/adapters/sqlcore/sqlcoretest"
)

func TestMapped(t *testing.T) {
	db := open(t).DB()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE TABLE crm_events (event_id text PRIMARY KEY, type text, at timestamptz, user_id text, amt numeric(12,2), cur text, props jsonb, pipeline integer, vip boolean)`); err != nil {
		t.Fatal(err)
	}
	sqlcoretest.InsertMapped(t, db, `INSERT INTO crm_events VALUES ($1, $2, $3, $4, $5::numeric, $6, $7::jsonb, $8, $9)`,
		func(ts time.Time) any { return ts })
	sqlcoretest.TestMapped(t, db, sqlcore.Postgres, sqlcoretest.MappedTable("at", "timestamp"), false)
}
