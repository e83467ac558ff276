package goalkit_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/org"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// A viewer's report of breakdowns and explained changes names nobody the
// policy hides: no value or breakdown row of theirs, no change of theirs,
// and in a change they cannot see all of, no part of theirs (their shares
// are one part, "(others)", and the parts still add back to the change).
// Everyone it shows has every row the whole report has.
func TestPropViewerOfBreakdownsAndChangesNamesNoHiddenOne(t *testing.T) {
	ctx := context.Background()
	rapid.Check(t, func(t *rapid.T) {
		plan := compile(t, parseDef(t, fmt.Sprintf(breakdownPropPlan, "Europe/Berlin")))
		loc := plan.Calendar().Location()
		evs, _ := genBreakdownEvents(t, loc)
		for i := range evs {
			if rapid.IntRange(0, 9).Draw(t, "no actor") == 0 {
				evs[i].Actor = ""
			}
		}
		store := storeOf(t, loc, evs...)
		dir, err := memory.NewDirectory([]org.Unit{{ID: "sales"}, {ID: "north", Parent: "sales"}},
			[]org.Membership{{User: "anna", Unit: "north"}, {User: "boris", Unit: "sales"}})
		if err != nil {
			t.Fatal(err)
		}
		asOf := drawnAsOf(loc)
		opts := []goalkit.EvalOption{goalkit.WithDirectory(dir)}
		rep := mustEvaluate(t, plan, store, asOf, opts...)
		ps := plan.Periods()
		for range rapid.IntRange(0, 1).Draw(t, "changes") {
			i := rapid.IntRange(0, len(ps)-1).Draw(t, "base")
			j := rapid.IntRange(0, len(ps)-1).Filter(func(j int) bool { return j != i }).Draw(t, "current")
			req := goalkit.ChangeRequest{Indicator: rapid.SampledFrom([]string{"cnt", "total"}).Draw(t, "indicator"),
				Participant: rapid.SampledFrom([]string{"*", "anna", "boris", "vera", "north", "sales"}).Draw(t, "participant"),
				Base:        ps[i], Current: ps[j]}
			if rapid.Bool().Draw(t, "by") {
				req.By = "source"
			}
			c, err := plan.ExplainChange(ctx, store, asOf, req, opts...)
			if err != nil && strings.Contains(err.Error(), "unknown participant") {
				continue // a participant with no event: refused
			}
			if err != nil {
				t.Fatal(err)
			}
			rep.Changes = append(rep.Changes, c)
		}
		allowed := map[string]bool{}
		for _, p := range []string{"*", "anna", "boris", "vera", "north", "sales"} {
			allowed[p] = rapid.Bool().Draw(t, "sees "+p)
		}
		pol := goal.VisibilityFunc(func(_ goal.Viewer, s goal.Subject) bool { return allowed[s.Participant] })
		view := rep.ForViewer(goal.Viewer{User: "anna"}, pol)
		var doc map[string]any
		if err := json.Unmarshal(reportJSON(t, view), &doc); err != nil {
			t.Fatal(err)
		}
		walkJSON(doc, "", func(path string, obj map[string]any) {
			if who, ok := obj["participant"].(string); ok && !allowed[who] {
				t.Fatalf("%s: participant %q is hidden from the viewer", path, who)
			}
		})
		// The changes: those of visible participants, their parts visible
		// people, the rest and the others, adding back to the change.
		n := 0
		for _, c := range rep.Changes {
			if allowed[c.Participant] {
				n++
			}
		}
		if len(view.Changes) != n {
			t.Fatalf("%d changes in the view, %d of visible participants", len(view.Changes), n)
		}
		for _, c := range view.Changes {
			if c.Participants == nil {
				continue
			}
			sum := decimal.Zero
			for _, p := range c.Participants.Parts {
				if p.Group == "" && !allowed[p.Key] {
					t.Fatalf("change of %s in %s: a part of %q, hidden from the viewer", c.Indicator, c.Current, p.Key)
				}
				sum = sum.Add(p.Delta)
			}
			if !sum.Equal(c.Delta) {
				t.Fatalf("change of %s in %s: the viewer's parts add up to %s, the change is %s", c.Indicator, c.Current, sum, c.Delta)
			}
		}
		// Nothing of a visible participant is lost.
		count := func(r *goalkit.Report) map[string]int {
			m := map[string]int{}
			for _, row := range r.Values.Rows() {
				if allowed[row.Participant] {
					m[fmt.Sprint(row.Indicator, row.Participant, row.Period.Start, row.By, row.Value)]++
				}
			}
			return m
		}
		full, seen := count(rep), count(view)
		if len(full) != len(seen) {
			t.Fatalf("the view has %d rows of visible participants, the report %d", len(seen), len(full))
		}
		for k, v := range full {
			if seen[k] != v {
				t.Fatalf("row %s: %d in the view, %d in the report", k, seen[k], v)
			}
		}
	})
}
