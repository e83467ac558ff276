package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/adapters/sqlcore/sqlcoretest"
	"github.com/goalkit/goalkit/kpi"
)

func TestMapped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "host.db")
	m := sqlcore.Mapping{Table: "crm_events", ID: "event_id", Kind: "type", Time: "at_ns", Actor: "user_id",
		Amount: "amt", Currency: "cur", Attrs: "props", AttrColumns: map[string]sqlcore.AttrColumn{
			"pipeline": {Column: "pipeline", Type: kpi.AttrInt}, "vip": {Column: "vip", Type: kpi.AttrBool}}}
	s, err := OpenMapped(path, m)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if _, err := s.DB().ExecContext(ctx, `CREATE TABLE crm_events (event_id TEXT PRIMARY KEY, type TEXT, at_ns INTEGER, user_id TEXT, amt TEXT, cur TEXT, props TEXT, pipeline INTEGER, vip INTEGER)`); err != nil {
		t.Fatal(err)
	}
	sqlcoretest.InsertMapped(t, s.DB(), `INSERT INTO crm_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		func(ts time.Time) any { return ts.UnixNano() })
	sqlcoretest.TestMapped(t, s.DB(), sqlcore.SQLite, m, true)
}
