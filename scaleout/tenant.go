package scaleout

import (
	"fmt"
	"strings"
)

// CheckTenant checks a tenant name: 1 to 64 ASCII letters, digits, '-' and
// '_'. Adapters build subject, stream, topic and bucket names from it, so
// that one tenant's names never match another's.
func CheckTenant(name string) error {
	if name == "" || len(name) > 64 {
		return fmt.Errorf("tenant %q: want 1 to 64 letters, digits, '-' or '_'", name)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return fmt.Errorf("tenant %q: want 1 to 64 letters, digits, '-' or '_'", name)
		}
	}
	return nil
}

// CheckNewTenant checks the name of a tenant to be made: CheckTenant's, and in
// lower case. Names that differ only in case would be one tenant to a
// person and two to the servers (two streams, two topics), or one on a
// file system that ignores case: adapters make new tenants in lower case
// only, so that no two differ only in case, and open a tenant made by an
// earlier release under a name with capitals as before.
func CheckNewTenant(name string) error {
	if err := CheckTenant(name); err != nil {
		return err
	}
	if low := strings.ToLower(name); low != name {
		return fmt.Errorf("tenant %q: a new tenant's name is in lower case (%q): names that differ only in case would name two tenants", name, low)
	}
	return nil
}
