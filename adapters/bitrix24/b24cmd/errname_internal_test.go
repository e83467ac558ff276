//go:build unix

package b24cmd

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An output file that cannot be written is named in the error as the user
// gave it, with what went wrong; the temporary file beside it, which the
// user never named, is not.
func TestOutputErrorsNameThePath(t *testing.T) {
	dir := t.TempDir()
	loop := filepath.Join(dir, "loop.ndjson")
	if err := os.Symlink("loop.ndjson", loop); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "no-such-dir", "events.ndjson")
	for path, want := range map[string]string{
		missing: "writing " + missing + ": no such file or directory",
		loop:    "writing " + loop + ": too many levels of symbolic links",
	} {
		err := writeOutput(path, nil, func(w io.Writer) error { _, err := io.WriteString(w, "x\n"); return err })
		if err == nil || err.Error() != want {
			t.Errorf("%s: got %v, want %s", filepath.Base(path), err, want)
		}
		if err != nil && strings.Contains(err.Error(), ".tmp") {
			t.Errorf("the error names the temporary file: %v", err)
		}
	}
}
