package main

import (
	"path/filepath"
	"strconv"
	"testing"
)

// goalkit import said "imported N event versions", N the versions read: the
// same file imported again said it imported them all, though it changed
// nothing. It says it read them, and what the count leaves in.
func TestImportSaysItRead(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "events.db")
	events := filepath.Join(dir, "events.ndjson")
	// Three versions: a1, its correction, a2.
	writeTestFile(t, events, `{"id":"a1","kind":"deal.won","time":"2025-03-03T10:00:00Z","actor":"n1","amount":"100"}`+"\n"+
		`{"id":"a1","kind":"deal.won","time":"2025-03-03T10:00:00Z","actor":"n1","amount":"150"}`+"\n"+
		`{"id":"a2","kind":"deal.won","time":"2025-03-04T10:00:00Z","actor":"s2","amount":"23.5"}`+"\n")
	want := "read 3 event versions from " + events + " and applied them in one transaction (a version equal to the one the database holds, or replaced by a later one of the file, changes nothing)\n"
	for _, run := range []string{"first", "again"} {
		code, out, errs := runCLI(t, "import", "-events", events, "-source", db)
		if code != 0 || out != want || errs != "" {
			t.Errorf("import %s: exit %d, stdout %q, stderr %q, want stdout %q", run, code, out, errs, want)
		}
	}
	// The quickstart's file: one version a line.
	code, out, errs := runCLI(t, "import", "-events", quickEvents, "-source", db)
	want = "read " + strconv.Itoa(versions(t, quickEvents)) + " event versions from " + quickEvents + " and applied them in one transaction (a version equal to the one the database holds, or replaced by a later one of the file, changes nothing)\n"
	if code != 0 || out != want {
		t.Errorf("import %s: exit %d, stdout %q, stderr %q, want stdout %q", quickEvents, code, out, errs, want)
	}
}
