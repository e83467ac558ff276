package memory_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/org"
	"github.com/rickb777/date/v2"
)

func TestDirectory(t *testing.T) {
	ctx := context.Background()
	dir, err := memory.NewDirectory([]org.Unit{{ID: "north"}, {ID: "south"}}, []org.Membership{{User: "ann", Unit: "north"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		err  error
		want string
	}{
		{dir.AddUnit(org.Unit{ID: "north"}), "directory: unit north is already defined"},
		{dir.AddUnit(org.Unit{}), "directory: a unit needs an id"},
		{dir.AddMembership(org.Membership{User: "ann"}), "directory: a membership needs a user and a unit"},
		{dir.AddMembership(org.Membership{User: "ann", Unit: "south", From: date.New(2025, 3, 1), To: date.New(2025, 3, 1)}),
			"directory: membership of ann in south from 2025-03-01 to 2025-03-01 is empty"},
		{dir.Move("ann", "south", 0), "directory: a move needs a user, a unit and a date"},
	} {
		if tt.err == nil || tt.err.Error() != tt.want {
			t.Errorf("got %v, want %s", tt.err, tt.want)
		}
	}
	if err := dir.Move("ann", "south", date.New(2025, 3, 15)); err != nil {
		t.Fatal(err)
	}
	if err := dir.Move("ann", "north", date.New(2025, 3, 10)); err == nil || err.Error() != "directory: ann already has a membership of south from 2025-03-15, not before the move on 2025-03-10" {
		t.Fatalf("a move back in time: %v", err)
	}
	ms, _ := dir.Memberships(ctx)
	if len(ms) != 2 || ms[0].To != date.New(2025, 3, 15) || ms[1].From != date.New(2025, 3, 15) || ms[1].To != 0 {
		t.Fatalf("memberships %+v", ms)
	}
	if _, err := memory.ReadDirectory(strings.NewReader(`{"units": [], "memberships": [], "heads": []}`)); err == nil ||
		err.Error() != `directory: json: unknown field "heads"` {
		t.Fatalf("unknown key: %v", err)
	}
	if _, err := memory.ReadDirectory(strings.NewReader(`{"units": [{"id": "1"}], "memberships": [{"user": "7", "unit": "1"}], "users": [{"id": "7", "name": "Anna"}]}`)); err != nil {
		t.Fatalf("the output of goalkit directory: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := dir.Units(cancelled); err == nil {
		t.Fatal("no error from a cancelled context")
	}
}

// A person who moves mid-month belongs to the old unit until the day before
// the move and to the new one from the move on.
func ExampleDirectory_Move() {
	dir, _ := memory.ReadDirectory(strings.NewReader(`{
	  "units": [{"id": "north"}, {"id": "south"}],
	  "memberships": [{"user": "ann", "unit": "south"}]}`))
	_ = dir.Move("ann", "north", date.New(2025, time.May, 15))
	ms, _ := dir.Memberships(context.Background())
	bound := func(d date.Date, open string) string {
		if d == 0 {
			return open
		}
		return d.String()
	}
	for _, m := range ms {
		fmt.Printf("%s in %s: [%s, %s)\n", m.User, m.Unit, bound(m.From, "always"), bound(m.To, "further notice"))
	}
	// Output:
	// ann in south: [always, 2025-05-15)
	// ann in north: [2025-05-15, further notice)
}
