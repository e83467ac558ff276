package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pgregory.net/rapid"
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

// The counts of goalkit import against a model of the database written
// here: each event's state is its last version's fields (an amount by its
// value, as reports read it), and a file's count of an event compares its
// last version in the file with the state before the file.
func TestImportCountsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		dir, err := os.MkdirTemp("", "import")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		db := "sqlite:" + filepath.Join(dir, "events.db")
		type state struct {
			kind, actor, time, source string
			amount                    *big.Rat
		}
		same := func(a, b state) bool {
			if (a.amount == nil) != (b.amount == nil) || a.amount != nil && a.amount.Cmp(b.amount) != 0 {
				return false
			}
			a.amount, b.amount = nil, nil
			return a == b
		}
		held := map[string]state{}
		for f := range rapid.IntRange(1, 3).Draw(t, "files") {
			n := rapid.IntRange(1, 8).Draw(t, "versions")
			var lines []string
			last := map[string]*state{} // nil: retracted
			for i := range n {
				id := rapid.SampledFrom([]string{"a1", "a2", "a3"}).Draw(t, fmt.Sprintf("id%d", i))
				if rapid.IntRange(0, 4).Draw(t, fmt.Sprintf("deleted%d", i)) == 0 {
					lines = append(lines, `{"id":"`+id+`","deleted":true}`)
					last[id] = nil
					continue
				}
				s := state{kind: rapid.SampledFrom([]string{"deal.won", "lead.created"}).Draw(t, fmt.Sprintf("kind%d", i)),
					actor:  rapid.SampledFrom([]string{"anna", "boris"}).Draw(t, fmt.Sprintf("actor%d", i)),
					time:   rapid.SampledFrom([]string{"2025-03-03T11:25:00Z", "2025-03-03T14:25:00+03:00", "2025-03-04T09:00:00Z"}).Draw(t, fmt.Sprintf("time%d", i)),
					source: rapid.SampledFrom([]string{"", "web", "crm"}).Draw(t, fmt.Sprintf("source%d", i))}
				line := `{"id":"` + id + `","kind":"` + s.kind + `","time":"` + s.time + `","actor":"` + s.actor + `"`
				if a := rapid.SampledFrom([]string{"", "1", "1.0", "2.50", "2.5"}).Draw(t, fmt.Sprintf("amount%d", i)); a != "" {
					s.amount, _ = new(big.Rat).SetString(a)
					line += `,"amount":"` + a + `","currency":"RUB"`
				}
				if s.source != "" {
					line += `,"attrs":{"source":"` + s.source + `"}`
				}
				lines = append(lines, line+"}")
				last[id] = &s
			}
			var added, changed, retracted, kept int
			for id, s := range last {
				before, had := held[id]
				switch {
				case s == nil && had:
					retracted++
					delete(held, id)
				case s == nil:
					kept++
				case !had:
					added++
					held[id] = *s
				case same(before, *s):
					kept++
					held[id] = *s
				default:
					changed++
					held[id] = *s
				}
			}
			file := filepath.Join(dir, fmt.Sprintf("f%d.ndjson", f))
			if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			var out, errb bytes.Buffer
			if code := run(context.Background(), []string{"import", "-events", file, "-source", db}, &out, &errb); code != 0 {
				t.Fatalf("import: exit %d: %s", code, errb.String())
			}
			want := fmt.Sprintf("imported %d event versions from %s: %d events new, %d changed, %d retracted, %d as the database held them\n", n, file, added, changed, retracted, kept)
			if out.String() != want {
				t.Fatalf("file %d:\n%s\ngot  %q\nwant %q", f, strings.Join(lines, "\n"), out.String(), want)
			}
		}
	})
}
