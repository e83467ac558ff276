package goalkit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// A store whose events a tracker applied without a seed is not seeded when
// a host starts it again with WithSeed: the seed would not be the store's
// first batch, and its versions (the source's, older) replaced the
// corrections applied since. Track refuses it, and the store keeps its
// events as they were.
func TestTrackerRefusesToSeedAStoreHoldingEvents(t *testing.T) {
	ctx := context.Background()
	plan := callsPlan(t, "2025-03-01", "2025-05-01", `    participants: {users: [anna]}
`)
	at := time.Date(2025, 3, 2, 12, 0, 0, 0, time.UTC)
	store := memory.NewTrackStore()
	tr := startTrackerOn(t, plan, store)
	if err := tr.Apply(ctx, kpi.Event{ID: "1", Kind: "call", Actor: "anna", Time: at}, kpi.Event{ID: "1", Kind: "call", Actor: "boris", Time: at}); err != nil {
		t.Fatal(err)
	}
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	warehouse := kpi.Events{{ID: "1", Kind: "call", Actor: "anna", Time: at}}
	if _, err := plan.Track(ctx, store, goalkit.WithSeed(warehouse)); err == nil || !strings.Contains(err.Error(), "seed: the store holds 1 events applied without a seed") {
		t.Fatalf("Track with a seed over a store holding events: %v", err)
	}
	tr = startTrackerOn(t, plan, store)
	rep := mustReport(t, tr, at.Add(time.Hour))
	if v, _ := rep.Values.Value("calls", "boris", plan.Periods()[0]); !v.Valid || v.Decimal.IntPart() != 1 {
		t.Errorf("boris's calls after the refused seed: %v, want the correction's 1", v)
	}
	// A store that holds only ledger keys is seeded, as the notifiers do.
	keys := memory.NewTrackStore()
	if err := keys.Commit(ctx, &kpi.TrackBatch{Ledger: []kpi.TrackRecord{{Key: "achieved/g/anna/2025-03/"}}}); err != nil {
		t.Fatal(err)
	}
	if tr := startTrackerOn(t, plan, keys, goalkit.WithSeed(warehouse)); tr.Indicators().Len() != 1 {
		t.Errorf("a ledger-only store seeded with %d events, want 1", tr.Indicators().Len())
	}
}
