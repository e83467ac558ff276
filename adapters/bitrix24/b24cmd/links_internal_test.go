//go:build unix

package b24cmd

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// -o through a symbolic link replaces the file it points to and leaves the
// link; -o of a named pipe writes into the pipe and leaves it a pipe; -o of
// a directory is refused, naming it. Renaming a file over them replaced the
// link with a file (the file it pointed to kept its old events) and the
// pipe with a file its reader never saw.
func TestOutputThroughLinkAndPipe(t *testing.T) {
	dir := t.TempDir()
	write := func(path, body string) error {
		return writeOutput(path, nil, func(w io.Writer) error { _, err := io.WriteString(w, body); return err })
	}

	real := filepath.Join(dir, "data", "current.ndjson")
	if err := os.Mkdir(filepath.Dir(real), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "events.ndjson")
	if err := os.Symlink(filepath.Join("data", "current.ndjson"), link); err != nil {
		t.Fatal(err)
	}
	if err := write(link, "new\n"); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link is no longer one: %v %v", fi.Mode(), err)
	}
	if b, _ := os.ReadFile(real); string(b) != "new\n" {
		t.Errorf("the linked file holds %q, want the new output", b)
	}
	// A dangling link: the file it names is made.
	dangling := filepath.Join(dir, "next.ndjson")
	if err := os.Symlink(filepath.Join("data", "next.ndjson"), dangling); err != nil {
		t.Fatal(err)
	}
	if err := write(dangling, "next\n"); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "data", "next.ndjson")); string(b) != "next\n" {
		t.Errorf("the dangling link's file holds %q", b)
	}

	pipe := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Skip("no named pipes:", err)
	}
	got := make(chan string)
	go func() {
		b, _ := os.ReadFile(pipe)
		got <- string(b)
	}()
	if err := write(pipe, "piped\n"); err != nil {
		t.Fatal(err)
	}
	select {
	case s := <-got:
		if s != "piped\n" {
			t.Errorf("the pipe's reader got %q", s)
		}
	case <-time.After(10 * time.Second):
		t.Error("the pipe's reader got nothing")
	}
	if fi, err := os.Lstat(pipe); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the pipe is no longer one: %v %v", fi.Mode(), err)
	}

	sub := filepath.Join(dir, "data")
	if err := write(sub, "x\n"); err == nil || !strings.Contains(err.Error(), "writing "+sub+": it is a directory") {
		t.Errorf("-o of a directory: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("left beside: %s", e.Name())
		}
	}
}
