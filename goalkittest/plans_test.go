package goalkittest_test

import (
	"context"
	"slices"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// TestPlansDraw checks what Plans promises of the plans it draws, over
// fixed seeds: a zone of Zones, one to five indicators (a ratio formula only
// over two others), a report of months, weeks or quarters starting in
// 2025, sometimes a scorecard with a bonus; each compiles.
func TestPlansDraw(t *testing.T) {
	seen := map[any]int{}
	for i := range 500 {
		def := goalkittest.Plans().Example(i)
		plan, err := goalkit.Compile(def)
		if err != nil {
			t.Fatalf("plan %d: %v", i, err)
		}
		if !slices.Contains(goalkittest.Zones, def.Timezone) {
			t.Errorf("plan %d: zone %s", i, def.Timezone)
		}
		n := len(def.Indicators)
		if n < 1 || n > 5 {
			t.Errorf("plan %d: %d indicators", i, n)
		}
		seen[n]++
		for _, d := range def.Indicators {
			if d.Formula != "" && n < 3 {
				t.Errorf("plan %d: formula %q over fewer than two indicators", i, d.Formula)
			}
			seen[string(d.Aggregate)]++
		}
		if g := def.Report.Grain; g != period.Month && g != period.Week && g != period.Quarter {
			t.Errorf("plan %d: grain %s", i, g)
		}
		seen[def.Report.Grain]++
		for _, p := range plan.Periods() {
			if start, _ := plan.Calendar().Bounds(p); start.Year() != 2025 {
				t.Errorf("plan %d: period %s starts in %d", i, p, start.Year())
			}
		}
		if len(def.Scorecards) > 0 {
			if len(def.Bonuses) == 0 {
				t.Errorf("plan %d: a scorecard without a bonus", i)
			}
			seen["scorecard"]++
		}
	}
	for _, want := range []any{1, 2, 3, 4, 5, "count", "sum", "avg", "min", "max", "distinct", period.Month, period.Week, period.Quarter, "scorecard"} {
		if seen[want] == 0 {
			t.Errorf("no plan with %v: %v", want, seen)
		}
	}
}

// Directories over users among whom is "" (events without an actor, which
// CheckOptions.Actors may hold) draws directories of the others, "" in no
// unit; it failed every draw with "a membership needs a user and a unit".
func TestDirectoriesWithoutAnActor(t *testing.T) {
	users := []string{"u1", "", "u2"}
	gen := goalkittest.Directories(users, date.New(2025, 1, 1), date.New(2025, 4, 1))
	for i := range 100 {
		d := gen.Example(i)
		ms, err := d.Memberships(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		in := map[string]bool{}
		for _, m := range ms {
			in[m.User] = true
		}
		if in[""] || !in["u1"] || !in["u2"] {
			t.Fatalf("directory %d: members %v, want u1 and u2", i, in)
		}
	}
}
