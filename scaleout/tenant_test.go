package scaleout_test

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit/scaleout"
)

// A new tenant's name is in lower case, so that no two tenants differ only
// in case; CheckTenant still takes a name with capitals (a tenant made by
// an earlier release opens as before).
func TestCheckNewTenant(t *testing.T) {
	for _, c := range []struct {
		name, err string
	}{
		{"acme", ""},
		{"acme-2_b", ""},
		{"Acme", `tenant "Acme": a new tenant's name is in lower case ("acme")`},
		{"ACME", `tenant "ACME": a new tenant's name is in lower case ("acme")`},
		{"", `tenant "": want 1 to 64`},
		{"ac me", `tenant "ac me": want 1 to 64`},
	} {
		err := scaleout.CheckNewTenant(c.name)
		if c.err == "" && err != nil || c.err != "" && (err == nil || !strings.HasPrefix(err.Error(), c.err)) {
			t.Errorf("CheckNewTenant(%q) = %v, want %q", c.name, err, c.err)
		}
		if old := scaleout.CheckTenant(c.name); (old == nil) != (c.err == "" || strings.Contains(c.err, "lower case")) {
			t.Errorf("CheckTenant(%q) = %v", c.name, old)
		}
	}
}
