package main

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	dealsPlan    = "testdata/deals-plan.yaml"
	dealsMapping = "../../adapters/mapping/testdata/deals.yaml"
	dealsAsOf    = "2017-04-01T00:00:00Z"
)

func dealsTable(name string) string { return filepath.Join("../../adapters/mapping/testdata", name) }

// wonMarch is the company's row of the plan's two indicators in CSV.
func wonMarch(out string) string {
	var rows []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, ",*,") {
			rows = append(rows, l)
		}
	}
	return strings.Join(rows, "\n")
}

// Issue 16: eval reads a CSV table through a mapping, as it reads an
// event file.
func TestEvalMapping(t *testing.T) {
	code, out, errs := runCLI(t, "eval", "-plan", dealsPlan, "-mapping", dealsMapping, "-events", dealsTable("deals.csv"), "-as-of", dealsAsOf, "-format", "csv")
	want := "won,*,2017-03,2017-03-01,2017-04-01,6\nwon_value,*,2017-03,2017-03-01,2017-04-01,6772"
	if code != 0 || wonMarch(out) != want {
		t.Fatalf("exit %d: %s\n%s\nwant\n%s", code, errs, wonMarch(out), want)
	}
}

// Issue 16: a bad row fails the command with its place, and nothing is
// applied; a plan that types an attribute otherwise than the mapping is an
// error.
func TestEvalMappingErrors(t *testing.T) {
	dir := t.TempDir()
	intPlan := filepath.Join(dir, "plan.yaml")
	data, err := os.ReadFile(dealsPlan)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(intPlan, []byte(strings.Replace(string(data), "product: string", "product: int", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-plan", dealsPlan, "-events", dealsTable("bad-deals.csv")},
			"goalkit eval: " + dealsTable("bad-deals.csv") + `:3: column "close_date": not a date "2017-13-01": `},
		{[]string{"-plan", intPlan, "-events", dealsTable("deals.csv")},
			"goalkit eval: " + dealsMapping + `: attribute "product": the plan declares int, the mapping gives string` + "\n"},
	} {
		code, out, errs := runCLI(t, append([]string{"eval", "-mapping", dealsMapping, "-as-of", dealsAsOf}, c.args...)...)
		if code != 1 || out != "" || !strings.HasPrefix(errs, c.want) {
			t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 1 and\n%s", code, out, errs, c.want)
		}
	}
}

// Issue 16: import loads a table through a mapping into a database; a
// second import of the changed table corrects and retracts, so the
// database then reports what the changed table reports. A bad table
// applies nothing.
func TestImportMapping(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "crm.db")
	evalDB := func() string {
		t.Helper()
		code, out, errs := runCLI(t, "eval", "-plan", dealsPlan, "-source", db, "-as-of", dealsAsOf, "-format", "csv")
		if code != 0 {
			t.Fatalf("eval: exit %d: %s", code, errs)
		}
		return wonMarch(out)
	}
	evalCSV := func(table string) string {
		t.Helper()
		_, out, _ := runCLI(t, "eval", "-plan", dealsPlan, "-mapping", dealsMapping, "-events", dealsTable(table), "-as-of", dealsAsOf, "-format", "csv")
		return wonMarch(out)
	}
	for _, table := range []string{"deals.csv", "deals-changed.csv"} {
		code, out, errs := runCLI(t, "import", "-plan", dealsPlan, "-mapping", dealsMapping, "-events", dealsTable(table), "-source", db)
		if code != 0 || !strings.HasPrefix(out, "read ") {
			t.Fatalf("import %s: exit %d: %s%s", table, code, out, errs)
		}
		if got, want := evalDB(), evalCSV(table); got != want {
			t.Fatalf("after importing %s the database reports\n%s\nwant\n%s", table, got, want)
		}
	}
	before := evalDB()
	code, _, errs := runCLI(t, "import", "-mapping", dealsMapping, "-events", dealsTable("bad-deals.csv"), "-source", db)
	if want := dealsTable("bad-deals.csv") + `:3: column "close_date": not a date "2017-13-01"`; code != 1 || !strings.Contains(errs, want) {
		t.Fatalf("bad import: exit %d: %s\nwant %s", code, errs, want)
	}
	if after := evalDB(); after != before {
		t.Fatalf("a bad table changed the database:\n%s\nwas\n%s", after, before)
	}
}

