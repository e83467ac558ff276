package workload

import (
	"testing"

	"github.com/goalkit/goalkit/kpi"
)

// TestReplayIsGenerate checks that a drawn buffer replays exactly the events
// Generate yields, corrections and retractions included.
func TestReplayIsGenerate(t *testing.T) {
	o := Options{N: 20_000, CorrectedPerMille: 50, RetractedPerMille: 20}
	var want []kpi.Event
	if err := Generate(o, func(e *kpi.Event) error {
		c := e.Clone()
		c.ID = string([]byte(e.ID))
		want = append(want, c)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	b, err := Draw(o)
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	err = b.Replay(func(e *kpi.Event) error {
		w := want[i]
		i++
		same := e.ID == w.ID && e.Deleted == w.Deleted
		if !w.Deleted {
			same = same && e.Kind == w.Kind && e.Time.Equal(w.Time) && e.Actor == w.Actor && e.Amount.Valid == w.Amount.Valid &&
				(!w.Amount.Valid || e.Amount.Decimal.Equal(w.Amount.Decimal)) && e.Attrs["source"] == w.Attrs["source"] && e.Attrs["pipeline"] == w.Attrs["pipeline"]
		}
		if !same {
			t.Fatalf("event %d: replayed %+v, generated %+v", i-1, *e, w)
		}
		return nil
	})
	if err != nil || i != len(want) {
		t.Fatalf("replayed %d of %d events: %v", i, len(want), err)
	}
}
