package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
)

func TestImportAndEvalFromSQLite(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "events.db")
	code, out, errs := runCLI(t, "import", "-events", quickEvents, "-source", db, "-plan", quickPlan)
	if code != 0 || !strings.HasPrefix(out, "read ") {
		t.Fatalf("import: exit %d: %s%s", code, out, errs)
	}
	_, want, _ := runCLI(t, "eval", "-plan", quickPlan, "-events", quickEvents, "-as-of", asOf)
	code, got, errs := runCLI(t, "eval", "-plan", quickPlan, "-source", db, "-as-of", asOf)
	if code != 0 {
		t.Fatalf("eval: exit %d: %s", code, errs)
	}
	if got != want {
		t.Fatalf("eval from sqlite differs from eval of the file:\n got %s\nwant %s", got, want)
	}

	// A file with a bad line applies nothing: the report stays the same.
	bad := filepath.Join(t.TempDir(), "bad.ndjson")
	if err := os.WriteFile(bad, []byte(`{"id":"zz1","kind":"lead.created","time":"2025-03-02T10:00:00Z","actor":"anna"}`+"\n{oops\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCLI(t, "import", "-events", bad, "-source", db); code == 0 || !strings.Contains(errs, "bad.ndjson:2") {
		t.Fatalf("import of a bad file: exit %d: %s", code, errs)
	}
	if _, again, _ := runCLI(t, "eval", "-plan", quickPlan, "-source", db, "-as-of", asOf); again != want {
		t.Fatalf("a failed import changed the database")
	}
}

func TestSourceErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"eval", "-plan", quickPlan, "-source", "mysql://x"}, "-source must be sqlite:FILE or a postgres:// URL"},
		{[]string{"eval", "-plan", quickPlan, "-events", quickEvents, "-source", "sqlite:x.db"}, "-events and -source exclude each other"},
		{[]string{"import", "-events", quickEvents}, "-events and -source are required"},
		{[]string{"eval", "-plan", quickPlan, "-source", "postgres://u:s3cret@127.0.0.1:1/db?connect_timeout=1"}, "postgres: connect to 127.0.0.1:1 as u"},
	} {
		code, _, errs := runCLI(t, tc.args...)
		if code == 0 || !strings.Contains(errs, tc.want) || strings.Contains(errs, "s3cret") {
			t.Errorf("%v: exit %d: %s", tc.args, code, errs)
		}
	}
}

// Issue 17: a reading command never creates a database, and a database that
// cannot be created says why, naming its path.
func TestSQLiteMissing(t *testing.T) {
	dir := t.TempDir()
	typo := filepath.Join(dir, "typo.db")
	code, out, errs := runCLI(t, "eval", "-plan", quickPlan, "-source", "sqlite:"+typo, "-as-of", asOf)
	if want := "goalkit eval: sqlite: open " + typo + ": no such database file: file does not exist\n"; code == 0 || out != "" || errs != want {
		t.Fatalf("eval of a missing file: exit %d: %q %q, want %q", code, out, errs, want)
	}
	if _, err := os.Stat(typo); err == nil {
		t.Fatal("eval created the database file")
	}
	nodir := filepath.Join(dir, "nonexistent", "dir", "x.db")
	code, _, errs = runCLI(t, "import", "-events", quickEvents, "-source", "sqlite:"+nodir)
	if want := "goalkit import: sqlite: create " + nodir + ": directory " + filepath.Dir(nodir) + " does not exist: file does not exist\n"; code == 0 || errs != want {
		t.Fatalf("import into a missing directory: exit %d: %q, want %q", code, errs, want)
	}
}

