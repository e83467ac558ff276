package goalkittest

import (
	"regexp"
	"testing"
	"time"
)

// The command a counterexample gives evaluates as of the very instant the
// checks did: a fraction of a second, or an offset with seconds, is not
// cut off.
func TestSnippetAsOfIsTheChecksInstant(t *testing.T) {
	plan := CompilePlan(t, `
timezone: Europe/Berlin
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
`)
	berlin := plan.Calendar().Location()
	for _, asOf := range []time.Time{
		{}, // the default: the end of the report
		time.Date(2025, 3, 31, 23, 59, 59, 999_999_999, berlin),
		time.Date(2025, 3, 15, 12, 0, 0, 500_000_000, time.UTC),
		time.Date(2025, 3, 15, 12, 0, 0, 0, time.FixedZone("LMT", 19*60+32)),
	} {
		c := newChecker(plan, CheckOptions{AsOf: asOf})
		m := regexp.MustCompile(`-as-of (\S+)`).FindStringSubmatch(c.snippet(nil, nil))
		if m == nil {
			t.Fatalf("no -as-of in the snippet")
		}
		got, err := time.Parse(time.RFC3339Nano, m[1])
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(c.asOf) {
			t.Errorf("-as-of %s, the checks evaluate as of %s", m[1], c.asOf)
		}
	}
}
