package scaleout

import "fmt"

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
