package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/goalkittest"
)

const (
	analyticsPlan   = "../../examples/analytics/plan.yaml"
	analyticsEvents = "../../examples/analytics/events.ndjson"
)

// explain -by explains one breakdown row; a wrong -by is a usage error
// that names the flag.
func TestExplainBy(t *testing.T) {
	code, out, errs := runCLI(t, "explain", "-plan", analyticsPlan, "-events", analyticsEvents, "-as-of", "2025-04-01T00:00:00+03:00",
		"-indicator", "conversion", "-participant", "boris", "-period", "2025-03", "-by", "source=ads")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"conversion for boris with source = ads in 2025-03 = 200", "created for boris with source = ads in 2025-03 = 1", "another breakdown row: 2 events"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, tc := range []struct{ by, want string }{
		{"sorce=ads", `goalkit explain: -by: "sorce" is not an attribute indicator conversion is broken down by (source)`},
		{"source=ads,source=web", "goalkit explain: -by: source is given twice"},
	} {
		code, _, errs := runCLI(t, "explain", "-plan", analyticsPlan, "-events", analyticsEvents,
			"-indicator", "conversion", "-participant", "boris", "-period", "2025-03", "-by", tc.by)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("-by %s: exit %d, %q; want 2 and %q", tc.by, code, errs, tc.want)
		}
	}
}

// FuzzParseBy feeds arbitrary -by values to the parser: it refuses them with
// an error or returns one value for each attribute of the indicator's by,
// and never panics.
func FuzzParseBy(f *testing.F) {
	plan := goalkittest.ReadPlan(f, analyticsPlan)
	for _, s := range []string{"source=web", "source", "source=", "product=crm", "source=a,source=b", "=,=", "source=web,"} {
		f.Add("conversion", s)
		f.Add("revenue", s)
	}
	f.Fuzz(func(t *testing.T, indicator, text string) {
		vals, err := parseBy(plan, indicator, text)
		if err != nil {
			return
		}
		ix, _ := plan.Indicators().Lookup(indicator)
		if len(vals) != len(ix.Def.By) {
			t.Fatalf("%s %q: %d values for by %v", indicator, text, len(vals), ix.Def.By)
		}
		_ = fmt.Sprint(vals)
	})
}
