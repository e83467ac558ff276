package kpi_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
)

// A request that gives one group id twice (a host's WithGroups with a team
// twice) is refused, naming the group and both places, as the scoring
// refuses it. It failed with "participant "g" is both an actor and a
// group", which named no option and read as if g were an actor.
func TestGroupGivenTwice(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	set, req := callsOfMarch(t)
	req.Groups = []org.Group{
		{ID: "g", Members: []string{"anna"}},
		{ID: "h", Members: []string{"boris"}},
		{ID: "g", Members: []string{"boris"}},
	}
	const want = `groups: group "g" is given twice (groups 0 and 2)`
	anna := kpi.Event{ID: "e1", Kind: "call", Time: at, Actor: "anna"}
	if _, err := set.Evaluate(ctx, kpi.Events{anna}, req); err == nil || err.Error() != want {
		t.Errorf("Evaluate: %v, want %q", err, want)
	}
	if _, err := set.Track(ctx, req, nil); err == nil || err.Error() != want {
		t.Errorf("Track: %v, want %q", err, want)
	}
}
