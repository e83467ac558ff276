// Package golden compares test output with golden files under testdata.
package golden

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
)

// Check compares got with the file at path. With update it writes got to the
// file first, so refreshing is `go test -update` after checking the change.
// A difference is reported at its first line.
func Check(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
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

// CheckOutput compares what write writes with the file at path, as Check
// does. An error from write fails the test.
func CheckOutput(t testing.TB, path string, update bool, write func(io.Writer) error) {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	Check(t, path, buf.Bytes(), update)
}
