package org

import (
	"context"
	"fmt"
	"testing"

	"github.com/rickb777/date/v2"
)

// BenchmarkGroups is the groups of every unit of a portal of 521 units in
// a tree four levels deep (a company, 8 divisions, 64 departments, 448
// teams) and 100,000 dated memberships of 20,000 people, as a report of
// departments reads them once.
func BenchmarkGroups(b *testing.B) {
	units := []Unit{{ID: "co"}}
	for i := range 8 {
		units = append(units, Unit{ID: fmt.Sprint("div", i), Parent: "co"})
	}
	for i := range 64 {
		units = append(units, Unit{ID: fmt.Sprint("dep", i), Parent: fmt.Sprint("div", i/8)})
	}
	for i := range 448 {
		units = append(units, Unit{ID: fmt.Sprint("team", i), Parent: fmt.Sprint("dep", i/7)})
	}
	start := date.New(2024, 1, 1)
	var ms []Membership
	for i := range 100_000 {
		from := start + date.Date(i%700)
		ms = append(ms, Membership{User: fmt.Sprint("u", i%20_000), Unit: fmt.Sprint("team", i%448), From: from, To: from + 90})
	}
	o, err := Load(context.Background(), testDirectory{units: units, ms: ms})
	if err != nil {
		b.Fatal(err)
	}
	from, to := date.New(2025, 1, 1), date.New(2025, 4, 1)
	for b.Loop() {
		if gs := o.Groups(from, to); len(gs) != len(units) {
			b.Fatalf("%d groups", len(gs))
		}
	}
}
