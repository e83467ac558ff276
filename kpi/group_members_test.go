package kpi_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/rickb777/date/v2"
)

// A host's group that lists an empty member is refused, naming the group
// and the member's place: the team counted the events without an actor
// (which count in the whole company's row alone) as its own. A member that
// is the whole company's row is refused too; it counted nothing.
func TestGroupMemberNoActor(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	set, req := callsOfMarch(t)
	events := kpi.Events{{ID: "e1", Kind: "call", Time: at}, {ID: "e2", Kind: "call", Time: at, Actor: "anna"}}
	for _, tc := range []struct {
		group org.Group
		want  string
	}{
		{org.Group{ID: "team", Members: []string{"anna", ""}},
			`group team: members[1] is empty: an event without an actor counts in the whole company's row alone`},
		{org.Group{ID: "team", Members: []string{org.Everyone}},
			`group team: members[0] is "*", the whole company's row, not an actor`},
		{org.Group{ID: "team", Spans: []org.Span{{Member: "anna", From: date.New(2025, 3, 1)}, {Member: ""}}},
			`group team: spans[1] is empty: an event without an actor counts in the whole company's row alone`},
	} {
		req.Groups = []org.Group{tc.group}
		if _, err := set.Evaluate(ctx, events, req); err == nil || err.Error() != tc.want {
			t.Errorf("Evaluate: %v, want %q", err, tc.want)
		}
		if _, err := set.Track(ctx, req, nil); err == nil || err.Error() != tc.want {
			t.Errorf("Track: %v, want %q", err, tc.want)
		}
	}
}
