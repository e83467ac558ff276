package sqlite

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/adapters/sqlcore/sqlcoretest"
)

// A host's table whose columns declare no type, so that SQLite keeps each
// value as it is written (a REAL, text where an integer is wanted): a push
// never answers where the scan of its range is refused, and where the scan
// passes it answers what aggregating the scanned events gives
// (sqlcoretest.TestHostRows).
func TestHostRows(t *testing.T) {
	// Without syncing: the test writes each case's rows anew.
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "host.db")+"?_pragma=synchronous(OFF)&_pragma=journal_mode(MEMORY)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE host_rows (id, kind, ts, off, actor, amt, cur, attrs, known, n, flag)`); err != nil {
		t.Fatal(err)
	}
	sqlcoretest.TestHostRows(t, db, sqlcore.SQLite)
}
