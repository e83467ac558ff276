//go:build unix

package main

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// An export is a file like any other the user writes: its mode is what
// the user's umask leaves of 0666 (a workbook of everyone's bonuses under
// umask 077 is the user's alone), and a file written again keeps the mode
// it had. It was 0644 whatever the umask, and whatever the old file's.
func TestExportFileMode(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	dir := t.TempDir()
	path := filepath.Join(dir, "report.xlsx")
	write := func(w io.Writer) error { _, err := io.WriteString(w, "data"); return err }
	mode := func() os.FileMode {
		t.Helper()
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Mode().Perm()
	}
	if err := writeFile(path, write); err != nil {
		t.Fatal(err)
	}
	if got := mode(); got != 0o600 {
		t.Errorf("new file under umask 077: mode %v, want -rw-------", got)
	}
	syscall.Umask(0o022)
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(path, write); err != nil {
		t.Fatal(err)
	}
	if got := mode(); got != 0o640 {
		t.Errorf("file written again: mode %v, want the old file's -rw-r-----", got)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(path, write); err != nil {
		t.Fatal(err)
	}
	if got := mode(); got != 0o644 {
		t.Errorf("new file under umask 022: mode %v, want -rw-r--r--", got)
	}
}
