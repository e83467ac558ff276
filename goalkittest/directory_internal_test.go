package goalkittest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/org"
	"github.com/rickb777/date/v2"
)

// TestDefaultDirectory checks CheckOptions.Directory's default for plans
// that name two and three groups, with the default actors and with more:
// the groups as flat units, at least two actors a group, every actor
// named, and exactly one actor moving from one group to the next halfway
// through the report.
func TestDefaultDirectory(t *testing.T) {
	for _, c := range []struct {
		groups []string
		actors []string
	}{
		{[]string{"north", "south"}, nil},
		{[]string{"north", "south"}, []string{"a", "b", "c", "d", "e"}},
		{[]string{"north", "south", "east"}, nil},
		{[]string{"north", "south", "east"}, []string{"a", "b", "c", "d", "e", "f", "g"}},
	} {
		t.Run(fmt.Sprint(c.groups, c.actors), func(t *testing.T) {
			src := fmt.Sprintf(`
timezone: UTC
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
scorecards:
  - id: card
    grain: month
    members_of: [%s]
    kpis: [{id: k, indicator: won, target: 10, weight: 100}]
report: {grain: month, from: 2025-01-01, to: 2025-05-01}
`, strings.Join(c.groups, ", "))
			ch := newChecker(CompilePlan(t, src), CheckOptions{Actors: c.actors})
			if ch.opts.Directory == nil {
				t.Fatal("no directory")
			}
			ctx := context.Background()
			units, err := ch.opts.Directory.Units(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(units) != len(c.groups) {
				t.Fatalf("units %v", units)
			}
			for i, u := range units {
				if u.ID != c.groups[i] || u.Parent != "" {
					t.Errorf("unit %d: %+v", i, u)
				}
			}
			ms, err := ch.opts.Directory.Memberships(ctx)
			if err != nil {
				t.Fatal(err)
			}
			mid := date.New(2025, 3, 2) // 1 January + 120 days / 2
			per := map[string][]org.Membership{}
			for _, m := range ms {
				per[m.User] = append(per[m.User], m)
			}
			actors := len(c.actors)
			if actors == 0 {
				actors = len(DefaultActors)
			}
			if want := max(actors, 2*len(c.groups)); len(per) != want {
				t.Errorf("%d actors, want %d: %v", len(per), want, ms)
			}
			for _, a := range c.actors {
				if per[a] == nil {
					t.Errorf("actor %s is in no group", a)
				}
			}
			size := map[string]int{}
			moved := 0
			for u, m := range per {
				switch {
				case len(m) == 1 && m[0].From == 0 && m[0].To == 0:
					size[m[0].Unit]++
				case len(m) == 2 && m[0].To == mid && m[1].From == mid && m[0].From == 0 && m[1].To == 0:
					moved++
					i := indexOf(c.groups, m[0].Unit)
					if i < 0 || m[1].Unit != c.groups[(i+1)%len(c.groups)] {
						t.Errorf("%s moves from %s to %s", u, m[0].Unit, m[1].Unit)
					}
					size[m[0].Unit]++
				default:
					t.Errorf("%s: %v", u, m)
				}
			}
			if moved != 1 {
				t.Errorf("%d actors move", moved)
			}
			for _, g := range c.groups {
				if size[g] < 2 {
					t.Errorf("group %s starts with %d actors", g, size[g])
				}
			}
		})
	}
}

// TestDefaultDirectoryWithoutAnActor: the actor "" (events without one,
// as Shape.Actors draws them) belongs to no group, and the default
// directory is made of the others. It was made with "" as a user, which a
// directory refuses, and the checks then ran without one: a plan whose
// goals name teams failed its setup with "goals name teams but the
// evaluation has no directory", which named nothing of the cause.
func TestDefaultDirectoryWithoutAnActor(t *testing.T) {
	plan := ReadPlan(t, "../examples/serve/plan.yaml")
	opts := CheckOptions{Actors: []string{"u1", "", "u2"}}
	if err := Setup(plan, opts); err != nil {
		t.Fatal(err)
	}
	c := newChecker(plan, opts)
	ms, err := c.opts.Directory.Memberships(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]bool{}
	for _, m := range ms {
		users[m.User] = true
	}
	if users[""] || !users["u1"] || !users["u2"] || len(users) < 4 {
		t.Fatalf("the directory's users: %v", users)
	}
	if !slices.Contains(c.shape.Actors, "") {
		t.Fatalf("the events' actors %q lack the empty one", c.shape.Actors)
	}
	// An actor no directory takes fails every evaluation with the cause.
	opts.Actors = []string{"u1", "*"}
	if err := Setup(plan, opts); err == nil || !strings.HasPrefix(err.Error(), "the default directory of the plan's groups: ") {
		t.Fatalf("setup: %v", err)
	}
}

func indexOf(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}
