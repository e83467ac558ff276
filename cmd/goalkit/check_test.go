package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		plan string
		code int
		want []string
	}{
		{"../../goalkittest/testdata/good-sales.yaml", 0, []string{"PASS live_equals_batch", "PASS scores_monotone", "7 properties, 0 failed, 50 cases each"}},
		{"../../goalkittest/testdata/broken-tier-gap.yaml", 1, []string{"FAIL scores_monotone", "actual 14 and the better actual 15: the score falls from 50 to 0", "--- plan.yaml", "goalkit eval -plan plan.yaml -events better.ndjson"}},
		{"../../goalkittest/testdata/broken-cascade-weights.yaml", 1, []string{"FAIL splits_add_back", "add up to 90000, not to its target 100000"}},
	} {
		t.Run(filepath.Base(c.plan), func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), []string{"check", "-plan", c.plan, "-checks", "50", "-seed", "7", "-shrink-time", "10s"}, &out, &errOut)
			if code != c.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, c.code, out.String(), errOut.String())
			}
			for _, w := range c.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

// TestCheckSetup: a plan that does not evaluate at all fails once, with the
// reason.
func TestCheckSetup(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"check", "-plan", "../../testdata/goals/seed.yaml", "-directory", "../../examples/cascade/directory.json", "-checks", "5"}, &out, &errOut)
	if code != 1 || !strings.Contains(out.String(), "FAIL setup") || !strings.Contains(out.String(), `team "sales" is not in the directory`) {
		t.Fatalf("exit %d:\n%s%s", code, out.String(), errOut.String())
	}
}

func TestCheckUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"check"}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "-plan is required") {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
}

// Issue 17: the replay command of a failure carries every flag that made
// the run, so that running it gives the same failure.
func TestCheckReplayCarriesFlags(t *testing.T) {
	code, out, errs := runCLI(t, "check", "-plan", "../../goalkittest/testdata/broken-tier-gap.yaml", "-checks", "50", "-seed", "7",
		"-as-of", "2025-12-31T00:00:00Z", "-directory", "../../examples/cascade/directory.json", "-require-defined", "-shrink-time", "10s")
	if code != 1 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	re := regexp.MustCompile(`replay: (.*)`)
	m := re.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no replay command:\n%s", out)
	}
	want := regexp.MustCompile(`^goalkit check -as-of 2025-12-31T00:00:00Z -directory \.\./\.\./examples/cascade/directory\.json -plan \.\./\.\./goalkittest/testdata/broken-tier-gap\.yaml -require-defined=true -shrink-time 10s -checks 50 -seed \d+$`)
	if !want.MatchString(m[1]) {
		t.Fatalf("replay: %s\nwant it to match %s", m[1], want)
	}
}
