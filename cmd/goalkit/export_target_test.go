//go:build unix

package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// -o is the file the user names, whatever it is: a symbolic link is
// followed (the file it points to is written, the link stays a link), a
// named pipe is written into (it was replaced by a regular file, and the
// reader at its other end got nothing), the standard output's file is
// written through the standard output, and an error names -o (it named
// the temporary file beside it, a name the user never gave).
func TestExportTargets(t *testing.T) {
	write := func(w io.Writer) error { _, err := io.WriteString(w, "data"); return err }
	read := func(t *testing.T, path string) string {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	t.Run("link", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, "reports"), 0o777); err != nil {
			t.Fatal(err)
		}
		real := filepath.Join(dir, "reports", "2025-03.xlsx")
		if err := os.WriteFile(real, []byte("old"), 0o640); err != nil {
			t.Fatal(err)
		}
		link := filepath.Join(dir, "latest.xlsx")
		if err := os.Symlink(filepath.Join("reports", "2025-03.xlsx"), link); err != nil {
			t.Fatal(err)
		}
		if err := writeFile(link, write); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("-o latest.xlsx, a link: it is no longer a link (%v, %v)", fi.Mode(), err)
		}
		if got := read(t, real); got != "data" {
			t.Errorf("the linked file holds %q, want what was written", got)
		}
		if fi, _ := os.Stat(real); fi.Mode().Perm() != 0o640 {
			t.Errorf("the linked file's mode is %v, want its old -rw-r-----", fi.Mode().Perm())
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 2 {
			t.Errorf("the link's folder holds %d entries, want the link and the folder", len(entries))
		}
	})

	t.Run("dangling link", func(t *testing.T) {
		dir := t.TempDir()
		link := filepath.Join(dir, "latest.pdf")
		if err := os.Symlink("new.pdf", link); err != nil {
			t.Fatal(err)
		}
		if err := writeFile(link, write); err != nil {
			t.Fatal(err)
		}
		if got := read(t, filepath.Join(dir, "new.pdf")); got != "data" {
			t.Errorf("the file the link names holds %q", got)
		}
	})

	t.Run("pipe", func(t *testing.T) {
		fifo := filepath.Join(t.TempDir(), "out.svg")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skip("no named pipes here:", err)
		}
		got := make(chan string, 1)
		go func() {
			b, _ := os.ReadFile(fifo)
			got <- string(b)
		}()
		if err := writeFile(fifo, write); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
			t.Fatalf("the pipe was replaced: %v, %v", fi.Mode(), err)
		}
		select {
		case s := <-got:
			if s != "data" {
				t.Errorf("the pipe's reader got %q, want what was written", s)
			}
		case <-time.After(10 * time.Second):
			t.Error("the pipe's reader got nothing in 10 s")
		}
	})

	t.Run("standard output", func(t *testing.T) {
		// -o /dev/stdout >> app.log: the log is appended to, as the
		// shell opened it, not replaced by the report.
		log := filepath.Join(t.TempDir(), "app.log")
		if err := os.WriteFile(log, []byte("log line\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		before, _ := f.Stat()
		stdout := os.Stdout
		os.Stdout = f
		err = writeFile(log, write)
		os.Stdout = stdout
		if err != nil {
			t.Fatal(err)
		}
		if got := read(t, log); got != "log line\ndata" {
			t.Errorf("the standard output's file holds %q, want the log line and what was written after it", got)
		}
		if after, err := os.Stat(log); err != nil || !os.SameFile(before, after) {
			t.Errorf("the standard output's file was replaced (%v)", err)
		}
	})

	t.Run("errors name -o", func(t *testing.T) {
		dir := t.TempDir()
		for _, c := range []struct{ path, want string }{
			{filepath.Join(dir, "no", "such", "folder", "x.pdf"), "no such file or directory"},
			{dir, "is a directory"},
		} {
			err := writeFile(c.path, write)
			if err == nil {
				t.Fatalf("-o %s: no error", c.path)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "writing "+c.path+": ") || !strings.Contains(msg, c.want) {
				t.Errorf("-o %s: %q, want \"writing %s: …%s…\"", c.path, msg, c.path, c.want)
			}
			if strings.Contains(msg, "/.") {
				t.Errorf("-o %s: the error names a temporary file: %q", c.path, msg)
			}
		}
		// A report that cannot be written keeps its own words.
		refused := errors.New("pdf: the report has no period \"2026-01\"")
		if err := writeFile(filepath.Join(dir, "x.pdf"), func(io.Writer) error { return refused }); !errors.Is(err, refused) {
			t.Errorf("a writer's refusal came back as %v", err)
		}
	})
}
