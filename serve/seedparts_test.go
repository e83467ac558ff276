package serve

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
)

// closedLog is a memory TrackStore that keeps the size of the closed
// records of each batch committed, and fails commits while down is set.
type closedLog struct {
	*memory.TrackStore
	mu      sync.Mutex
	down    bool
	written []int // bytes of closed records, by commit
}

func (s *closedLog) Commit(ctx context.Context, b *kpi.TrackBatch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		return &dbError{}
	}
	n := 0
	for _, r := range b.Closed {
		n += len(r.Key) + len(r.Data)
	}
	if err := s.TrackStore.Commit(ctx, b); err != nil {
		return err
	}
	s.written = append(s.written, n)
	return nil
}

// lastWritten is the size of the closed records of the last commit.
func (s *closedLog) lastWritten() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.written[len(s.written)-1]
}

// A start writes the digests of the versions it adds, not the record of
// every version seeded before: a file of ten million events wrote 160 MB
// at each start that added one. A start whose commit fails (the process
// dies there, or the database is down) leaves the record as it was: the
// next start applies what that one would have, once.
func TestSeedWritesWhatItAdds(t *testing.T) {
	ctx := context.Background()
	dir := goalkittest.ReadDirectory(t, "testdata/directory.json")
	store := &closedLog{TrackStore: memory.NewTrackStore()}
	f := trackFixture(t, goalkittest.ReadPlan(t, "testdata/plan.yaml"), dir, store, store.TrackStore, nil)
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	var file []kpi.Event
	add := func(n int) {
		for range n {
			file = append(file, deal(fmt.Sprintf("d%d", len(file)), "n2", "10", at))
		}
	}
	// The largest a record's key may be: seedKey, a dot and a number.
	const keyRoom = len(seedKey) + 1 + 20
	written := func(versions int) {
		t.Helper()
		if got, most := store.lastWritten(), versions*16+keyRoom; got > most {
			t.Fatalf("a start that adds %d versions wrote %d bytes of records, want at most %d", versions, got, most)
		}
	}
	add(1000)
	f.wantSeeded(file, 1000)
	written(1000)
	for start, more := range []int{3, 1, 20} {
		f.restart()
		f.wantSeeded(file, 0)
		add(more)
		f.wantSeeded(file, more)
		written(more)
		if start == 1 {
			// This start dies as it commits what it adds.
			add(5)
			store.mu.Lock()
			store.down = true
			store.mu.Unlock()
			if _, err := f.srv.Seed(ctx, file); !isStoreFailure(err) {
				t.Fatalf("Seed with the store down: %v, want a store failure", err)
			}
			store.mu.Lock()
			store.down = false
			store.mu.Unlock()
			f.restart()
			f.wantSeeded(file, 5)
			written(5)
		}
	}
	f.restart()
	f.wantSeeded(file, 0)
	if n := f.tr.Indicators().Len(); n != len(file) {
		t.Fatalf("%d events in the tracker, want the file's %d", n, len(file))
	}
}

// isStoreFailure says whether err is a commit the store failed.
func isStoreFailure(err error) bool {
	var sf interface{ StoreFailure() bool }
	return errors.As(err, &sf) && sf.StoreFailure()
}
