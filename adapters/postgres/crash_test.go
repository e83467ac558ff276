package postgres

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/goalkit/goalkit/adapters/sqlcore/sqlcoretest"
)

// TestCrashChild is the ingesting process of TestCrash.
func TestCrashChild(t *testing.T) {
	dsn := os.Getenv("GOALKIT_CRASH_DSN")
	if dsn == "" {
		t.Skip("run by TestCrash")
	}
	sqlcoretest.CrashIngest(t, openDSN(t, dsn))
}

// TestCrash kills an ingesting process (SIGKILL) in the middle, restarts
// the ingest, and checks that nothing is lost or counted twice.
func TestCrash(t *testing.T) {
	s := open(t)
	var schema string
	if err := s.DB().QueryRowContext(context.Background(), "SELECT current_schema()").Scan(&schema); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "GOALKIT_CRASH_DSN="+withSearchPath(os.Getenv("GOALKIT_PG_DSN"), schema))
	sqlcoretest.TestCrash(t, s, cmd)
}
