package goalkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// A participant whose id is one of the keys a split gives its parts that
// are not a participant ("(rest)", "(others)": an actor id may be any
// printable text) is a participant like any other: hidden from a viewer
// who may not see it, its share is in "(others)" with the other hidden
// ones.
//
// Expected: anna's view of the company's revenue change has the parts
// anna, (rest) (the deal without an actor, 50 → 0) and (others) (the
// hidden user "(rest)", 600 → 1500, and boris, 300 → 200). Today
// Change.forViewer keeps every part keyed "(rest)", whoever it is, so the
// hidden user's own share is shown beside the actorless rest, under a key
// the split already gives twice.
func TestReportForViewerHidesAParticipantNamedLikeTheRest(t *testing.T) {
	var evs []kpi.Event
	evs = append(evs, deals("anna", "web", 2, 8, 8, "100")...)
	evs = append(evs, deals("(rest)", "web", 2, 6, 6, "100")...)
	evs = append(evs, deals("boris", "web", 2, 3, 3, "100")...)
	evs = append(evs, deals("anna", "web", 3, 5, 5, "100")...)
	evs = append(evs, deals("(rest)", "web", 3, 15, 15, "100")...)
	evs = append(evs, deals("boris", "web", 3, 2, 2, "100")...)
	evs = append(evs, kpi.Event{ID: "nobody", Kind: "deal.won", Time: time.Date(2025, 2, 3, 10, 0, 0, 0, time.UTC),
		Amount: decimal.NewNullDecimal(decimal.RequireFromString("50"))})
	_, view := changesForAnna(t, evs, goalkit.ChangeRequest{Indicator: "revenue", Base: month(2), Current: month(3)})
	if len(view.Changes) != 1 {
		t.Fatalf("%d changes in anna's view, want the company's", len(view.Changes))
	}
	got := map[string][]string{}
	var keys []string
	for _, p := range view.Changes[0].Participants.Parts {
		keys = append(keys, p.Key)
		got[p.Key] = append(got[p.Key], p.Delta.String())
	}
	want := map[string]string{"anna": "-300", "(rest)": "-50", "(others)": "800"}
	ok := len(keys) == len(want)
	for k, d := range want {
		ok = ok && len(got[k]) == 1 && got[k][0] == d
	}
	if !ok {
		t.Errorf("anna's view of the revenue change has the parts %v (deltas %v); want anna -300, (rest) -50 (the deal without an actor) and (others) 800 (the hidden user \"(rest)\" and boris)", keys, got)
	}
}

// changesForAnna evaluates changePlan over evs as of 1 May 2025, adds the
// changes of reqs explained, and returns the report and anna's view of it
// under a policy that lets her see herself and the company.
func changesForAnna(t *testing.T, evs []kpi.Event, reqs ...goalkit.ChangeRequest) (rep, view *goalkit.Report) {
	t.Helper()
	plan := parsePlan(t, changePlan)
	store := storeOf(t, time.UTC, evs...)
	ctx := context.Background()
	asOf := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	rep = mustEvaluate(t, plan, store, asOf)
	for _, req := range reqs {
		c, err := plan.ExplainChange(ctx, store, asOf, req)
		if err != nil {
			t.Fatal(err)
		}
		rep.Changes = append(rep.Changes, c)
	}
	pol := goal.VisibilityFunc(func(_ goal.Viewer, s goal.Subject) bool { return s.Participant == "anna" || s.Participant == "*" })
	return rep, rep.ForViewer(goal.Viewer{User: "anna"}, pol)
}
