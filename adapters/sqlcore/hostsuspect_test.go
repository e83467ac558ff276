package sqlcore

import (
	"strings"
	"testing"
)

// TestHostSuspectAmountGuarded checks that a push over a host's SQLite
// table tries the amount's tests only on a row with an amount: a NULL one
// makes each of them NULL, marking nothing, after as many calls (five on
// most of a workload's rows). PostgreSQL's are two cheap tests of scale.
func TestHostSuspectAmountGuarded(t *testing.T) {
	s := &Store{d: Dialect{}, m: Own}
	c := s.hostSuspect()
	guarded := `("amount" IS NOT NULL AND (CAST("amount" AS TEXT) GLOB`
	if !strings.Contains(c, guarded) {
		t.Fatalf("the amount's tests are not guarded by its presence:\n%.400s", c)
	}
	if n := strings.Count(c, `CAST("amount" AS TEXT)`); n != 5 {
		t.Fatalf("%d tests of the amount's text, want 5", n)
	}
}
