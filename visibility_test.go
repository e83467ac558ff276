package goalkit_test

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

var viewActors = []string{"anna", "boris", "vera", "gleb"}

// visibilityPlans are plans with goals, scorecards, cascades and unpriced
// money; random plans of goalkittest are drawn beside them.
func visibilityPlans(t *testing.T) []*goalkit.Definition {
	var out []*goalkit.Definition
	for _, path := range []string{"testdata/goals/seed.yaml", "examples/cascade/plan.yaml", "examples/scorecards/sales.yaml", "examples/quickstart/plan.yaml"} {
		out = append(out, readDef(t, path))
	}
	return out
}

// Whatever the plan, the events, the directory, the viewer and the policy,
// a viewer's report holds nothing of a participant the policy hides: no
// value row, no goal row, notification, card, payout, badge or cascade
// node, no warning, no unpriced event, no tally of goal statistics of
// theirs. And it holds everything of those it shows: their values are
// those of the whole report.
func TestViewerSeesOnlyWhatPolicyAllows(t *testing.T) {
	fixed := visibilityPlans(t)
	rapid.Check(t, func(t *rapid.T) {
		var def *goalkit.Definition
		if rapid.Bool().Draw(t, "fixed") {
			def = rapid.SampledFrom(fixed).Draw(t, "plan")
		} else {
			def = goalkittest.Plans().Draw(t, "plan")
		}
		// Money in dollars that the events, in roubles without a rate,
		// cannot be converted into: unpriced events.
		d := *def
		d.Indicators = append(append([]kpi.IndicatorDef(nil), def.Indicators...), kpi.IndicatorDef{ID: "usd", Kinds: []string{"deal.won"},
			Aggregate: "sum", Value: "amount", Unit: kpi.UnitMoney, Currency: "USD"})
		plan, err := goalkit.Compile(&d)
		if err != nil {
			t.Fatalf("compile: %v", err)
		}
		stream := goalkittest.PlanStream(plan, viewActors...).Draw(t, "events")
		periods := plan.Periods()
		for i := range stream {
			if !stream[i].Deleted && rapid.IntRange(0, 3).Draw(t, "won?") == 0 {
				stream[i].Kind = "deal.won"
				stream[i].Amount = decimal.NewNullDecimal(decimal.NewFromInt(int64(100 * (i + 1))))
				stream[i].Currency = "RUB"
			}
		}
		store := storeOf(t, plan.Calendar().Location(), stream...)
		dir := goalkittest.Directories(viewActors, periods[0].Start, periods[len(periods)-1].End).Draw(t, "directory")
		addTeams(dir, &d)
		asOf := plan.Calendar().Midnight(periods[len(periods)-1].End).Add(-time.Hour)
		full := mustEvaluate(t, plan, store, asOf, goalkit.WithDirectory(dir), goalkit.WithParticipants(viewActors...), goalkit.WithGoalStats())
		owner := map[string]string{} // event id → actor, final versions
		for _, e := range goalkittest.Final(stream) {
			owner[e.ID] = e.Actor
		}
		// A random policy over participants, whatever their kind.
		seed := rapid.Uint32().Draw(t, "policy")
		allowed := seen(func(p string) bool {
			h := fnv.New32a()
			fmt.Fprint(h, seed, p)
			return h.Sum32()%2 == 0
		})
		pol := goal.VisibilityFunc(func(_ goal.Viewer, s goal.Subject) bool { return allowed.get(s.Participant) })
		view := full.ForViewer(goal.Viewer{User: rapid.SampledFrom(viewActors).Draw(t, "viewer")}, pol)

		var doc map[string]any
		if err := json.Unmarshal(reportJSON(t, view), &doc); err != nil {
			t.Fatal(err)
		}
		// A list the viewer sees none of is empty, never null (the report
		// schema says array).
		for _, key := range []string{"scorecards", "bonuses", "badges"} {
			if v, ok := doc[key]; ok {
				if _, isList := v.([]any); !isList {
					t.Fatalf("%s is %v, not a list", key, v)
				}
			}
		}
		for key, v := range doc {
			if key == "leaderboards" || key == "competitions" {
				continue // public standings
			}
			walkJSON(v, key, func(path string, obj map[string]any) {
				fields := []string{"participant", "member"}
				if key == "goal_stats" {
					fields = append(fields, "team") // a unit's tally
				}
				for _, field := range fields {
					who, ok := obj[field].(string)
					if !ok || allowed.get(who) {
						continue
					}
					// A cascade keeps the hidden ancestors of a visible node as
					// its path, with no fact of theirs.
					if key == "cascade" && field == "participant" && obj["actual"] == nil && obj["contribution"] == nil && obj["share"] == nil {
						continue
					}
					t.Fatalf("%s: %s %q is hidden from the viewer", path, field, who)
				}
				if ev, ok := obj["event"].(string); ok && key == "unpriced" && !allowed.get(owner[ev]) {
					t.Fatalf("%s: unpriced event %s of %s is hidden from the viewer", path, ev, owner[ev])
				}
			})
		}
		if len(view.Values.Warnings) > len(full.Values.Warnings) || len(view.Values.Unpriced) > len(full.Values.Unpriced) {
			t.Fatal("the view has more than the report")
		}
		// Nothing visible is lost.
		shown := 0
		for _, row := range full.Values.Rows() {
			got, ok := view.Values.Value(row.Indicator, row.Participant, row.Period)
			switch {
			case allowed.get(row.Participant) && (!ok || got != row.Value && !got.Decimal.Equal(row.Value.Decimal)):
				t.Fatalf("%s %s %s: the view says %v, the report %v", row.Indicator, row.Participant, row.Period, got, row.Value)
			case !allowed.get(row.Participant) && ok:
				t.Fatalf("%s %s: the view has a hidden participant's value", row.Indicator, row.Participant)
			case ok:
				shown++
			}
		}
		for _, u := range full.Values.Unpriced {
			if allowed.get(owner[u.Event]) && !containsUnpriced(view.Values.Unpriced, u) {
				t.Fatalf("unpriced %s of %s is missing from the view", u.Event, owner[u.Event])
			}
		}
		_ = shown
	})
}

// seen is a set whose membership a function decides.
type seen func(string) bool

func (s seen) get(p string) bool { return s(p) }

func containsUnpriced(us []kpi.Unpriced, u kpi.Unpriced) bool {
	for _, x := range us {
		if x == u {
			return true
		}
	}
	return false
}

// walkJSON calls fn with every object in v.
func walkJSON(v any, path string, fn func(path string, obj map[string]any)) {
	switch v := v.(type) {
	case map[string]any:
		fn(path, v)
		for k, x := range v {
			walkJSON(x, path+"."+k, fn)
		}
	case []any:
		for i, x := range v {
			walkJSON(x, fmt.Sprintf("%s[%d]", path, i), fn)
		}
	}
}
