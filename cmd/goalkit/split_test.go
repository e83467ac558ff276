package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// The fixtures of the split tests besides split.yaml: the units north and
// south, the deals of 2024 that -by history reads, and a plan of three
// cascades each split by a rule that reads its own fields.
var (
	splitDirectory = filepath.Join("testdata", "split-directory.json")
	splitHistory   = filepath.Join("testdata", "split-history.ndjson")
	splitRulesPlan = filepath.Join("testdata", "split-rules.yaml")
)

// splitCase is a run of goalkit split: its flags after those of the test,
// the exit code, and what it prints (the whole stdout, or a line of it:
// ok says which).
type splitCase struct {
	name string
	args []string
	code int
	want string
}

// runSplitCases runs each case as goalkit split with the flags before its
// own, as of 1 January 2025, and wants its exit code and what ok says of
// its stdout and stderr.
func runSplitCases(t *testing.T, flags []string, cases []splitCase, ok func(tt splitCase, stdout, stderr string) bool) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append([]string{"split"}, flags...), "-as-of", "2025-01-01T00:00:00Z")
			code, out, errOut := runCLI(t, append(args, tt.args...)...)
			if code != tt.code || !ok(tt, out, errOut) {
				t.Fatalf("exit %d (want %d)\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", code, tt.code, out, tt.want, errOut)
			}
		})
	}
}

func TestSplitCommand(t *testing.T) {
	plan := filepath.Join("testdata", "split.yaml")
	dir, history := splitDirectory, splitHistory
	runSplitCases(t, []string{"-plan", plan}, []splitCase{
		{"a goal over time by working days", []string{"-goal", "q1_revenue", "-by", "working_days"}, 0, `q1_revenue: revenue 3000000.00 of company 2025-Q1, split by working_days into month
node               period   start       end         target      weight
company 2025-Q1    2025-Q1  2025-01-01  2025-04-01  3000000.00
  company 2025-01  2025-01  2025-01-01  2025-02-01  879310.34   17
  company 2025-02  2025-02  2025-02-01  2025-03-01  1034482.76  20
  company 2025-03  2025-03  2025-03-01  2025-04-01  1086206.90  21
`},
		{"a goal by weights", []string{"-goal", "q1_revenue", "-by", "weights", "-into", "month", "-weights", "2025-01=1,2025-02=1,2025-03=2"}, 0, `q1_revenue: revenue 3000000.00 of company 2025-Q1, split by weights into month
node               period   start       end         target      weight
company 2025-Q1    2025-Q1  2025-01-01  2025-04-01  3000000.00
  company 2025-01  2025-01  2025-01-01  2025-02-01  750000.00   1
  company 2025-02  2025-02  2025-02-01  2025-03-01  750000.00   1
  company 2025-03  2025-03  2025-03-01  2025-04-01  1500000.00  2
`},
		// bob moved from south to north on 1 July 2024: his deal of March is
		// south's history, that of September north's.
		{"a cascade by history", []string{"-goal", "won_2025", "-events", history, "-directory", dir}, 0, `won_2025: won 1000 of company 2025, split by history into units
node          period  start       end         target  weight
company 2025  2025    2025-01-01  2026-01-01  1000
  north 2025  2025    2025-01-01  2026-01-01  429     3
  south 2025  2025    2025-01-01  2026-01-01  571     4
`},
		{"history without events", []string{"-goal", "won_2025", "-by", "history", "-directory", dir}, 2, ""},
		{"unknown goal", []string{"-goal", "nope", "-by", "even"}, 1, ""},
		{"bad weights", []string{"-goal", "q1_revenue", "-by", "weights", "-weights", "x"}, 2, ""},
	}, func(tt splitCase, stdout, _ string) bool { return stdout == tt.want })
	var errOut bytes.Buffer
	run(context.Background(), []string{"split", "-plan", plan, "-goal", "nope", "-by", "even"}, &bytes.Buffer{}, &errOut)
	if want := "goalkit split: no cascade or goal \"nope\" in the plan (there are: q1_revenue, won_2025)\n"; errOut.String() != want {
		t.Fatalf("stderr %q, want %q", errOut.String(), want)
	}
	errOut.Reset()
	run(context.Background(), []string{"split", "-plan", plan, "-goal", "q1_revenue", "-by", "weights", "-weights", "x"}, &bytes.Buffer{}, &errOut)
	if !strings.Contains(errOut.String(), `-weights: "x" is not KEY=NUMBER`) {
		t.Fatalf("stderr %q", errOut.String())
	}
}

// goalkit eval reads the directory that gives cascades their units.
func TestEvalDirectory(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"eval", "-plan", filepath.Join("testdata", "split.yaml"), "-events", filepath.Join("testdata", "split-history.ndjson"),
		"-directory", filepath.Join("testdata", "split-directory.json"), "-as-of", "2025-01-01T00:00:00Z", "-format", "table"}, &out, &errOut)
	want := `
cascade won_2025 (won_2025), won, roll-up by measure
  node          target  actual  achievement  contribution
  company 2025   1 000       0          0 %             —
    north 2025     429       0          0 %           0 %
    south 2025     571       0          0 %           0 %
`
	if code != 0 || !strings.HasSuffix(out.String(), want) {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errOut.String())
	}
}

