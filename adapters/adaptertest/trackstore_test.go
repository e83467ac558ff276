package adaptertest_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/internal/testenv"
	"github.com/goalkit/goalkit/kpi"
)

// The ways a TrackStore can break the contract, each a flaw of trackStore
// that TestTrackStore must catch.
const (
	handsOutStored   = "hands_out_the_batches_it_keeps"
	keepsCallers     = "keeps_the_callers_batch"
	storesRefused    = "stores_the_keys_of_a_refused_batch"
	commitsCanceled  = "commits_with_a_canceled_context"
	loadsNewestFirst = "loads_the_newest_batch_first"
	locksTwice       = "lends_its_lock_twice"
)

var trackStoreFlaws = []string{handsOutStored, keepsCallers, storesRefused, commitsCanceled, loadsNewestFirst, locksTwice}

// trackStore is a kpi.TrackStore and kpi.TrackLocker in memory, with a
// flaw or none.
type trackStore struct {
	mu      sync.Mutex
	batches []*kpi.TrackBatch
	keys    map[string]bool
	locked  bool
	flaw    string
}

func (s *trackStore) Commit(ctx context.Context, b *kpi.TrackBatch) error {
	if err := ctx.Err(); err != nil && s.flaw != commitsCanceled {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.keys == nil {
		s.keys = map[string]bool{}
	}
	seen := map[string]bool{}
	for _, r := range b.Ledger {
		if s.keys[r.Key] || seen[r.Key] {
			if s.flaw == storesRefused {
				maps.Copy(s.keys, seen)
			}
			return fmt.Errorf("ledger key %q: %w", r.Key, kpi.ErrDuplicateKey)
		}
		seen[r.Key] = true
	}
	maps.Copy(s.keys, seen)
	if s.flaw == keepsCallers {
		s.batches = append(s.batches, b)
	} else {
		s.batches = append(s.batches, copyBatch(b))
	}
	return nil
}

func (s *trackStore) Load(ctx context.Context, fn func(*kpi.TrackBatch) error) error {
	s.mu.Lock()
	bs := slices.Clone(s.batches)
	s.mu.Unlock()
	if s.flaw == loadsNewestFirst {
		slices.Reverse(bs)
	}
	for _, b := range bs {
		if s.flaw != handsOutStored {
			b = copyBatch(b)
		}
		if err := fn(b); err != nil {
			return err
		}
	}
	return nil
}

func (s *trackStore) Lock(context.Context) (func() error, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.locked && s.flaw != locksTwice {
		return nil, kpi.ErrStoreInUse
	}
	s.locked = true
	return func() error {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.locked = false
		return nil
	}, nil
}

func copyBatch(b *kpi.TrackBatch) *kpi.TrackBatch {
	c := &kpi.TrackBatch{}
	for i := range b.Events {
		c.Events = append(c.Events, b.Events[i].Clone())
	}
	for _, rs := range []struct{ from, to *[]kpi.TrackRecord }{{&b.Ledger, &c.Ledger}, {&b.Closed, &c.Closed}} {
		for _, r := range *rs.from {
			*rs.to = append(*rs.to, kpi.TrackRecord{Key: r.Key, Data: slices.Clone(r.Data)})
		}
	}
	return c
}

// TestTrackStoreSuite runs the suite on a store without flaws: it passes.
func TestTrackStoreSuite(t *testing.T) {
	adaptertest.TestTrackStore(t, func() kpi.TrackStore { return &trackStore{} })
}

const trackStoreChildEnv = "ADAPTERTEST_FLAWED_TRACKSTORE_CHILD"

// TestFlawedTrackStores checks that TestTrackStore catches stores that each
// break one rule of the contract, in a child process (they must fail).
func TestFlawedTrackStores(t *testing.T) {
	if !testenv.Flawed(t, trackStoreChildEnv, trackStoreFlaws) {
		return
	}
	for _, flaw := range trackStoreFlaws {
		t.Run(flaw, func(t *testing.T) {
			adaptertest.TestTrackStore(t, func() kpi.TrackStore { return &trackStore{flaw: flaw} })
		})
	}
}
