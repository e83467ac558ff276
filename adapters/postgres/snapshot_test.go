package postgres

import (
	"testing"

	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/adapters/sqlcore/sqlcoretest"
)

// openAgain returns a store in a fresh schema, and a func that connects to
// the schema again.
func openAgain(t testing.TB) (*sqlcore.Store, func() *sqlcore.Store) {
	dsn, _ := freshSchema(t, "snap")
	return openDSN(t, dsn), func() *sqlcore.Store { return openDSN(t, dsn) }
}

func TestSnapshots(t *testing.T) { sqlcoretest.TestSnapshots(t, openAgain) }

// BenchmarkSnapshot measures snapshots of GOALKIT_SNAPSHOT_MB megabytes (64
// unless set) and a restart's reads of batches (sqlcoretest.BenchSnapshot).
func BenchmarkSnapshot(b *testing.B) { sqlcoretest.BenchSnapshot(b, openAgain) }

// BenchmarkRestart measures a tracker's restart from a snapshot against a
// replay of every batch, GOALKIT_RESTART_EVENTS events (200,000 unless set;
// sqlcoretest.BenchRestart).
func BenchmarkRestart(b *testing.B) { sqlcoretest.BenchRestart(b, openAgain) }

func TestExactRestart(t *testing.T) { sqlcoretest.TestExactRestart(t, openAgain) }
