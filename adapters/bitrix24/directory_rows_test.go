package bitrix24_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/org"
	"pgregory.net/rapid"
)

// TestDirectoryFromRowsProperty fills a portal with random departments and
// users, written as department.get and user.get write them (ids as
// strings, UF_HEAD "0", "" or absent for none, the root without PARENT,
// UF_DEPARTMENT as an array of numbers or strings, repeated entries,
// empty or false, ACTIVE a boolean), more than a page of each now and
// then, and checks Directory against the docs' rules worked out here: a
// unit per department with its parent and head, in id order; a
// membership per user and distinct department, dismissed users included;
// each user's departments in UF_DEPARTMENT's order, once.
func TestDirectoryFromRowsProperty(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c, _ := newClient(t, srv)
	deps, users := []int64{1, 3, 5, 7}, []int64{1, 3, 4, 5, 6, 7, 8, 9, 10, 12} // the fixtures'
	rapid.Check(t, func(t *rapid.T) {
		for _, id := range deps {
			if err := srv.Remove("department", id); err != nil {
				t.Fatal(err)
			}
		}
		for _, id := range users {
			if err := srv.Remove("user", id); err != nil {
				t.Fatal(err)
			}
		}
		deps = rapid.SliceOfNDistinct(rapid.Int64Range(1, 400), 1, 70, rapid.ID[int64]).Draw(t, "departments")
		users = rapid.SliceOfNDistinct(rapid.Int64Range(1, 400), 0, 80, rapid.ID[int64]).Draw(t, "users")
		type dep struct{ parent, head int64 }
		type user struct {
			active      bool
			name, last  string
			departments []int64
		}
		wantDeps := map[int64]dep{}
		for i, id := range deps { // parents among the departments drawn before
			row := map[string]any{"ID": strconv.FormatInt(id, 10), "NAME": "D" + strconv.FormatInt(id, 10), "SORT": 500}
			var d dep
			if i > 0 && rapid.IntRange(0, 5).Draw(t, "root") > 0 {
				d.parent = deps[rapid.IntRange(0, i-1).Draw(t, "parent")]
				row["PARENT"] = strconv.FormatInt(d.parent, 10)
			}
			switch rapid.IntRange(0, 4).Draw(t, "head form") {
			case 0:
			case 1:
				row["UF_HEAD"] = "0"
			case 2:
				row["UF_HEAD"] = ""
			default:
				d.head = rapid.Int64Range(1, 400).Draw(t, "head")
				row["UF_HEAD"] = strconv.FormatInt(d.head, 10)
			}
			wantDeps[id] = d
			srv.AddRow("department", "ID", row)
		}
		wantUsers := map[int64]user{}
		for _, id := range users {
			u := user{active: rapid.Bool().Draw(t, "active")}
			u.name = rapid.SampledFrom([]string{"", "Анна", "Ivan"}).Draw(t, "NAME")
			u.last = rapid.SampledFrom([]string{"", "Петрова", "Smith"}).Draw(t, "LAST_NAME")
			u.departments = rapid.SliceOfN(rapid.SampledFrom(deps), 0, 4).Draw(t, "UF_DEPARTMENT")
			row := map[string]any{"ID": strconv.FormatInt(id, 10), "ACTIVE": u.active, "NAME": u.name, "LAST_NAME": u.last, "USER_TYPE": "employee"}
			switch form := rapid.IntRange(0, 3).Draw(t, "UF_DEPARTMENT form"); {
			case len(u.departments) == 0 && form == 0:
				row["UF_DEPARTMENT"] = false
			case form == 1:
				var s []any
				for _, d := range u.departments {
					s = append(s, strconv.FormatInt(d, 10))
				}
				row["UF_DEPARTMENT"] = append([]any{}, s...)
			default:
				var s []any
				for _, d := range u.departments {
					s = append(s, d)
				}
				row["UF_DEPARTMENT"] = append([]any{}, s...)
			}
			wantUsers[id] = u
			srv.AddRow("user", "ID", row)
		}

		o, err := c.Directory(context.Background())
		if err != nil {
			t.Fatal(err)
		}

		// The reference.
		sortedDeps, sortedUsers := slices.Sorted(slices.Values(deps)), slices.Sorted(slices.Values(users))
		itoa := func(n int64) string { return strconv.FormatInt(n, 10) }
		var units []org.Unit
		for _, id := range sortedDeps {
			u := org.Unit{ID: itoa(id), Name: "D" + itoa(id)}
			if d := wantDeps[id]; d.parent != 0 {
				u.Parent = itoa(d.parent)
			}
			if d := wantDeps[id]; d.head != 0 {
				u.Head = itoa(d.head)
			}
			units = append(units, u)
		}
		var members []org.Membership
		var dusers []bitrix24.User
		for _, id := range sortedUsers {
			u := wantUsers[id]
			du := bitrix24.User{ID: itoa(id), Active: u.active}
			switch {
			case u.name != "" && u.last != "":
				du.Name = u.name + " " + u.last
			default:
				du.Name = u.name + u.last
			}
			for i, d := range u.departments {
				if !slices.Contains(u.departments[:i], d) {
					du.Departments = append(du.Departments, itoa(d))
				}
			}
			dusers = append(dusers, du)
			for _, d := range sortedDeps {
				if slices.Contains(u.departments, d) {
					members = append(members, org.Membership{User: itoa(id), Unit: itoa(d)})
				}
			}
		}

		gotUnits, err := o.Units(context.Background())
		if err != nil || !slices.Equal(gotUnits, units) {
			t.Fatalf("units %v (%v), want %v", gotUnits, err, units)
		}
		gotMembers, err := o.Memberships(context.Background())
		if err != nil || !slices.EqualFunc(gotMembers, members, func(a, b org.Membership) bool { return fmt.Sprint(a) == fmt.Sprint(b) }) {
			t.Fatalf("memberships %v (%v), want %v", gotMembers, err, members)
		}
		gotUsers := o.Users()
		if !slices.EqualFunc(gotUsers, dusers, func(a, b bitrix24.User) bool {
			return a.ID == b.ID && a.Name == b.Name && a.Active == b.Active && a.Position == b.Position && slices.Equal(a.Departments, b.Departments)
		}) {
			t.Fatalf("users %+v, want %+v", gotUsers, dusers)
		}
	})
}
