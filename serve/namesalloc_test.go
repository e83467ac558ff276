package serve

import (
	"fmt"
	"testing"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/org"
)

// Name reads the directory's names once per reading of the directory: a
// dashboard page asks for every participant it shows, and each call copied
// every unit of the directory (a portal of a thousand departments, a page
// of a thousand rows: a million units copied). The names are the
// directory's, the users none.
func TestNameReadsTheDirectoryOnce(t *testing.T) {
	// The units the test plan's goals name, and a thousand more.
	units := []org.Unit{{ID: "north", Name: "North"}, {ID: "south", Name: "South"}}
	for i := range 1000 {
		units = append(units, org.Unit{ID: fmt.Sprintf("u%d", i), Name: fmt.Sprintf("Unit %d", i)})
	}
	dir, err := memory.NewDirectory(units, []org.Membership{{User: "anna", Unit: "u7"}})
	if err != nil {
		t.Fatal(err)
	}
	f := planFixture(t, goalkittest.ReadPlan(t, "testdata/plan.yaml"), dir, nil)
	for _, c := range []struct{ id, want string }{{"u0", "Unit 0"}, {"u999", "Unit 999"}, {"anna", ""}, {"u1000", ""}} {
		if got, ok := f.srv.Name(goal.Team, c.id); got != c.want || ok != (c.want != "") {
			t.Errorf("Name(%q) = %q, %v; want %q", c.id, got, ok, c.want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { f.srv.Name(goal.Team, "u500") }); n != 0 {
		t.Errorf("Name allocates %v times a call, want none", n)
	}
}