// Issue 16: eval reads the mapping's table (table: deals) from a database,
// a host's own: goalkit's tables are not made there and its journal mode
// stays as it was.
func TestEvalMappingFromDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crm.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fillDeals(t, db, "deals", "?")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "eval", "-plan", dealsPlan, "-mapping", dealsMapping, "-source", "sqlite:"+path, "-as-of", dealsAsOf, "-format", "csv")
	_, want, _ := runCLI(t, "eval", "-plan", dealsPlan, "-mapping", dealsMapping, "-events", dealsTable("deals.csv"), "-as-of", dealsAsOf, "-format", "csv")
	if code != 0 || out != want {
		t.Fatalf("exit %d: %s\n%s\nwant\n%s", code, errs, out, want)
	}
	db, err = sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tables, mode string
	if err := db.QueryRowContext(ctx, "SELECT group_concat(name, ' ') FROM sqlite_master WHERE type = 'table'").Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if tables != "deals" || mode != "delete" {
		t.Errorf("the host's database after eval: tables %q, journal mode %q; want deals alone, delete", tables, mode)
	}
	// A file that is not there is named, and not made.
	missing := filepath.Join(t.TempDir(), "nocrm.db")
	code, _, errs = runCLI(t, "eval", "-plan", dealsPlan, "-mapping", dealsMapping, "-source", "sqlite:"+missing, "-as-of", dealsAsOf)
	if _, err := os.Stat(missing); code == 0 || !strings.Contains(errs, missing) || err == nil {
		t.Errorf("a missing file: exit %d, %q, stat %v", code, errs, err)
	}
}

// The same from a PostgreSQL database without goalkit's tables (the server
// of scripts/pg-test.sh, GOALKIT_PG_DSN; skipped without it).
func TestEvalMappingFromPostgres(t *testing.T) {
	src := pgSchema(t, "hostdb")
	db, err := sql.Open("pgx", src)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fillDeals(t, db, "deals", "$")
	code, out, errs := runCLI(t, "eval", "-plan", dealsPlan, "-mapping", dealsMapping, "-source", src, "-as-of", dealsAsOf, "-format", "csv")
	_, want, _ := runCLI(t, "eval", "-plan", dealsPlan, "-mapping", dealsMapping, "-events", dealsTable("deals.csv"), "-as-of", dealsAsOf, "-format", "csv")
	if code != 0 || out != want {
		t.Fatalf("exit %d: %s\n%s\nwant\n%s", code, errs, out, want)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'goalkit%'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("eval made %d goalkit tables in the host's database", n)
	}
}

// fillDeals creates table name in db with the columns and rows of the deals
// CSV table, all text; mark is the placeholder: "?" or "$" (numbered).
func fillDeals(t *testing.T, db *sql.DB, name, mark string) {
	t.Helper()
	f, err := os.Open(dealsTable("deals.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE " + name + " (" + strings.Join(recs[0], " text, ") + " text)"); err != nil {
		t.Fatal(err)
	}
	marks := make([]string, len(recs[0]))
	for i := range marks {
		marks[i] = "?"
		if mark == "$" {
			marks[i] = fmt.Sprintf("$%d", i+1)
		}
	}
	for _, vals := range recs[1:] {
		args := make([]any, len(vals))
		for i, v := range vals {
			args[i] = v
		}
		if _, err := db.Exec("INSERT INTO "+name+" VALUES ("+strings.Join(marks, ",")+")", args...); err != nil {
			t.Fatal(err)
		}
	}
}
