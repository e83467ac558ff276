package cascade_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// A person who moves from one team to another counts for the old team up
// to the last instant of the day before the move and for the new one from
// the first instant of the move's day, in the calendar's zone: events drawn
// within hours of the move's midnight, on days when the clocks change
// included, are credited by the local date Go's own zone rules give them
// (time.In), and a user node below each team counts only its own part.
func TestMoveOnDayBoundaryInZones(t *testing.T) {
	inds, err := kpi.Compile(testIndicators, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	// Moves near the changes of the clocks of 2025 in each zone.
	zones := []struct {
		name  string
		moves []string
	}{
		{"America/New_York", []string{"2025-03-09", "2025-03-10", "2025-11-02", "2025-11-03"}},
		{"Europe/Berlin", []string{"2025-03-30", "2025-03-31", "2025-10-26", "2025-10-27"}},
		{"America/Santiago", []string{"2025-04-06", "2025-04-05", "2025-09-07", "2025-09-08"}},
		{"America/Havana", []string{"2025-03-09", "2025-03-10", "2025-11-02"}},
		{"Australia/Lord_Howe", []string{"2025-04-06", "2025-10-05"}},
		{"Asia/Kolkata", []string{"2025-06-15"}},
	}
	cals := make([]*period.Calendar, len(zones))
	for i, z := range zones {
		if cals[i], err = period.LoadCalendar(z.name); err != nil {
			t.Fatal(err)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		zi := rapid.IntRange(0, len(zones)-1).Draw(t, "zone")
		cal, loc := cals[zi], cals[zi].Location()
		move := enginetest.Date(rapid.SampledFrom(zones[zi].moves).Draw(t, "move"))
		dir := enginetest.Directory(
			[]org.Unit{{ID: "a"}, {ID: "b"}},
			[]org.Membership{{User: "u1", Unit: "a", To: move}, {User: "u1", Unit: "b", From: move}},
		)
		y, m, dd := move.Date()
		// The move's midnight by Go's rules: the first second whose local
		// date is the move's (a skipped midnight is the jump's instant).
		midnight := time.Date(y, m, dd, 0, 0, 0, 0, loc)
		for midnight.Add(-time.Second).In(loc).Day() == dd {
			midnight = midnight.Add(-time.Second)
		}
		for midnight.In(loc).Day() != dd {
			midnight = midnight.Add(time.Second)
		}
		var evs events
		want := map[string]int64{}
		for i := range rapid.IntRange(1, 12).Draw(t, "events") {
			at := midnight.Add(time.Duration(rapid.Int64Range(-3*3600, 3*3600).Draw(t, "offset")) * time.Second)
			evs = append(evs, kpi.Event{ID: fmt.Sprint(i), Kind: "deal.won", Actor: "u1", Time: at})
			if date.NewAt(at.In(loc)) < move {
				want["a"]++
			} else {
				want["b"]++
			}
		}
		s, err := cascade.Compile([]cascade.Def{{ID: "t", Indicator: "won", Root: cascade.NodeDef{
			Period: cal.Label(cal.Containing(period.Month, move-2)),
			Target: dp("10"),
			Children: []cascade.NodeDef{
				{ID: "a", Unit: "a", Children: []cascade.NodeDef{{ID: "a_u1", User: "u1"}}},
				{ID: "b", Unit: "b", Children: []cascade.NodeDef{{ID: "b_u1", User: "u1"}}},
			},
		}}}, cascade.Env{Calendar: cal, Indicators: inds})
		if err != nil {
			t.Fatal(err)
		}
		if cal.Containing(period.Month, move-2) != cal.Containing(period.Month, move+1) {
			return // the window crosses a month: the root's period would not hold both sides
		}
		res, err := evaluate(s, evs, dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"a", "a_u1", "b", "b_u1"} {
			n := find(t, res.Trees[0].Root, id)
			w := want[id[:1]]
			if !n.Actual.Valid || n.Actual.Decimal.IntPart() != w || !n.Actual.Decimal.IsInteger() {
				t.Fatalf("%s in %s, move on %s: actual %v, want %d", id, zones[zi].name, move, n.Actual, w)
			}
		}
	})
}
