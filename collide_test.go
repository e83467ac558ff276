package goalkit_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// collidePlan counts calls, with a goal of the team "1", a scorecard and
// two departments leaderboards: the team's actual calls per head, and
// the members' scores per head.
const collidePlan = `timezone: UTC
indicators:
  - {id: calls, kinds: [call], aggregate: count}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
goals:
  - id: g
    indicator: calls
    target: 5
    period: {from: 2025-03-01, every: month}
    participants: {teams: ["1"]}
scorecards:
  - id: sc
    grain: month
    kpis:
      - {indicator: calls, target: 10, weight: 100}
leaderboards:
  - {id: actual, scorecard: sc, level: departments, metric: actual, kpi: calls}
  - {id: scores, scorecard: sc, level: departments}
`

// collideDirectory numbers its units as it numbers its users, as Bitrix24
// does: department 1 is the root and user 1 the portal's owner, in it;
// user 7 is in department 2, under 1.
func collideDirectory(t *testing.T) *memory.Directory {
	t.Helper()
	dir, err := memory.NewDirectory([]org.Unit{{ID: "1"}, {ID: "2", Parent: "1"}},
		[]org.Membership{{User: "1", Unit: "1"}, {User: "7", Unit: "2"}})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// collideEvents: user 1 makes 2 calls, user 7 makes 3, in March 2025.
func collideEvents() []kpi.Event {
	var evs []kpi.Event
	for i, a := range []string{"1", "1", "7", "7", "7"} {
		evs = append(evs, kpi.Event{ID: fmt.Sprintf("e%d", i), Kind: "call", Actor: a, Time: time.Date(2025, 3, 3+i, 10, 0, 0, 0, time.UTC)})
	}
	return evs
}

// A directory whose unit ids are also actor ids (Bitrix24's department 1
// and user 1) evaluates: the actor's row is the actor's, the unit's team
// row is left out of the values with a warning that names it, and the
// goals and departments leaderboards count the unit's members. Every
// report failed with `participant "1" is both an actor and a group`.
func TestUnitIDsThatAreActorIDs(t *testing.T) {
	ctx := context.Background()
	plan := parsePlan(t, collidePlan)
	dir := collideDirectory(t)
	asOf := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	march := plan.Periods()[0]
	check := func(what string, rep *goalkit.Report) {
		t.Helper()
		// By hand: user 1 made 2 calls, user 7 made 3; unit 2 is user 7,
		// unit 1 is users 1 and 7: 5 calls, 2 heads.
		for who, want := range map[string]string{"1": "2", "7": "3", "2": "3", "*": "5"} {
			v, ok := rep.Values.Value("calls", who, march)
			if !ok || v.Decimal.String() != want {
				t.Errorf("%s: calls of %q: %v (ok %v), want %s", what, who, v, ok, want)
			}
		}
		if rep.Values.IsGroup("1") || !rep.Values.IsGroup("2") {
			t.Errorf("%s: \"1\" is the actor's row, \"2\" the unit's", what)
		}
		warned := false
		for _, w := range rep.Values.Warnings {
			warned = warned || (w.Participant == "1" && strings.Contains(w.Msg, `group "1" has no row`))
		}
		if !warned {
			t.Errorf("%s: no warning names the unit 1 left out of the values: %+v", what, rep.Values.Warnings)
		}
		if rows := rep.Goals.Rows; len(rows) != 1 || rows[0].Participant != "1" || rows[0].Actual.Decimal.String() != "5" {
			t.Errorf("%s: the goal of team 1: %+v, want one row of 5 calls", what, rows)
		}
		// The scorecards are the people's: user 1 scores 2/10 = 20, user 7 30.
		var cards []string
		for _, c := range rep.Scores.Scorecards {
			cards = append(cards, fmt.Sprintf("%s=%s", c.Participant, c.Total))
		}
		if got := strings.Join(cards, " "); got != "1=20 7=30" {
			t.Errorf("%s: scorecards %s, want 1=20 7=30", what, got)
		}
		boards := map[string]string{}
		for _, b := range rep.Scores.Leaderboards {
			var ss []string
			for _, s := range b.Standings {
				ss = append(ss, fmt.Sprintf("%s=%s/%d", s.Participant, s.Value.Decimal, s.Headcount))
			}
			boards[b.Leaderboard] = strings.Join(ss, " ")
		}
		// actual: unit 2, 3 calls a head; unit 1, 5 / 2 = 2.5.
		// scores: user 1 scores 2/10 = 20, user 7 30: unit 2 30, unit 1 25.
		want := map[string]string{"actual": "2=3/1 1=2.5/2", "scores": "2=30/1 1=25/2"}
		for id, w := range want {
			if boards[id] != w {
				t.Errorf("%s: leaderboard %s: %s, want %s", what, id, boards[id], w)
			}
		}
	}
	store := storeOf(t, time.UTC, collideEvents()...)
	rep, err := plan.Evaluate(ctx, store, asOf, goalkit.WithDirectory(dir))
	if err != nil {
		t.Fatal(err)
	}
	check("Evaluate", rep)

	ex, err := plan.Explain(ctx, store, asOf, goalkit.Cell{Indicator: "calls", Participant: "1", Period: march}, goalkit.WithDirectory(dir))
	if err != nil {
		t.Fatal(err)
	}
	if ex.Value.Decimal.String() != "2" || len(ex.Included) != 2 {
		t.Errorf("Explain of \"1\": %s from %d events, want the actor's 2", ex.Value.Decimal, len(ex.Included))
	}

	tr := startTracker(t, plan, goalkit.WithDirectory(dir))
	if err := tr.Apply(ctx, collideEvents()...); err != nil {
		t.Fatal(err)
	}
	rep, err = tr.Report(ctx, asOf)
	if err != nil {
		t.Fatal(err)
	}
	check("Tracker.Report", rep)
	if _, err := tr.Tick(ctx, asOf); err != nil {
		t.Fatal(err)
	}
	// An actor who comes later takes the row of a unit that had it.
	if err := tr.Apply(ctx, kpi.Event{ID: "x", Kind: "call", Actor: "2", Time: time.Date(2025, 3, 20, 10, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	rep, err = tr.Report(ctx, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := rep.Values.Value("calls", "2", march); rep.Values.IsGroup("2") || v.Decimal.String() != "1" {
		t.Errorf("after actor 2's call: row \"2\" is %s (group %v), want the actor's 1", v.Decimal, rep.Values.IsGroup("2"))
	}
	for _, b := range rep.Scores.Leaderboards {
		// Actor 2 is no member of a unit: the departments stay as they were.
		if b.Leaderboard == "actual" && (len(b.Standings) != 2 || b.Standings[0].Participant != "2" || b.Standings[0].Value.Decimal.String() != "3") {
			t.Errorf("after actor 2's call: %+v, want unit 2 first with 3 a head", b.Standings)
		}
	}
}

// A directory whose unit ids are drawn from the actors' gives the numbers
// of the same directory with its units renamed apart: the actors' rows,
// the goals of the teams, the scorecards and the departments leaderboards;
// a unit's row in the values is the renamed unit's, or, where an actor has
// the id, the actor's, with a warning that names the unit.
func TestUnitIDsFromActorIDsProperty(t *testing.T) {
	ids := []string{"1", "2", "3", "4", "5"}
	rapid.Check(t, func(rt *rapid.T) {
		n := rapid.IntRange(1, 3).Draw(rt, "units")
		perm := rapid.Permutation(ids).Draw(rt, "ids")[:n]
		var units, renamed []org.Unit
		for i, id := range perm {
			u := org.Unit{ID: id}
			if i > 0 {
				u.Parent = perm[rapid.IntRange(0, i-1).Draw(rt, "parent")]
			}
			units = append(units, u)
			r := u
			r.ID = "u" + u.ID
			if r.Parent != "" {
				r.Parent = "u" + r.Parent
			}
			renamed = append(renamed, r)
		}
		var ms, rms []org.Membership
		for _, a := range ids {
			if k := rapid.IntRange(-1, n-1).Draw(rt, "unit of "+a); k >= 0 {
				m := org.Membership{User: a, Unit: perm[k]}
				if rapid.Bool().Draw(rt, "dated") {
					m.From = date.New(2025, 3, rapid.IntRange(2, 28).Draw(rt, "from"))
				}
				ms = append(ms, m)
				m.Unit = "u" + m.Unit
				rms = append(rms, m)
			}
		}
		var evs []kpi.Event
		for i := range rapid.IntRange(0, 15).Draw(rt, "events") {
			evs = append(evs, kpi.Event{ID: fmt.Sprintf("e%d", i), Kind: "call", Actor: rapid.SampledFrom(ids).Draw(rt, "actor"),
				Time: time.Date(2025, 3, rapid.IntRange(1, 31).Draw(rt, "day"), 10, 0, 0, 0, time.UTC)})
		}
		eval := func(units []org.Unit, ms []org.Membership) *goalkit.Report {
			dir, err := memory.NewDirectory(units, ms)
			if err != nil {
				rt.Fatal(err)
			}
			var teams []string
			for _, u := range units {
				teams = append(teams, fmt.Sprintf("%q", u.ID))
			}
			plan := compile(rt, parseDef(rt, strings.Replace(collidePlan, `teams: ["1"]`, "teams: ["+strings.Join(teams, ", ")+"]", 1)))
			return mustEvaluate(rt, plan, storeOf(rt, time.UTC, evs...), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), goalkit.WithDirectory(dir))
		}
		a, b := eval(units, ms), eval(renamed, rms)
		march := a.Values.Periods()[0]
		val := func(r *goalkit.Report, who string) string {
			v, ok := r.Values.Value("calls", who, march)
			if !ok {
				return "none"
			}
			return v.Decimal.String()
		}
		for _, p := range b.Values.Participants() {
			if !b.Values.IsGroup(p) && (a.Values.IsGroup(p) || val(a, p) != val(b, p)) {
				rt.Errorf("actor %s: %s (group %v), want %s", p, val(a, p), a.Values.IsGroup(p), val(b, p))
			}
		}
		for _, id := range perm {
			switch {
			case a.Values.IsGroup(id):
				if val(a, id) != val(b, "u"+id) {
					rt.Errorf("unit %s: %s, want %s", id, val(a, id), val(b, "u"+id))
				}
			case !slices.ContainsFunc(a.Values.Warnings, func(w kpi.Warning) bool { return w.Participant == id }):
				rt.Errorf("unit %s has no row and no warning: %+v", id, a.Values.Warnings)
			}
		}
		goals := func(r *goalkit.Report, prefix string) string {
			var out []string
			for _, row := range r.Goals.Rows {
				out = append(out, strings.TrimPrefix(row.Participant, prefix)+"="+row.Actual.Decimal.String())
			}
			return strings.Join(out, " ")
		}
		if ga, gb := goals(a, ""), goals(b, "u"); ga != gb {
			rt.Errorf("goals %s, want %s", ga, gb)
		}
		scores := func(r *goalkit.Report, prefix string) string {
			var out []string
			for _, c := range r.Scores.Scorecards {
				out = append(out, c.Participant+"="+c.Total.String())
			}
			for _, lb := range r.Scores.Leaderboards {
				for _, s := range lb.Standings {
					out = append(out, fmt.Sprintf("%s:%d:%s=%s/%d", lb.Leaderboard, s.Rank, strings.TrimPrefix(s.Participant, prefix), s.Value.Decimal, s.Headcount))
				}
			}
			return strings.Join(out, " ")
		}
		if sa, sb := scores(a, ""), scores(b, "u"); sa != sb {
			rt.Errorf("scores\n%s\nwant\n%s", sa, sb)
		}
	})
}

// The table writer names a unit left out of the values as it names the
// participant of any warning, without the empty indicator and period: it
// wrote "warning: , 1, : group …".
func TestUnitLeftOutWarningText(t *testing.T) {
	plan := parsePlan(t, collidePlan)
	rep := mustEvaluate(t, plan, storeOf(t, time.UTC, collideEvents()...), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), goalkit.WithDirectory(collideDirectory(t)))
	var b strings.Builder
	if err := rep.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	const want = "\nwarning: 1: group \"1\" has no row: \"1\" is also an actor, whose row it is\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("the table has no line %q:\n%s", want, b.String())
	}
}
