package memory_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// An id, a name or a ledger key of 100 KB in a store's error is cut to 64
// bytes and an ellipsis, as the engine's errors (and the SQL stores' ledger
// keys) cut theirs; it was quoted whole.
func TestStoreErrorsClip(t *testing.T) {
	long := strings.Repeat("k", 100_000)
	cut := `"` + strings.Repeat("k", 64) + `…"`
	ctx := context.Background()
	columns := func(names []string, e kpi.Event, values []any) error {
		return memory.New(time.UTC).ImportColumnParts(ctx, func(part func(int, []string) func(*kpi.Event, []any) error) error {
			return part(1, names)(&e, values)
		})
	}
	e := kpi.Event{ID: long, Kind: "call", Time: time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC), Actor: "ann"}
	if err := columns([]string{long, long}, e, []any{"a", "b"}); err == nil || err.Error() != "attribute "+cut+" named twice" {
		t.Errorf("a name twice: got %.200v", err)
	}
	if err := columns([]string{"source"}, e, []any{"a", "b"}); err == nil || err.Error() != "event "+cut+": 2 attribute values for 1 names" {
		t.Errorf("values: got %.200v", err)
	}
	s := memory.NewTrackStore()
	if err := s.Commit(ctx, &kpi.TrackBatch{Ledger: []kpi.TrackRecord{{Key: long}}}); err != nil {
		t.Fatal(err)
	}
	err := s.Commit(ctx, &kpi.TrackBatch{Ledger: []kpi.TrackRecord{{Key: long}}})
	if err == nil || !errors.Is(err, kpi.ErrDuplicateKey) || err.Error() != "ledger key "+cut+": "+kpi.ErrDuplicateKey.Error() {
		t.Errorf("a key twice: got %.200v", err)
	}
}
