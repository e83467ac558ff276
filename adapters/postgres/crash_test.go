package postgres

import (
	"testing"

	"github.com/goalkit/goalkit/adapters/sqlcore/sqlcoretest"
)

// TestCrash kills an ingesting process (SIGKILL) in the middle, restarts
// the ingest, and checks that nothing is lost or counted twice.
func TestCrash(t *testing.T) {
	sqlcoretest.TestCrash(t, openDSN, func(t testing.TB) string {
		dsn, _ := freshSchema(t, "crash")
		return dsn
	})
}
