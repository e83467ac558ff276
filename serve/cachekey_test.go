package serve

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
)

// Two scopes never share a view's key, whatever names a host's
// authenticator gives (a NUL or a quote in a user or team name).
func TestViewKeysOfScopesDiffer(t *testing.T) {
	ids := []Identity{
		{Viewer: goal.Viewer{User: "a\x00b"}},
		{Viewer: goal.Viewer{User: "a"}, Teams: []string{"b"}},
		{Viewer: goal.Viewer{User: "a"}, Teams: []string{"b", "c"}},
		{Viewer: goal.Viewer{User: "a"}, Teams: []string{"b\x00c"}},
		{Viewer: goal.Viewer{User: "a"}, Teams: []string{`b" "c`}},
		{Viewer: goal.Viewer{User: "a", Admin: true}},
		{Viewer: goal.Viewer{User: "a"}},
	}
	seen := map[string]int{}
	for i, id := range ids {
		k := viewKey(id)
		if j, dup := seen[k]; dup {
			t.Errorf("identities %d and %d share the view key %q", j, i, k)
		}
		seen[k] = i
	}
}

// A report as known at the Unix epoch is not the report of everything
// known: the two have cache entries of their own.
func TestCacheKeepsKnownAtTheEpochApart(t *testing.T) {
	var c reportCache
	asOf := time.Date(2025, 3, 20, 12, 0, 0, 0, time.UTC)
	plain, epoch := &goalkit.Report{}, &goalkit.Report{}
	got, _ := c.get(asOf, time.Time{}, func() (*goalkit.Report, error) { return plain, nil })
	if got != plain {
		t.Fatal("the plain report was not made")
	}
	got, _ = c.get(asOf, time.Unix(0, 0), func() (*goalkit.Report, error) { return epoch, nil })
	if got != epoch {
		t.Fatal("the report as known at the epoch is the plain report's cache entry")
	}
}

// Two instants 2⁶⁴ nanoseconds apart (about 584 years) have one
// UnixNano; they are two reports all the same, as of and as known at.
func TestCacheKeepsFarInstantsApart(t *testing.T) {
	near := time.Date(2025, 3, 20, 12, 0, 0, 0, time.UTC)
	far := near
	for range 4 {
		far = far.Add(1 << 62) // 2⁶⁴ ns in all, past the largest Duration
	}
	if near.UnixNano() != far.UnixNano() {
		t.Fatalf("%s and %s do not share a UnixNano: the test shows nothing", near, far)
	}
	t.Run("as of", func(t *testing.T) {
		var c reportCache
		a, b := &goalkit.Report{}, &goalkit.Report{}
		c.get(near, time.Time{}, func() (*goalkit.Report, error) { return a, nil })
		if got, _ := c.get(far, time.Time{}, func() (*goalkit.Report, error) { return b, nil }); got != b {
			t.Errorf("the report as of %s is the report as of %s", far, near)
		}
	})
	t.Run("known at", func(t *testing.T) {
		var c reportCache
		a, b := &goalkit.Report{}, &goalkit.Report{}
		c.get(near, near, func() (*goalkit.Report, error) { return a, nil })
		if got, _ := c.get(near, far, func() (*goalkit.Report, error) { return b, nil }); got != b {
			t.Errorf("the report as known at %s is the report as known at %s", far, near)
		}
	})
	t.Run("same instant, other zone", func(t *testing.T) {
		var c reportCache
		a := &goalkit.Report{}
		c.get(near, time.Time{}, func() (*goalkit.Report, error) { return a, nil })
		moscow := near.In(time.FixedZone("MSK", 3*3600))
		if got, _ := c.get(moscow, time.Time{}, func() (*goalkit.Report, error) { return &goalkit.Report{}, nil }); got != a {
			t.Error("one instant in another zone is made again")
		}
	})
}
