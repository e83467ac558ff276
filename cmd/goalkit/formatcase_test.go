package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFormatAnyCase: every command reads -format in any letter case, as
// goalkit export reads the extension of -o (report.XLSX) and every command
// the extension of -events: -format CSV writes what -format csv writes,
// and a name that is no format is refused as it was given.
func TestFormatAnyCase(t *testing.T) {
	for _, c := range []struct{ lower, upper []string }{
		{[]string{"eval", "-plan", quickPlan, "-events", quickEvents, "-as-of", asOf, "-format", "csv"},
			[]string{"eval", "-plan", quickPlan, "-events", quickEvents, "-as-of", asOf, "-format", "CSV"}},
		{[]string{"eval", "-plan", quickPlan, "-events", quickEvents, "-as-of", asOf, "-format", "table"},
			[]string{"eval", "-plan", quickPlan, "-events", quickEvents, "-as-of", asOf, "-format", "Table"}},
		{[]string{"explain", "-plan", quickPlan, "-events", quickEvents, "-as-of", asOf, "-indicator", "won", "-participant", "anna", "-period", "2025-03", "-format", "json"},
			[]string{"explain", "-plan", quickPlan, "-events", quickEvents, "-as-of", asOf, "-indicator", "won", "-participant", "anna", "-period", "2025-03", "-format", "JSON"}},
	} {
		code, want, errs := runCLI(t, c.lower...)
		if code != 0 {
			t.Fatalf("goalkit %s: exit %d: %s", strings.Join(c.lower, " "), code, errs)
		}
		code, got, errs := runCLI(t, c.upper...)
		if code != 0 || got != want {
			t.Errorf("goalkit %s: exit %d, stderr %s\n%.300s\nwant what %s writes:\n%.300s", strings.Join(c.upper, " "), code, errs, got, c.lower[len(c.lower)-1], want)
		}
	}

	lower, code, errs := export(t, "report.svg", "-format", "svg")
	if code != 0 {
		t.Fatalf("export -format svg: exit %d: %s", code, errs)
	}
	upper, code, errs := export(t, "report.img", "-format", "SVG")
	if code != 0 {
		t.Fatalf("export -format SVG: exit %d: %s", code, errs)
	}
	a, errA := os.ReadFile(lower)
	b, errB := os.ReadFile(upper)
	if errA != nil || errB != nil || string(a) != string(b) {
		t.Errorf("export -format SVG wrote another chart than -format svg (%v, %v)", errA, errB)
	}

	code, _, errs = runCLI(t, "eval", "-plan", quickPlan, "-events", quickEvents, "-format", "XML")
	if want := `goalkit eval: -format must be json, table or csv, got "XML"`; code != 2 || !strings.Contains(errs, want) {
		t.Errorf("-format XML: exit %d, stderr %s\nwant exit 2 and %s", code, errs, want)
	}
}

// TestServeLogAnyCase: serve's -log, the format of its request log, is
// read as every -format is: -log JSON logs in JSON, and a name that
// is no format is refused as it was given.
func TestServeLogAnyCase(t *testing.T) {
	dir := t.TempDir()
	base, stop := startServe(t, "-plan", "../../serve/testdata/plan.yaml", "-directory", "../../serve/testdata/directory.json", "-source", "sqlite:"+filepath.Join(dir, "serve.db"), "-log", "JSON")
	if code, body := httpDo(t, "GET", base+"/healthz", "", ""); code != 200 {
		t.Fatalf("GET /healthz: %d %s", code, body)
	}
	code, logs := stop()
	if code != 0 {
		t.Fatalf("exit %d: %s", code, logs)
	}
	// The log of the snapshot at shutdown, a line of the logger -log sets.
	found := false
	for _, line := range strings.Split(logs, "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == "snapshot" {
			found = true
		}
	}
	if !found {
		t.Errorf("-log JSON: no JSON line of the snapshot at shutdown in:\n%s", logs)
	}
	code, _, errs := runCLI(t, "serve", "-plan", quickPlan, "-log", "XML")
	if want := `goalkit serve: -log must be text or json, got "XML"`; code != 2 || !strings.Contains(errs, want) {
		t.Errorf("-log XML: exit %d, stderr %s\nwant exit 2 and %s", code, errs, want)
	}
}

// TestServeLogJSONLines: under -log json every line serve writes on
// stderr is a JSON record, what it says of itself (the seed applied, the
// open access, the address) included; those were lines of text among the
// records, which a collector reading one record a line refused.
func TestServeLogJSONLines(t *testing.T) {
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed.ndjson")
	writeTestFile(t, seed, `{"id":"a1","kind":"deal.won","time":"2025-03-03T10:00:00Z","actor":"n1","amount":"100"}`+"\n")
	_, stop := startServe(t, "-plan", "../../serve/testdata/plan.yaml", "-directory", "../../serve/testdata/directory.json",
		"-source", "sqlite:"+filepath.Join(dir, "serve.db"), "-events", seed, "-log", "json")
	code, logs := stop()
	if code != 0 {
		t.Fatalf("exit %d: %s", code, logs)
	}
	var msgs []string
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var rec struct {
			Msg string `json:"msg"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("a line that is not a JSON record: %s", line)
			continue
		}
		msgs = append(msgs, rec.Msg)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"applied 1 of the 1 event versions", "every request is an admin", "goalkit serve: listening on http://127.0.0.1:"} {
		if !strings.Contains(all, want) {
			t.Errorf("no record says %q:\n%s", want, all)
		}
	}
}
