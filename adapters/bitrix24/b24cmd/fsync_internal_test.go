//go:build unix

package b24cmd

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24"
)

// An output or state file reaches the disk before it takes its name, and
// the rename reaches it after: the temporary file is flushed whole (what
// it holds then is all it will hold), then the directory, once the file
// has its name. Without the flushes a crash could leave an empty or torn
// file under the final name, or a state file on disk that says events
// were synced whose file is not.
func TestOutputFlushedBeforeAndAfterRename(t *testing.T) {
	dir := t.TempDir()
	events := filepath.Join(dir, "events.ndjson")
	state := filepath.Join(dir, "state.json")
	var synced []string
	old := fsync
	t.Cleanup(func() { fsync = old })
	fsync = func(f *os.File) error {
		fi, err := f.Stat()
		if err != nil {
			t.Fatal(err)
		}
		if fi.IsDir() {
			// The directory: the file must have its name by now.
			var names []string
			entries, _ := os.ReadDir(f.Name())
			for _, e := range entries {
				names = append(names, e.Name())
			}
			synced = append(synced, "dir "+filepath.Base(f.Name())+" "+fmtNames(names))
		} else {
			b, err := os.ReadFile(f.Name())
			if err != nil {
				t.Fatal(err)
			}
			synced = append(synced, "file "+string(b))
		}
		return old(f)
	}
	body := "{\"id\":\"a\"}\n"
	if err := writeOutput(events, nil, func(w io.Writer) error { _, err := io.WriteString(w, body); return err }); err != nil {
		t.Fatal(err)
	}
	if err := writeState(state, bitrix24.Watermark{}); err != nil {
		t.Fatal(err)
	}
	stateBody, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Base(dir)
	want := []string{
		"file " + body,
		"dir " + base + " [events.ndjson]",
		"file " + string(stateBody),
		"dir " + base + " [events.ndjson state.json]",
	}
	if !slices.Equal(synced, want) {
		t.Errorf("flushed\n%q\nwant\n%q", synced, want)
	}
}

// fmtNames writes names as a list.
func fmtNames(names []string) string {
	slices.Sort(names)
	out := "["
	for i, n := range names {
		if i > 0 {
			out += " "
		}
		out += n
	}
	return out + "]"
}

// A directory the user may write into but not read (-wx, a drop box)
// cannot be opened to flush the rename: the file is in place, and the
// write succeeds. It failed, the events file or the -state file written,
// so that a run reported an error for a sync that had happened.
func TestOutputIntoUnreadableFolder(t *testing.T) {
	old := openDir
	t.Cleanup(func() { openDir = old })
	openDir = func(name string) (*os.File, error) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EACCES}
	}
	dir := t.TempDir()
	events := filepath.Join(dir, "events.ndjson")
	if err := writeOutput(events, nil, func(w io.Writer) error { _, err := io.WriteString(w, "data"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(events); err != nil || string(b) != "data" {
		t.Fatalf("the events file holds %q (%v)", b, err)
	}
	state := filepath.Join(dir, "state.json")
	if err := writeState(state, bitrix24.Watermark{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(state); err != nil {
		t.Fatal(err)
	}
}
