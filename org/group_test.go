package org

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

type testDirectory struct {
	units []Unit
	ms    []Membership
}

func (d testDirectory) Units(context.Context) ([]Unit, error)             { return d.units, nil }
func (d testDirectory) Memberships(context.Context) ([]Membership, error) { return d.ms, nil }

// A person who moves during the range has dated spans in both units;
// those who stay are members.
func TestDirectoryGroupsSpans(t *testing.T) {
	dir := testDirectory{
		units: []Unit{{ID: "sales"}, {ID: "sales_a", Parent: "sales"}, {ID: "support"}},
		ms: []Membership{
			{User: "u1", Unit: "sales"},
			{User: "u2", Unit: "sales_a"},
			{User: "u3", Unit: "sales_a", To: date.New(2025, 3, 15)},
			{User: "u3", Unit: "support", From: date.New(2025, 3, 15)},
			{User: "u4", Unit: "support", To: date.New(2025, 2, 1)},
			{User: "u5", Unit: "sales_a", From: date.New(2025, 1, 1), To: date.New(2025, 3, 10)},
			{User: "u5", Unit: "sales", From: date.New(2025, 3, 10)},
		},
	}
	o, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	gs := o.Groups(date.New(2025, 3, 1), date.New(2025, 4, 1))
	got := fmt.Sprint(gs)
	want := "[{sales [u1 u2 u5] [{u3 2025-03-01 2025-03-15}]} {sales_a [u2] [{u3 2025-03-01 2025-03-15} {u5 2025-03-01 2025-03-10}]} {support [] [{u3 2025-03-15 2025-04-01}]}]"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if p := fmt.Sprint(gs[0].People()); p != "[u1 u2 u3 u5]" {
		t.Fatalf("people %s", p)
	}
}

// The Org is immutable: what its accessors return is the caller's to sort
// or change. A host that sorted Units for a list of teams moved the units
// the Org finds by their place, so the head of one unit headed another.
func TestAccessorsReturnCopies(t *testing.T) {
	dir := testDirectory{
		units: []Unit{{ID: "sales", Head: "boss"}, {ID: "north", Parent: "sales"}, {ID: "audit", Head: "auditor"}},
		ms:    []Membership{{User: "u1", Unit: "north"}, {User: "u2", Unit: "audit"}},
	}
	o, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	us := o.Units()
	slices.SortFunc(us, func(a, b Unit) int { return strings.Compare(a.ID, b.ID) })
	us[0].Head = "intruder"
	ms := o.Memberships()
	ms[0].Unit = "audit"
	kids := o.Children("")
	kids[0] = "audit"
	if o.Heads("auditor", "north") || !o.Heads("boss", "north") || o.Heads("intruder", "audit") {
		t.Error("heads changed with the caller's copy of the units")
	}
	if got, want := o.Units(), dir.units; !slices.Equal(got, want) {
		t.Errorf("units %v, want %v", got, want)
	}
	p := period.Period{Grain: period.Month, Start: date.New(2025, 3, 1), End: date.New(2025, 4, 1)}
	if got := fmt.Sprint(o.Members("audit", p), " ", o.Memberships()[0].Unit); got != "[u2] north" {
		t.Errorf("members of audit and the first membership's unit: %s", got)
	}
	if got := fmt.Sprint(o.Children("")); got != "[sales audit]" {
		t.Errorf("roots %s", got)
	}
}

// Ids the organisation gives a meaning are refused where the directory has
// them: a unit "" was the parent of every top unit, so its members were the
// whole company's; a membership of no user made the unit's group count the
// events that name no actor; "*" is the company's row.
func TestReservedIds(t *testing.T) {
	for _, c := range []struct {
		dir  testDirectory
		want string
	}{
		{testDirectory{units: []Unit{{ID: "sales"}, {ID: ""}}}, `directory: units[1]: unit id "" is not allowed (an empty id)`},
		{testDirectory{units: []Unit{{ID: "*"}}}, `directory: units[0]: unit id "*" is not allowed (the whole company's row)`},
		{testDirectory{units: []Unit{{ID: "sales"}}, ms: []Membership{{User: "u1", Unit: "sales"}, {User: "", Unit: "sales"}}},
			`directory: memberships[1]: user "" of unit "sales" is not allowed (an empty id)`},
		{testDirectory{units: []Unit{{ID: "sales"}}, ms: []Membership{{User: "*", Unit: "sales"}}},
			`directory: memberships[0]: user "*" of unit "sales" is not allowed (the whole company's row)`},
	} {
		if _, err := Load(context.Background(), c.dir); err == nil || err.Error() != c.want {
			t.Errorf("error %v, want %s", err, c.want)
		}
	}
	// An id no event's actor may have (a control character, bytes that are
	// not UTF-8) is refused where the directory has it, as a goal's,
	// scorecard's or cascade's and the memory directory's are: it could
	// never match an event.
	for _, c := range []struct {
		dir  testDirectory
		want string
	}{
		{testDirectory{units: []Unit{{ID: "sales"}, {ID: "north\n"}}}, `directory: units[1]: unit id "north\n" has a control character (U+000A)`},
		{testDirectory{units: []Unit{{ID: "north", Parent: "sales\xff"}}}, `directory: units[0]: parent "sales\xff" is not valid UTF-8`},
		{testDirectory{units: []Unit{{ID: "north", Head: "u\x1b1"}}}, `directory: units[0]: head "u\x1b1" has a control character (U+001B)`},
		{testDirectory{units: []Unit{{ID: "sales"}}, ms: []Membership{{User: "u1", Unit: "sales"}, {User: "u\t2", Unit: "sales"}}},
			`directory: memberships[1]: user "u\t2" has a control character (U+0009)`},
		{testDirectory{units: []Unit{{ID: "sales"}}, ms: []Membership{{User: "u1", Unit: "sales\u0085"}}},
			`directory: memberships[0]: unit "sales\u0085" has a control character (U+0085)`},
	} {
		if _, err := Load(context.Background(), c.dir); err == nil || err.Error() != c.want {
			t.Errorf("error %q, want %q", err, c.want)
		}
	}
	// A membership of a unit the directory does not have is not refused:
	// the organisation leaves it out, and cascade.CheckDirectory names it.
	if _, err := Load(context.Background(), testDirectory{units: []Unit{{ID: "sales"}}, ms: []Membership{{User: "u1", Unit: ""}}}); err != nil {
		t.Errorf("a membership of no unit: %v", err)
	}
}
