package sqlite

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/goalkit/goalkit/adapters/sqlcore/sqlcoretest"
)

// TestCrashChild is the ingesting process of TestCrash.
func TestCrashChild(t *testing.T) {
	path := os.Getenv("GOALKIT_CRASH_DB")
	if path == "" {
		t.Skip("run by TestCrash")
	}
	sqlcoretest.CrashIngest(t, openAt(t, path))
}

// TestCrash kills an ingesting process (SIGKILL) in the middle, restarts
// the ingest, and checks that nothing is lost or counted twice.
func TestCrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crash.db")
	s := openAt(t, path)
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "GOALKIT_CRASH_DB="+path)
	sqlcoretest.TestCrash(t, s, cmd)
}
