package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// OpenHostDB reads a host's database as it is: no goalkit table is made,
// the journal mode stays, and a missing file is named and not made.
func TestOpenHostDB(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crm.db")
	host, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := host.Exec("CREATE TABLE deals (id text); INSERT INTO deals VALUES ('d1')"); err != nil {
		t.Fatal(err)
	}
	host.Close()
	db, err := OpenHostDB(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var id, tables, mode string
	if err := db.QueryRowContext(ctx, "SELECT id FROM deals").Scan(&id); err != nil || id != "d1" {
		t.Fatalf("the host's row: %q, %v", id, err)
	}
	if err := db.QueryRowContext(ctx, "SELECT group_concat(name, ' ') FROM sqlite_master").Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if tables != "deals" || mode != "delete" {
		t.Errorf("tables %q, journal mode %q; want deals alone, delete", tables, mode)
	}
	missing := filepath.Join(t.TempDir(), "none.db")
	if _, err := OpenHostDB(ctx, missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v, want fs.ErrNotExist", err)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("a missing file was made")
	}
}

// OpenExisting refuses a database without goalkit's events (a host's own,
// an empty file) and leaves it as it was; it made goalkit's tables there and
// switched it to WAL, and a reader got an empty report.
func TestOpenExistingRefusesAnotherDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	host := filepath.Join(dir, "crm.db")
	db, err := sql.Open("sqlite", host)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE deals (id text)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{host, empty} {
		s, err := OpenExisting(ctx, path)
		if err == nil {
			s.Close()
			t.Errorf("%s: opened", path)
			continue
		}
		if want := "sqlite: " + path + " holds no goalkit events (no goalkit_events table): import some first (goalkit import)"; err.Error() != want {
			t.Errorf("%v, want %s", err, want)
		}
	}
	db, err = sql.Open("sqlite", host)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tables, mode string
	if err := db.QueryRow("SELECT group_concat(name, ' ') FROM sqlite_master").Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if tables != "deals" || mode != "delete" {
		t.Errorf("the host's database after OpenExisting: tables %q, journal mode %q", tables, mode)
	}
	if fi, err := os.Stat(empty); err != nil || fi.Size() != 0 {
		t.Errorf("the empty file after OpenExisting: %v, %v", fi, err)
	}
	// A database goalkit made opens, empty or not.
	own := filepath.Join(dir, "own.db")
	s, err := Open(ctx, own)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = OpenExisting(ctx, own); err != nil {
		t.Fatalf("goalkit's own database: %v", err)
	}
	s.Close()
}
