package scaleout_test

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
)

// TestRecordsSameVersionInAnotherZone: one version of an event given twice
// in a batch, the second with its times (Time, Known, a time attribute) in
// another zone, is the same version, which a worker takes once: Records
// takes both, as it takes an identical copy; it refused the batch as two
// versions known at the same instant. A copy that differs in its amount is
// still refused.
func TestRecordsSameVersionInAnotherZone(t *testing.T) {
	paris := time.FixedZone("Paris", 3600)
	kolkata := time.FixedZone("Kolkata", 5*3600+1800)
	utc := kpi.Event{ID: "deal-1", Kind: "won", Actor: "anna",
		Time:  time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC),
		Known: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC),
		Attrs: map[string]any{"signed": time.Date(2025, 2, 28, 23, 30, 0, 0, time.UTC)}}
	local := utc
	local.Time, local.Known = utc.Time.In(paris), utc.Known.In(kolkata)
	local.Attrs = map[string]any{"signed": time.Date(2025, 2, 28, 23, 30, 0, 0, time.UTC).In(paris)}
	if recs, err := scaleout.Records("b", time.Time{}, []kpi.Event{utc, local}, 2); err != nil || len(recs) != 2 {
		t.Fatalf("one version in two zones: %d records, %v", len(recs), err)
	}
	other := local
	other.Actor = "bob"
	if _, err := scaleout.Records("b", time.Time{}, []kpi.Event{utc, other}, 2); err == nil {
		t.Fatal("two versions known at one instant were taken")
	}
}