// A key given twice in -weights is a mistake in the command line (exit 2,
// naming the key); the last weight was taken without a word, and the split
// was made by a weight the other half of the flag contradicts.
func TestSplitWeightsKeyTwice(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"split", "-plan", "testdata/split.yaml", "-goal", "q1_revenue", "-by", "weights",
		"-weights", "2025-01=1, 2025-02=1,2025-01 =2,2025-03=1"}, &out, &errOut)
	if code != 2 || out.Len() != 0 || !strings.Contains(errOut.String(), `-weights: "2025-01" is given more than once`) {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
}

// -by replaces the plan's rule, and with it what only the plan's rule reads
// (its weights, history or profile, and its units or members for a rule
// over time): the compile refuses a split's fields its rule does not read,
// and -by even on a cascade split by history: 2024 failed with the plan's
// error, -by calendar_days on one split into units too. What a flag of the command sets is kept,
// and a flag the rule does not read is the command line's mistake.
func TestSplitByDropsWhatThePlansRuleRead(t *testing.T) {
	history := splitHistory
	// want is a line of stdout, or of stderr where the code is not 0; an
	// error of the command line (exit 2) names no line of the plan.
	runSplitCases(t, []string{"-plan", splitRulesPlan, "-directory", splitDirectory}, []splitCase{
		// 1000 in two: 500 each.
		{"history dropped by even", []string{"-goal", "by_history", "-by", "even"}, 0, "  north 2025  2025    2025-01-01  2026-01-01  500"},
		// The weights of capacity are what by: weights reads: 3 of 4 is 750.
		{"weights kept by weights", []string{"-goal", "by_capacity", "-by", "weights"}, 0, "  north 2025  2025    2025-01-01  2026-01-01  750     3"},
		// Without the weights of capacity, by history: ann and bob's
		// deal of September are north's 3 of 7 (429 of 1000, as in
		// TestSplitCommand).
		{"weights dropped by history", []string{"-goal", "by_capacity", "-by", "history", "-events", history}, 0, "  north 2025  2025    2025-01-01  2026-01-01  429     3"},
		// 1000 in four quarters: 250 each.
		{"profile dropped by even", []string{"-goal", "by_season", "-by", "even"}, 0, "  company 2025-Q4  2025-Q4  2025-10-01  2026-01-01  250"},
		// The plan's into: units was its rule's: a rule over time splits
		// into months, as -into's default. 1000 by the 365 days of 2025:
		// each month floor(1000×days/365), the 8 left to the largest
		// remainders (the seven months of 31 days, .93, and February's
		// .71 before the .19 of those of 30): February 76+1.
		{"units dropped by calendar_days", []string{"-goal", "by_capacity", "-by", "calendar_days"}, 0, "  company 2025-02  2025-02  2025-02-01  2025-03-01  77      28"},
		{"units given to calendar_days", []string{"-goal", "by_capacity", "-by", "calendar_days", "-into", "units"}, 2, "-into units: the split of by_capacity is by calendar_days, which splits over time, not into units"},
		// No flag gives a profile: the command line's mistake (exit 2).
		{"seasonal without a profile", []string{"-goal", "by_history", "-by", "seasonal"}, 2, "-by seasonal needs the profile of a seasonal split (one weight per child), and the split of by_history has none"},
		// A flag the rule does not read, or a negative weight, is the
		// command line's mistake (exit 2), never the plan's at the line of
		// its first cascade (by_history's, whatever -goal names).
		{"a flag the new rule does not read", []string{"-goal", "by_history", "-by", "even", "-weights", "north=1"}, 2, "-weights applies to -by weights or capacity; the split of by_history is by even"},
		{"weights the plan's rule does not read", []string{"-goal", "by_season", "-weights", "north=1"}, 2, "-weights applies to -by weights or capacity; the split of by_season is by seasonal"},
		{"history the rule does not read", []string{"-goal", "by_capacity", "-history", "2024"}, 2, "-history applies to -by history; the split of by_capacity is by capacity"},
		{"a negative weight", []string{"-goal", "by_capacity", "-weights", "north=-1,south=1"}, 2, `-weights: the weight of "north" is negative: -1`},
		{"units given to the plan's rule over time", []string{"-goal", "by_season", "-into", "members"}, 2, "-into members: the split of by_season is by seasonal, which splits over time, not into members"},
	}, func(tt splitCase, stdout, stderr string) bool {
		if tt.code != 0 {
			return strings.Contains(stderr, tt.want) && (tt.code != 2 || !strings.Contains(stderr, "split-rules.yaml"))
		}
		return strings.Contains(stdout, tt.want)
	})
}
