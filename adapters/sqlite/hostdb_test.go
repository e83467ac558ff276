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
