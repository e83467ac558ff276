package sqlite

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 17: a reader never creates a database, and a path that cannot be
// opened says why, naming it.
func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	missing := filepath.Join(dir, "typo.db")
	_, err := OpenExisting(ctx, missing)
	if err == nil || err.Error() != "sqlite: open "+missing+": no such database file: file does not exist" || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("OpenExisting of a missing file: %v", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("OpenExisting created the file: %v", err)
	}

	nodir := filepath.Join(dir, "nonexistent", "dir", "x.db")
	_, err = Open(ctx, nodir)
	if want := "sqlite: create " + nodir + ": directory " + filepath.Dir(nodir) + " does not exist: file does not exist"; err == nil || err.Error() != want {
		t.Fatalf("Open in a missing directory:\n got %v\nwant %s", err, want)
	}
	if _, err := Open(ctx, dir); err == nil || err.Error() != "sqlite: open "+dir+": is a directory" {
		t.Fatalf("Open of a directory: %v", err)
	}
	// SQLite's in-memory database is another, empty one on every
	// connection of the pool: two scans at once found no table.
	for _, open := range []func(context.Context, string) (*Store, error){Open, OpenExisting} {
		if s, err := open(ctx, ":memory:"); err == nil || !strings.Contains(err.Error(), "sqlite: :memory: is a new, empty database on every connection") {
			if s != nil {
				s.Close()
			}
			t.Fatalf("Open of :memory:: %v", err)
		}
	}

	// The file exists once created, and OpenExisting then opens it.
	s, err := Open(ctx, missing)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = OpenExisting(ctx, missing)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

// A path that starts with two slashes is the same file as with one (POSIX),
// not a URI's authority; names with characters a URI reserves are files of
// those names.
func TestOpenPathsAsWritten(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, p := range []string{"/" + filepath.Join(dir, "slashes.db"), filepath.Join(dir, "a b#c?d%20e;f.db")} {
		s, err := Open(ctx, p)
		if err != nil {
			t.Errorf("open %s: %v", p, err)
			continue
		}
		s.Close()
		if _, err := os.Stat(p); err != nil {
			t.Errorf("open %s: %v", p, err)
		}
	}
}
