package memory_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// Versions of one event kind too many for the store (65,535 kinds into an
// empty store) are refused by ImportParallel with the error Import gives,
// the first version past the limit named, whether the part that holds it
// is applied in place or coded and stitched, as versions of one attribute
// name too many are (TestImportParallelPastTheNames): the same input gives
// the same error whatever the parts' goroutines do.
//
// Expected: every run below fails with Import's `event "e65535": too many
// event kinds (at most 65534)`. Today a run whose last part is coded
// aside and stitched fails with the stitch's count instead, "too many
// event kinds: 65535 (at most 65534)", which names no version, while a
// run whose last part is applied in place names it: the error depends on
// which goroutine got there first.
func TestImportParallelPastTheKinds(t *testing.T) {
	versions := make([]kpi.Event, 1<<16-1)
	for i := range versions {
		versions[i] = kindEvent(fmt.Sprint("e", i+1), i)
	}
	want := memory.New(time.UTC).Import(context.Background(), func(add func(*kpi.Event) error) error {
		return addReusing(add, versions)
	})
	if want == nil || !strings.Contains(want.Error(), `event "e65535"`) {
		t.Fatalf("Import past the kinds: %v", want)
	}
	never := func(int, int) error { return nil }
	for _, r := range []inOrderRun{
		// One part: applied in place.
		{cuts: []int{0, len(versions)}, procs: 1, rows: 1 << 14},
		// The last part coded while part 0 is held, then stitched.
		{cuts: []int{0, 100, len(versions)}, procs: 2, rows: 7, hold: true},
		{cuts: []int{0, 30000, 60000, len(versions)}, procs: 4, rows: 1000, hold: true},
	} {
		r.yield = make([]bool, len(versions))
		s := memory.New(time.UTC)
		err := r.importParallel(context.Background(), s, versions, never)
		if fmt.Sprint(err) != want.Error() {
			t.Errorf("parts %v on %d cores: %v, want Import's %v", r.cuts, r.procs, err, want)
		}
		if s.Len() != 0 {
			t.Errorf("parts %v: a refused import left %d events", r.cuts, s.Len())
		}
	}
}
