package main

import (
	"path/filepath"
	"testing"
)

// goalkit eval -format csv refuses a report whose goals and cascades CSV
// would leave out, naming them and the formats that hold them, and writes
// nothing.
func TestEvalCSVRefusesWhatItCannotHold(t *testing.T) {
	code, out, errs := runCLI(t, "eval", "-plan", filepath.Join("testdata", "split.yaml"), "-events", filepath.Join("testdata", "split-history.ndjson"),
		"-directory", filepath.Join("testdata", "split-directory.json"), "-as-of", "2025-01-01T00:00:00Z", "-format", "csv")
	want := "goalkit eval: csv holds the indicator values only, and this report also has goals and cascades: write it as json or table\n"
	if code != 1 || out != "" || errs != want {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 1, no output and %q", code, out, errs, want)
	}
}
