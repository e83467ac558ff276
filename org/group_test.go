package org

import (
	"context"
	"fmt"
	"testing"

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
