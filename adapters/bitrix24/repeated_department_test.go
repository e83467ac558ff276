package bitrix24_test

import (
	"context"
	"slices"
	"testing"
)

// A user whose UF_DEPARTMENT names a department twice is in it once, in
// Users as in Memberships, the departments kept in the portal's order; Users
// listed the department as often as the portal did.
func TestDirectoryRepeatedDepartment(t *testing.T) {
	t.Parallel()
	srv, c := newPortal(t)
	if err := srv.Update("user", 4, func(r map[string]any) { r["UF_DEPARTMENT"] = []any{7, 5, 7, "5"} }); err != nil {
		t.Fatal(err)
	}
	bd, err := c.Directory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var deps []string
	for _, u := range bd.Users() {
		if u.ID == "4" {
			deps = u.Departments
		}
	}
	if want := []string{"7", "5"}; !slices.Equal(deps, want) {
		t.Errorf("user 4's departments %q, want %q", deps, want)
	}
	ms, err := bd.Memberships(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var units []string
	for _, m := range ms {
		if m.User == "4" {
			units = append(units, m.Unit)
		}
	}
	if want := []string{"5", "7"}; !slices.Equal(units, want) {
		t.Errorf("user 4's memberships %q, want %q", units, want)
	}
}
