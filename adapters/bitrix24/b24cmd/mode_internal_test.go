//go:build unix

package b24cmd

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24"
)

// An output or state file is created with the mode os.Create gives (0666
// less the umask), as goalkit export's files are, and a file it replaces
// keeps its mode: privacy is the user's umask and directory, and a file the
// user made readable to a group stays so after the next sync.
func TestOutputFileMode(t *testing.T) {
	dir := t.TempDir()
	probe, err := os.Create(filepath.Join(dir, "probe"))
	if err != nil {
		t.Fatal(err)
	}
	probe.Close()
	want := mustMode(t, probe.Name())

	write := func(path string) error {
		return writeOutput(path, nil, func(w io.Writer) error { _, err := io.WriteString(w, "{}\n"); return err })
	}
	events := filepath.Join(dir, "events.ndjson")
	if err := write(events); err != nil {
		t.Fatal(err)
	}
	if got := mustMode(t, events); got != want {
		t.Errorf("new output file mode %v, want %v (os.Create's)", got, want)
	}
	state := filepath.Join(dir, "state.json")
	if err := writeState(state, bitrix24.Watermark{}); err != nil {
		t.Fatal(err)
	}
	if got := mustMode(t, state); got != want {
		t.Errorf("new state file mode %v, want %v (os.Create's)", got, want)
	}

	for _, path := range []string{events, state} {
		for _, mode := range []fs.FileMode{0o640, 0o600, 0o604} {
			if err := os.Chmod(path, mode); err != nil {
				t.Fatal(err)
			}
			if err := write(path); err != nil {
				t.Fatal(err)
			}
			if got := mustMode(t, path); got != mode {
				t.Errorf("%s replaced: mode %v, want the old file's %v", filepath.Base(path), got, mode)
			}
		}
	}
	// Nothing is left beside the files.
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 {
		t.Errorf("%d files in the directory, want 3 (no temporary file left)", len(entries))
	}
}

func mustMode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}
