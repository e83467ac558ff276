package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestExplainChangeSpecMessy: -explain-change reads its fields with the
// spaces around them dropped, as -weights does, and refuses an empty
// ATTRIBUTE and a change given twice; the spaces made a label that was
// refused under a garbled message, the empty attribute was no breakdown
// and the change given twice was in the report twice.
func TestExplainChangeSpecMessy(t *testing.T) {
	args := func(spec string) []string {
		return []string{"eval", "-plan", quickPlan, "-events", quickEvents, "-as-of", asOf, "-explain-change", spec}
	}
	code, plain, errs := runCLI(t, args("revenue:2025-02:2025-03:source")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	code, spaced, errs := runCLI(t, args(" revenue : 2025-02 : 2025-03 : source ")...)
	if code != 0 || spaced != plain {
		t.Errorf("spaces around the fields: exit %d, %s\nthe report differs from the one without them", code, errs)
	}
	var rep struct {
		Changes []json.RawMessage `json:"changes"`
	}
	if err := json.Unmarshal([]byte(plain), &rep); err != nil || len(rep.Changes) != 1 {
		t.Fatalf("the report has %d changes (%v), want 1", len(rep.Changes), err)
	}
	for _, c := range []struct{ spec, want string }{
		{"revenue:2025-02:2025-03:", `goalkit eval: -explain-change: "revenue:2025-02:2025-03:" is not INDICATOR:FROM:TO[:ATTRIBUTE]`},
		{"revenue:2025-02:2025-03: ", `goalkit eval: -explain-change: "revenue:2025-02:2025-03: " is not INDICATOR:FROM:TO[:ATTRIBUTE]`},
		{"revenue:2025-02:2025-03,revenue: 2025-02:2025-03", `goalkit eval: -explain-change: "revenue:2025-02:2025-03" is given more than once`},
	} {
		code, out, errs := runCLI(t, args(c.spec)...)
		if code != 2 || out != "" || !strings.Contains(errs, c.want) {
			t.Errorf("%q: exit %d, stdout %.80q, stderr %s\nwant exit 2 and %s", c.spec, code, out, errs, c.want)
		}
	}
}
