package serve

import (
	"context"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goalkittest"
)

// A tracker of another plan (here another Compile of the same file) is
// refused: the server would read one plan's definitions and serve the
// other's reports.
func TestNewRefusesTrackerOfAnotherPlan(t *testing.T) {
	ctx := context.Background()
	plan := goalkittest.ReadPlan(t, "testdata/plan.yaml")
	other := goalkittest.ReadPlan(t, "testdata/plan.yaml")
	tf, err := ReadTokenFile("testdata/tokens.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := goalkittest.ReadDirectory(t, "testdata/directory.json")
	opts := []goalkit.EvalOption{goalkit.WithDirectory(dir)}
	tr, err := other.Track(ctx, memory.NewTrackStore(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if tr.Plan() != other {
		t.Fatal("Tracker.Plan is not the plan Track was called on")
	}
	_, err = New(ctx, plan, tr, Config{Auth: tf, Directory: dir, Options: opts})
	if err == nil {
		t.Fatal("New took a tracker of another plan")
	}
	if !strings.Contains(err.Error(), "another plan") {
		t.Errorf("error %q does not say the tracker is of another plan", err)
	}
	if _, err := New(ctx, other, tr, Config{Auth: tf, Directory: dir, Options: opts}); err != nil {
		t.Errorf("New refused the tracker's own plan: %v", err)
	}
}
