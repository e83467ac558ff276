package adaptertest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
)

// Events returns the live events of src, each a copy that owns its strings,
// sorted by id: what a test compares after a load.
func Events(t testing.TB, src kpi.Source) []kpi.Event {
	t.Helper()
	var out []kpi.Event
	if err := src.Scan(context.Background(), kpi.Query{}, func(e *kpi.Event) error {
		c := e.Clone()
		c.ID = strings.Clone(c.ID)
		out = append(out, c)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(out, func(a, b kpi.Event) int { return strings.Compare(a.ID, b.ID) })
	return out
}
