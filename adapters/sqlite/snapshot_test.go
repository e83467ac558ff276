package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/adapters/sqlcore/sqlcoretest"
)

// openAgain returns a store in a new file, and a func that opens the file
// again.
func openAgain(t testing.TB) (*sqlcore.Store, func() *sqlcore.Store) {
	path := filepath.Join(t.TempDir(), "track.db")
	open := func() *sqlcore.Store {
		s, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s.Store
	}
	return open(), open
}

func TestTrackSnapshotter(t *testing.T) { sqlcoretest.TestTrackSnapshotter(t, openAgain) }

func TestSnapshotStore(t *testing.T) { sqlcoretest.TestSnapshotStore(t, openAgain) }

// BenchmarkSnapshot measures snapshots of GOALKIT_SNAPSHOT_MB megabytes (64
// unless set) and a restart's reads of batches (sqlcoretest.BenchSnapshot).
func BenchmarkSnapshot(b *testing.B) {
	sqlcoretest.BenchSnapshot(b, openAgain, sqlcoretest.SnapshotBenchBytes(b))
}

func TestTrackerRestart(t *testing.T) { sqlcoretest.TestTrackerRestart(t, openAgain) }

// BenchmarkRestart measures a tracker's restart from a snapshot against a
// replay of every batch, GOALKIT_RESTART_EVENTS events (200,000 unless set;
// sqlcoretest.BenchRestart).
func BenchmarkRestart(b *testing.B) {
	sqlcoretest.BenchRestart(b, openAgain, sqlcoretest.RestartBenchEvents(b))
}
