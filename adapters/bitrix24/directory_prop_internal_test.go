package bitrix24

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
	"github.com/goalkit/goalkit/org"
	"pgregory.net/rapid"
)

// TestBuildOrgProperty: whatever order department.get and user.get list
// their rows in, and however a user's UF_DEPARTMENT repeats a department,
// the directory has each department once, in ascending numeric id order
// (9 before 10), with its parent and head; each user once, in ascending
// numeric id order, with their departments in UF_DEPARTMENT's order, each
// once; and one membership per user and department, by user then
// department id. The reference is a plain walk over the rows written here.
func TestBuildOrgProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		depIDs := rapid.SliceOfNDistinct(rapid.Int64Range(1, 120), 1, 15, rapid.ID[int64]).Draw(t, "departments")
		var deps []rest.Department
		for i, id := range depIDs {
			d := rest.Department{ID: id, Name: "D" + strconv.FormatInt(id, 10)}
			if i > 0 { // a parent listed before it: no cycle
				d.Parent = depIDs[rapid.IntRange(0, i-1).Draw(t, fmt.Sprintf("parent of %d", id))]
			}
			d.Head = rapid.Int64Range(0, 30).Draw(t, fmt.Sprintf("head of %d", id))
			deps = append(deps, d)
		}
		userIDs := rapid.SliceOfNDistinct(rapid.Int64Range(1, 120), 0, 20, rapid.ID[int64]).Draw(t, "users")
		var users []rest.User
		for _, id := range userIDs {
			u := rest.User{ID: id, Name: "U", Active: rapid.Bool().Draw(t, "active")}
			u.Departments = rapid.SliceOfN(rapid.SampledFrom(depIDs), 0, 5).Draw(t, fmt.Sprintf("UF_DEPARTMENT of %d", id))
			users = append(users, u)
		}
		o, err := buildOrg(deps, users)
		if err != nil {
			t.Fatal(err)
		}

		// The reference.
		sortedDeps := slices.Clone(depIDs)
		slices.Sort(sortedDeps)
		var wantUnits []org.Unit
		for _, id := range sortedDeps {
			for _, d := range deps {
				if d.ID != id {
					continue
				}
				u := org.Unit{ID: strconv.FormatInt(id, 10), Name: d.Name}
				if d.Parent != 0 {
					u.Parent = strconv.FormatInt(d.Parent, 10)
				}
				if d.Head != 0 {
					u.Head = strconv.FormatInt(d.Head, 10)
				}
				wantUnits = append(wantUnits, u)
			}
		}
		sortedUsers := slices.Clone(userIDs)
		slices.Sort(sortedUsers)
		var wantMembers []org.Membership
		var wantUsers []User
		for _, id := range sortedUsers {
			for _, u := range users {
				if u.ID != id {
					continue
				}
				du := User{ID: strconv.FormatInt(id, 10), Name: "U", Active: u.Active}
				seen := map[int64]bool{}
				for _, d := range u.Departments {
					if !seen[d] {
						seen[d] = true
						du.Departments = append(du.Departments, strconv.FormatInt(d, 10))
					}
				}
				wantUsers = append(wantUsers, du)
				for _, d := range sortedDeps {
					if seen[d] {
						wantMembers = append(wantMembers, org.Membership{User: strconv.FormatInt(id, 10), Unit: strconv.FormatInt(d, 10)})
					}
				}
			}
		}

		units, _ := o.Units(context.Background())
		if !slices.Equal(units, wantUnits) {
			t.Fatalf("units %v, want %v", units, wantUnits)
		}
		members, _ := o.Memberships(context.Background())
		if !slices.EqualFunc(members, wantMembers, func(a, b org.Membership) bool { return a == b }) {
			t.Fatalf("memberships %v, want %v", members, wantMembers)
		}
		got := o.Users()
		if len(got) != len(wantUsers) {
			t.Fatalf("%d users, want %d", len(got), len(wantUsers))
		}
		for i := range got {
			if got[i].ID != wantUsers[i].ID || got[i].Active != wantUsers[i].Active || !slices.Equal(got[i].Departments, wantUsers[i].Departments) {
				t.Fatalf("user %d: %+v, want %+v", i, got[i], wantUsers[i])
			}
		}
	})
}
