//go:build unix

package safefile

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// The written file reaches the disk before it takes its name, and the
// rename reaches it after: the temporary file is flushed whole (what it
// holds then is all it will hold), then the directory the file was renamed
// into (that of the file a link leads to), once the file has its name.
// Without the flushes a crash could leave an empty or torn file under the
// final name. A named pipe is written in place, with nothing to flush.
func TestFlushedBeforeAndAfterRename(t *testing.T) {
	var synced []string
	old := fsync
	t.Cleanup(func() { fsync = old })
	fsync = func(f *os.File) error {
		fi, err := f.Stat()
		if err != nil {
			t.Fatal(err)
		}
		if fi.IsDir() {
			var names []string
			entries, _ := os.ReadDir(f.Name())
			for _, e := range entries {
				names = append(names, e.Name())
			}
			slices.Sort(names)
			synced = append(synced, "dir "+filepath.Base(f.Name())+" ["+strings.Join(names, " ")+"]")
		} else {
			b, err := os.ReadFile(f.Name())
			if err != nil {
				t.Fatal(err)
			}
			synced = append(synced, "file "+string(b))
		}
		return old(f)
	}
	write := func(w io.Writer) error {
		// Written in two parts: the flush comes after the last.
		if _, err := io.WriteString(w, "da"); err != nil {
			return err
		}
		_, err := io.WriteString(w, "ta")
		return err
	}

	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "reports"), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "reports", "2025-03.xlsx"), []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "latest.xlsx")
	if err := os.Symlink(filepath.Join("reports", "2025-03.xlsx"), link); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(filepath.Join(dir, "report.pdf"), write); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(link, write); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"file data",
		"dir " + filepath.Base(dir) + " [latest.xlsx report.pdf reports]",
		"file data",
		"dir reports [2025-03.xlsx]",
	}
	if !slices.Equal(synced, want) {
		t.Errorf("flushed\n%q\nwant\n%q", synced, want)
	}
}

// A directory the user may write into but not read (-wx, a drop box)
// cannot be opened to flush the rename: the file is in place, and the
// write succeeds. The error was the command's, exit 1, though the file
// had been written (goalkit export's, and the Bitrix24 command's events
// and -state files).
func TestIntoUnreadableFolder(t *testing.T) {
	old := openDir
	t.Cleanup(func() { openDir = old })
	openDir = func(name string) (*os.File, error) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EACCES}
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := writeFile(path, func(w io.Writer) error { _, err := io.WriteString(w, "data"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "data" {
		t.Fatalf("the file holds %q (%v)", b, err)
	}
}

// writeFile is Write as goalkit export calls it.
func writeFile(path string, write func(io.Writer) error) error {
	return Write(path, os.Stdout, write)
}
