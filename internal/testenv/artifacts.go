package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// Artifacts is the directory where a test writes what people look at:
// one named by the test under $GOALKIT_ARTIFACTS when that is set (kept
// after the run), else under the test's temporary directory (logged).
func Artifacts(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("GOALKIT_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	dir = filepath.Join(dir, t.Name())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("artifacts in %s", dir)
	return dir
}
