package scaleouttest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
)

// SameReport fails unless got's JSON is want's, want being the batch
// evaluation got is checked against; what names got in the failure, which
// shows the first lines of the reports' JSON that differ.
func SameReport(t testing.TB, what string, got, want *goalkit.Report) {
	t.Helper()
	var g, w strings.Builder
	if err := got.WriteJSON(&g); err != nil {
		t.Fatal(err)
	}
	if err := want.WriteJSON(&w); err != nil {
		t.Fatal(err)
	}
	if g.String() == w.String() {
		return
	}
	gl, wl := strings.Split(g.String(), "\n"), strings.Split(w.String(), "\n")
	var diff []string
	for i := range max(len(gl), len(wl)) {
		if i >= len(gl) || i >= len(wl) || gl[i] != wl[i] {
			diff = append(diff, fmt.Sprintf("line %d:\n got %s\nwant %s", i+1, line(gl, i), line(wl, i)))
		}
	}
	t.Fatalf("%s differs from the batch evaluation (%d of %d lines):\n%s", what, len(diff), len(wl), strings.Join(diff[:min(len(diff), 10)], "\n"))
}

func line(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "(none)"
}
