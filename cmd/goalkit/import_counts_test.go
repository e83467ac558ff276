package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goalkit import said "imported N event versions" whatever it stored: the
// same file imported twice said so both times. It says how many events
// the file added, changed and retracted, and how many it left as the
// database held them, counted here by hand.
func TestImportCountsWhatChanged(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "events.db")
	write := func(name string, lines ...string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a1 := `{"id":"a1","kind":"deal.won","time":"2025-03-03T11:25:00+03:00","actor":"anna","amount":"100.50","currency":"RUB","attrs":{"source":"web"}}`
	a2 := `{"id":"a2","kind":"deal.won","time":"2025-03-04T11:25:00+03:00","actor":"anna","amount":"7","currency":"RUB"}`
	a2b := `{"id":"a2","kind":"deal.won","time":"2025-03-04T11:25:00+03:00","actor":"boris","amount":"7","currency":"RUB"}`
	a3 := `{"id":"a3","kind":"lead.created","time":"2025-03-05T09:00:00Z","actor":"boris"}`
	first := write("first.ndjson", a1, a2, a3, a2b, a1)
	// The second file: a1 as held, a2 changed back to anna, a3 retracted,
	// a4 new, a5 retracted though never held.
	second := write("second.ndjson", a1, a2, `{"id":"a3","deleted":true}`,
		`{"id":"a4","kind":"lead.created","time":"2025-03-06T09:00:00Z","actor":"anna"}`, `{"id":"a5","deleted":true}`)
	for _, c := range []struct {
		file                                  string
		read, added, changed, retracted, same int
	}{
		{first, 5, 3, 0, 0, 0},
		{first, 5, 0, 0, 0, 3}, // the same file again changes nothing
		{second, 5, 1, 1, 1, 2},
		{second, 5, 0, 0, 0, 5},
	} {
		code, out, errs := runCLI(t, "import", "-events", c.file, "-source", db)
		want := fmt.Sprintf("imported %d event versions from %s: %d events new, %d changed, %d retracted, %d as the database held them\n",
			c.read, c.file, c.added, c.changed, c.retracted, c.same)
		if code != 0 || out != want {
			t.Fatalf("import %s: exit %d: %q%s, want %q", filepath.Base(c.file), code, out, errs, want)
		}
	}
	// A file with typed attributes, corrections and a retraction reads back
	// from the database as it was written: imported again, it changes
	// nothing.
	data, err := os.ReadFile(quickEvents)
	if err != nil {
		t.Fatal(err)
	}
	lines, ids := 0, map[string]bool{}
	for _, l := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		lines++
		var e struct{ ID string }
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatal(err)
		}
		ids[e.ID] = true
	}
	quick := "sqlite:" + filepath.Join(dir, "quick.db")
	if code, _, errs := runCLI(t, "import", "-events", quickEvents, "-source", quick, "-plan", quickPlan); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := runCLI(t, "import", "-events", quickEvents, "-source", quick, "-plan", quickPlan)
	want := fmt.Sprintf("imported %d event versions from %s: 0 events new, 0 changed, 0 retracted, %d as the database held them\n", lines, quickEvents, len(ids))
	if code != 0 || out != want {
		t.Fatalf("the quickstart's events again: exit %d: %q%s, want %q", code, out, errs, want)
	}
}

// A database with a row it cannot read back (written badly by another
// program) still takes an import, which may mend the row: the changes are
// not counted, and the line says why. Counting them refused the import.
func TestImportIntoADatabaseWithABadRow(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "events.db")
	good := filepath.Join(dir, "good.ndjson")
	if err := os.WriteFile(good, []byte(`{"id":"a1","kind":"deal.won","time":"2025-03-03T11:25:00Z","actor":"anna"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCLI(t, "import", "-events", good, "-source", "sqlite:"+file); code != 0 {
		t.Fatal(errs)
	}
	db, err := sql.Open("sqlite", file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE goalkit_events SET kind = 'deal' || char(1) WHERE id = 'a1'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out, errs := runCLI(t, "import", "-events", good, "-source", "sqlite:"+file)
	if code != 0 || !strings.HasPrefix(out, "imported 1 event versions from "+good+" (what they changed is not counted: reading what the database held failed: ") {
		t.Fatalf("import over a bad row: exit %d: %q%s", code, out, errs)
	}
	// The import mended the row: it reads back, and a third import counts.
	code, out, errs = runCLI(t, "import", "-events", good, "-source", "sqlite:"+file)
	if want := "imported 1 event versions from " + good + ": 0 events new, 0 changed, 0 retracted, 1 as the database held them\n"; code != 0 || out != want {
		t.Fatalf("import again: exit %d: %q%s, want %q", code, out, errs, want)
	}
}
