package goalkit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/org"
)

// A group id given twice to WithGroups, in one call or two, is refused by
// Evaluate and by Track, naming the group, as its doc says.
func TestWithGroupsGivenTwiceIsRefused(t *testing.T) {
	plan := parsePlan(t, hostilePlan)
	store := storeOf(t, time.UTC)
	asOf := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	team := org.Group{ID: "team", Members: []string{"anna"}}
	for name, opts := range map[string][]goalkit.EvalOption{
		"one call":  {goalkit.WithGroups(team, team)},
		"two calls": {goalkit.WithGroups(team), goalkit.WithGroups(org.Group{ID: "team", Members: []string{"ivan"}})},
	} {
		if _, err := plan.Evaluate(context.Background(), store, asOf, opts...); err == nil || !strings.Contains(err.Error(), `group "team" is given twice`) {
			t.Errorf("%s: Evaluate: %v, want the group named as given twice", name, err)
		}
		if tr, err := plan.Track(context.Background(), nil, opts...); err == nil || !strings.Contains(err.Error(), `group "team" is given twice`) {
			if tr != nil {
				tr.Close()
			}
			t.Errorf("%s: Track: %v, want the group named as given twice", name, err)
		}
	}
}
