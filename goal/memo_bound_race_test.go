package goal

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// Notes past the bound of the changes a Memo keeps, beside evaluations
// kept at the same time: the Memo drops the kept evaluation (clearing the
// noting bit) and Note goes back to counting without the lock, and no
// version is lost: afterwards the count is every version noted and, when
// an evaluation is kept, the changes are exactly those noted after it read
// the count, each once. Run with -race.
func TestMemoNotesPastTheBoundBesideKeptEvaluations(t *testing.T) {
	const batch, batches = 512, 400 // 204,800 versions: past minChanges three times
	batchOf := make([]kpi.Event, batch)
	for i := range batchOf {
		batchOf[i] = kpi.Event{ID: "e", Kind: "call", Actor: "u", Time: time.Unix(1, 0)}
	}
	m := new(Memo)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range batches {
			m.Note(batchOf, nil)
		}
	}()
	kept, dropped := 0, 0
	wasKept := false
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		pr, seq := m.begin(memoKey{}, instants{asOf: time.Unix(1<<40, 0)})
		if pr != nil {
			m.release(pr)
		}
		m.keep(&memoState{seq: seq, events: 1})
		m.mu.Lock()
		switch {
		case m.last != nil:
			kept++
			wasKept = true
		case wasKept:
			dropped++
			wasKept = false
		}
		if (m.last != nil) != (m.seq.Load()&noting != 0) {
			m.mu.Unlock()
			t.Fatal("the noting bit does not say whether an evaluation is kept")
		}
		m.mu.Unlock()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if got := m.seq.Load() &^ noting; got != batch*batches {
		t.Fatalf("counted %d versions, noted %d", got, batch*batches)
	}
	if m.last != nil {
		if want := batch*batches - int(m.last.seq); len(m.changes) != want {
			t.Fatalf("%d changes after the kept evaluation's count %d, want %d", len(m.changes), m.last.seq, want)
		}
		for i, c := range m.changes {
			if c.seq != m.last.seq+uint64(i)+1 {
				t.Fatalf("change %d has seq %d after %d", i, c.seq, m.last.seq)
			}
		}
	} else if len(m.changes) != 0 {
		t.Fatalf("nothing kept, %d changes", len(m.changes))
	}
	t.Logf("kept %d times, dropped past the bound %d times", kept, dropped)
}
