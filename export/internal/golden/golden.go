// Package golden compares test output with golden files under testdata,
// as the engine's tests do: `go test -update` rewrites them.
package golden

import (
	"flag"
	"os"
	"strings"
	"testing"
)

// Update is the -update flag of the tests that import the package.
var Update = flag.Bool("update", false, "rewrite the golden files")

// Check compares got with the file at path; with -update it writes got to
// the file first. A difference is reported at its first line.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *Update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(got) == string(want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(gl), len(wl)) {
		if gl[i] != wl[i] {
			t.Fatalf("output differs from %s at line %d:\n got %s\nwant %s\n(run with -update if the change is intended)", path, i+1, gl[i], wl[i])
		}
	}
	t.Fatalf("output differs from %s in length: %d lines, want %d (run with -update if the change is intended)", path, len(gl), len(wl))
}
