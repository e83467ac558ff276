package scaleouttest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
)

// SameAsBatch fails unless the report of plan over the merged parts of src
// (the log never scanned) equals Plan.Evaluate over the final events, both
// as of asOf with opts, and returns the merged report. A failure shows the
// first lines of the reports' JSON that differ.
func SameAsBatch(t testing.TB, plan *goalkit.Plan, src *scaleout.Source, final []kpi.Event, asOf time.Time, opts ...goalkit.EvalOption) *goalkit.Report {
	t.Helper()
	ctx := context.Background()
	want, err := plan.Evaluate(ctx, kpi.Events(final), asOf, opts...)
	if err != nil {
		t.Fatal(err)
	}
	got, err := plan.Evaluate(ctx, PartsOnly{src}, asOf, opts...)
	if err != nil {
		t.Fatal(err)
	}
	SameReport(t, "merged report", got, want)
	return got
}

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

// EventuallySameAsBatch waits, up to timeout, until the report of plan over
// the merged parts of src equals Plan.Evaluate over the final events (for
// workers that run on while it is read), then checks it as SameAsBatch
// does and returns the merged report.
func EventuallySameAsBatch(t testing.TB, plan *goalkit.Plan, src *scaleout.Source, final []kpi.Event, asOf time.Time, timeout time.Duration, opts ...goalkit.EvalOption) *goalkit.Report {
	t.Helper()
	ctx := context.Background()
	want, err := plan.Evaluate(ctx, kpi.Events(final), asOf, opts...)
	if err != nil {
		t.Fatal(err)
	}
	var w strings.Builder
	if err := want.WriteJSON(&w); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		got, err := plan.Evaluate(ctx, PartsOnly{src}, asOf, opts...)
		var g strings.Builder
		if err == nil && got.WriteJSON(&g) == nil && g.String() == w.String() {
			break
		}
	}
	return SameAsBatch(t, plan, src, final, asOf, opts...)
}
