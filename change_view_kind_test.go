package goalkit_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/org"
)

// The parts of the company's change are people: user 3, who sold in
// January only, is not department 3, whose id they share. The head of
// department 3 (who sees it and its member 5, not user 3) gets user 3's
// share merged into "(others)": the part was judged as the department's
// when user 3 had no row of values in the report.
func TestReportForViewerJudgesAChangesPartsAsPeople(t *testing.T) {
	evs := append(deals("3", "web", 1, 4, 4, "100"), deals("5", "web", 1, 2, 2, "100")...)
	evs = append(evs, deals("5", "web", 3, 3, 3, "100")...)
	plan := parsePlan(t, changePlan)
	store := storeOf(t, time.UTC, evs...)
	dir, err := memory.NewDirectory([]org.Unit{{ID: "3", Head: "h"}}, []org.Membership{{User: "5", Unit: "3"}, {User: "h", Unit: "3"}})
	if err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	rep := mustEvaluate(t, plan, store, asOf, goalkit.WithDirectory(dir))
	if !rep.Values.IsGroup("3") {
		t.Fatal("department 3 has no row of values: the case is not made")
	}
	c, err := plan.ExplainChange(context.Background(), store, asOf, goalkit.ChangeRequest{Indicator: "revenue", Base: month(1), Current: month(3)})
	if err != nil {
		t.Fatal(err)
	}
	rep.Changes = append(rep.Changes, c)
	pol := goal.VisibilityFunc(func(_ goal.Viewer, s goal.Subject) bool {
		return s.Kind == goal.Company || s.Kind == goal.Team && s.Participant == "3" || s.Kind == goal.User && (s.Participant == "5" || s.Participant == "h")
	})
	view := rep.ForViewer(goal.Viewer{User: "h"}, pol)
	if len(view.Changes) != 1 {
		t.Fatalf("%d changes in the head's view, want the company's", len(view.Changes))
	}
	var keys []string
	for _, p := range view.Changes[0].Participants.Parts {
		keys = append(keys, p.Key)
	}
	// By hand: user 3 sold 400 in January, user 5 200 then 300 in March.
	if slices.Contains(keys, "3") || !slices.Contains(keys, "5") || !slices.Contains(keys, "(others)") {
		t.Errorf("the head of department 3 sees the parts %v, want 5 and (others) (user 3's 400 → 0)", keys)
	}
}
