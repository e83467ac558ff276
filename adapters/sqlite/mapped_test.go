package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/adapters/sqlcore/sqlcoretest"
)

func TestMapped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "host.db")
	m := sqlcoretest.MappedTable("at_ns", "")
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
