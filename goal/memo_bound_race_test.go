package goal

import (
	"errors"
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
	kept, dropped := 0, 0
	wasKept := false
	keepBesideNotes(t, m, batchOf, batches, 1, func() error {
		switch {
		case m.last != nil:
			kept++
			wasKept = true
		case wasKept:
			dropped++
			wasKept = false
		}
		if (m.last != nil) != (m.seq.Load()&noting != 0) {
			return errors.New("the noting bit does not say whether an evaluation is kept")
		}
		return nil
	})
	checkNotesCounted(t, m, batch*batches)
	t.Logf("kept %d times, dropped past the bound %d times", kept, dropped)
}
