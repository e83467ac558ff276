package bitrix24

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"

	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
	"github.com/goalkit/goalkit/org"
)

// Org is a portal's organisation structure: its departments with their heads
// and members. It implements org.Directory and is safe for concurrent use
// (it does not change after Directory returns it).
//
// Every user.get user is kept, dismissed ones (ACTIVE false) included, so a
// team's past results still roll up to it. Bitrix24 does not say since when a
// user is in a department, so memberships have no dates.
type Org struct {
	units   []org.Unit
	members []org.Membership
	users   []User
}

// User is a portal user as the directory shows it: ids as strings, like the
// units' and the events' actors, and no e-mail or phone.
type User struct {
	ID          string   `json:"id"`
	Name        string   `json:"name,omitempty"`        // "Name LastName", or whichever is set
	Active      bool     `json:"active"`                // false for a dismissed user
	Position    string   `json:"position,omitempty"`    // WORK_POSITION
	Departments []string `json:"departments,omitempty"` // in UF_DEPARTMENT's order, each once
}

var _ org.Directory = (*Org)(nil)

// Directory reads department.get and user.get (in one batch call when both
// fit) and builds the Org. The users are read by keyset (FILTER ">ID"), so
// a user deleted or added meanwhile hides or repeats no other; the
// departments by offset, as department.get has no ">ID" filter (see the
// package's Directory section). Once ctx is done it makes no further request,
// between pages as before the first, and returns an error that wraps
// ctx.Err() (errors.Is(err, context.Canceled) for a cancelled request).
func (c *Client) Directory(ctx context.Context) (*Org, error) {
	dq, uq := rest.DepartmentQuery(), rest.UserQuery(nil)
	var deps []rest.Department
	var users []rest.User
	err := c.listMany(ctx, []*rest.ListQuery{dq, uq}, func(q *rest.ListQuery, rows []json.RawMessage) error {
		if q == dq {
			ds, err := decodeRows[rest.Department](q, rows, len(deps))
			deps = append(deps, ds...)
			return err
		}
		us, err := decodeRows[rest.User](q, rows, len(users))
		users = append(users, us...)
		return err
	})
	if err != nil {
		return nil, err
	}
	return buildOrg(deps, users)
}

func buildOrg(deps []rest.Department, users []rest.User) (*Org, error) {
	byID := make(map[int64]rest.Department, len(deps))
	for _, d := range deps {
		if d.ID == 0 {
			return nil, fmt.Errorf("bitrix24: department.get: a department without an ID")
		}
		if _, dup := byID[d.ID]; dup {
			return nil, fmt.Errorf("bitrix24: department.get: department %d listed twice", d.ID)
		}
		byID[d.ID] = d
	}
	for _, d := range deps {
		seen := map[int64]bool{d.ID: true}
		for p := d.Parent; p != 0; p = byID[p].Parent {
			if _, ok := byID[p]; !ok {
				return nil, fmt.Errorf("bitrix24: department %d: parent %d is not in department.get", d.ID, p)
			}
			if seen[p] {
				return nil, fmt.Errorf("bitrix24: department %d: parents form a cycle", d.ID)
			}
			seen[p] = true
		}
	}
	sorted := append([]rest.Department(nil), deps...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	o := &Org{}
	for _, d := range sorted {
		u := org.Unit{ID: itoa(d.ID), Name: d.Name}
		if d.Parent != 0 {
			u.Parent = itoa(d.Parent)
		}
		if d.Head != 0 {
			u.Head = itoa(d.Head)
		}
		o.units = append(o.units, u)
	}
	us := append([]rest.User(nil), users...)
	sort.Slice(us, func(i, j int) bool { return us[i].ID < us[j].ID })
	for i, u := range us {
		if u.ID == 0 {
			return nil, fmt.Errorf("bitrix24: user.get: a user without an ID")
		}
		if i > 0 && us[i-1].ID == u.ID {
			return nil, fmt.Errorf("bitrix24: user.get: user %d listed twice", u.ID)
		}
		deps := append([]int64(nil), u.Departments...)
		sort.Slice(deps, func(i, j int) bool { return deps[i] < deps[j] })
		for j, d := range deps {
			if j > 0 && deps[j-1] == d {
				continue
			}
			if _, ok := byID[d]; !ok {
				return nil, fmt.Errorf("bitrix24: user %d: department %d is not in department.get", u.ID, d)
			}
			o.members = append(o.members, org.Membership{User: itoa(u.ID), Unit: itoa(d)})
		}
		du := User{ID: itoa(u.ID), Name: u.FullName(), Active: u.Active, Position: u.WorkPosition}
		// In the portal's order, each once: UF_DEPARTMENT may repeat one.
		for j, d := range u.Departments {
			if !slices.Contains(u.Departments[:j], d) {
				du.Departments = append(du.Departments, itoa(d))
			}
		}
		o.users = append(o.users, du)
	}
	return o, nil
}

// Units returns the departments, in ascending id order. Once ctx is done
// it returns ctx.Err() instead, as memory.Directory does: a host whose
// request was cancelled gets the cancellation, not the units.
func (o *Org) Units(ctx context.Context) ([]org.Unit, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return append([]org.Unit(nil), o.units...), nil
}

// Memberships returns who is in which department, by user and department
// id. Once ctx is done it returns ctx.Err() instead, as Units does.
func (o *Org) Memberships(ctx context.Context) ([]org.Membership, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return append([]org.Membership(nil), o.members...), nil
}

// Users returns every user, dismissed ones included, in ascending id order.
func (o *Org) Users() []User {
	out := make([]User, len(o.users))
	for i, u := range o.users {
		u.Departments = append([]string(nil), u.Departments...)
		out[i] = u
	}
	return out
}

// MarshalJSON writes {"units": […], "memberships": […], "users": […]}; users
// carry id, name, active, position and departments (no e-mail or phone).
func (o *Org) MarshalJSON() ([]byte, error) {
	doc := struct {
		Units       []org.Unit       `json:"units"`
		Memberships []org.Membership `json:"memberships"`
		Users       []User           `json:"users"`
	}{Units: o.units, Memberships: o.members, Users: o.users}
	if doc.Units == nil {
		doc.Units = []org.Unit{}
	}
	if doc.Memberships == nil {
		doc.Memberships = []org.Membership{}
	}
	if doc.Users == nil {
		doc.Users = []User{}
	}
	return json.Marshal(doc)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