// Issue 17: a file imported without the plan that types its attributes holds
// strings; a plan that declares them int must not read them as zeros.
func TestImportUntypedThenEvalTyped(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "events.db")
	events := filepath.Join(dir, "deals.csv")
	csv := "id,kind,time,actor,pipeline\n" +
		"d1,deal.won,2025-03-03T10:00:00Z,anna,2\n" +
		"d2,deal.won,2025-03-04T10:00:00Z,anna,3\n"
	plan := filepath.Join(dir, "plan.yaml")
	yaml := "timezone: UTC\nreport: {grain: month, from: 2025-03-01, to: 2025-04-01}\nattributes: {pipeline: int}\nindicators:\n" +
		"  - {id: p2, kinds: [deal.won], where: pipeline == 2, aggregate: count}\n" +
		"  - {id: psum, kinds: [deal.won], aggregate: sum, value: pipeline}\n"
	if err := os.WriteFile(events, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(plan, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCLI(t, "import", "-events", events, "-source", db); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	code, out, errs := runCLI(t, "eval", "-plan", plan, "-source", db, "-as-of", "2025-04-01T00:00:00Z")
	want := "goalkit eval: sqlcore: attribute \"pipeline\": declared int, but the store holds string values (import the events with the plan that declares the attribute's type)\n"
	if code == 0 || out != "" || errs != want {
		t.Fatalf("eval of untyped attributes: exit %d: %q %q, want %q", code, out, errs, want)
	}

	// Imported again with the plan, the same events read right.
	if code, _, errs := runCLI(t, "import", "-events", events, "-source", db, "-plan", plan); code != 0 {
		t.Fatalf("import -plan: exit %d: %s", code, errs)
	}
	code, out, errs = runCLI(t, "eval", "-plan", plan, "-source", db, "-as-of", "2025-04-01T00:00:00Z", "-format", "csv")
	if code != 0 {
		t.Fatalf("eval: exit %d: %s", code, errs)
	}
	if want := "indicator,participant,period,period_start,period_end,value\n" +
		"p2,anna,2025-03,2025-03-01,2025-04-01,1\np2,*,2025-03,2025-03-01,2025-04-01,1\n" +
		"psum,anna,2025-03,2025-03-01,2025-04-01,5\npsum,*,2025-03,2025-03-01,2025-04-01,5\n"; out != want {
		t.Fatalf("eval after a typed import:\n%s", out)
	}
}

// TestImportAndEvalFromPostgres runs against the server scripts/pg-test.sh
// starts (GOALKIT_PG_DSN); skipped without it.
func TestImportAndEvalFromPostgres(t *testing.T) {
	src := pgSchema(t, "cli")
	if code, _, errs := runCLI(t, "import", "-events", quickEvents, "-source", src, "-plan", quickPlan); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	_, want, _ := runCLI(t, "eval", "-plan", quickPlan, "-events", quickEvents, "-as-of", asOf)
	code, got, errs := runCLI(t, "eval", "-plan", quickPlan, "-source", src, "-as-of", asOf)
	if code != 0 || got != want {
		t.Fatalf("eval from postgres: exit %d: %s\n got %s\nwant %s", code, errs, got, want)
	}
}

// pgSchema returns the DSN of GOALKIT_PG_DSN in a schema of the test's own
// (named prefix_PID), dropped at the end; without GOALKIT_PG_DSN the test
// is skipped.
func pgSchema(t *testing.T, prefix string) string {
	t.Helper()
	dsn := os.Getenv("GOALKIT_PG_DSN")
	if dsn == "" {
		t.Skip("GOALKIT_PG_DSN is not set")
	}
	schema := fmt.Sprintf("%s_%d", prefix, os.Getpid())
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Exec("DROP SCHEMA " + schema + " CASCADE") })
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}

// TestSourceSQLiteWithoutFile: "-source sqlite:" names no file, a mistake
// in the command line like any other -source that is not one: exit 2, in
// every command that opens one. It was exit 1, as a database that failed.
func TestSourceSQLiteWithoutFile(t *testing.T) {
	for _, args := range [][]string{
		{"eval", "-plan", quickPlan, "-source", "sqlite:"},
		{"import", "-events", quickEvents, "-source", "sqlite:"},
		{"serve", "-plan", quickPlan, "-source", "sqlite:"},
	} {
		code, _, errs := runCLI(t, args...)
		if want := "-source sqlite: names no file: want sqlite:FILE"; code != 2 || !strings.Contains(errs, want) {
			t.Errorf("%v: exit %d: %s; want exit 2 and %q", args, code, errs, want)
		}
	}
}
