package goalkit_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
)

// A company goal for each member without a directory measures, as known at
// an instant, only those whose events were known then: Evaluate with
// WithKnownAt gives the goal rows and ranks that AsKnownAt gives, and no
// row of 0 to someone whose every event was learned later.
func TestEvaluateKnownAtActorsProperty(t *testing.T) {
	plan := callsPlan(t, "2025-03-01", "2025-04-01", "    participants: {company: true, mode: each}\n")
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	rapid.Check(t, func(rt *rapid.T) {
		n := rapid.IntRange(1, 12).Draw(rt, "n")
		var events []kpi.Event
		for i := range n {
			day := rapid.IntRange(0, 29).Draw(rt, "day")
			at := start.Add(time.Duration(day)*24*time.Hour + time.Hour)
			events = append(events, kpi.Event{
				ID: fmt.Sprintf("e%d", i), Kind: "call", Time: at,
				Actor: rapid.SampledFrom([]string{"ann", "bob", "cy"}).Draw(rt, "actor"),
				Known: at.Add(time.Duration(rapid.IntRange(0, 20).Draw(rt, "late")) * 24 * time.Hour),
			})
		}
		k := start.Add(time.Duration(rapid.IntRange(0, 40).Draw(rt, "k")) * 24 * time.Hour)
		ctx := context.Background()
		tr, err := plan.Track(ctx, nil)
		if err != nil {
			rt.Fatal(err)
		}
		defer tr.Close()
		if err := tr.Apply(ctx, events...); err != nil {
			rt.Fatal(err)
		}
		want, err := tr.AsKnownAt(ctx, k)
		if err != nil {
			rt.Fatal(err)
		}
		got := mustEvaluate(rt, plan, storeOf(rt, time.UTC, events...), k, goalkit.WithKnownAt(k))
		if g, w := reportJSON(rt, got), reportJSON(rt, want); !bytes.Equal(g, w) {
			rt.Fatalf("known at %s:\n%s\nwant (AsKnownAt)\n%s", k, g, w)
		}
	})
}
