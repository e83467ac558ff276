package serve

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// A version seeded before is known by its attributes' text, whatever type
// the plan gives them: once the plan declares an attribute (pipeline: int),
// the same CSV file reads "5" as 5, and Seed applied the whole file again,
// a retraction made through the API since undone. A record written with
// the versions' types (before the attributes were digested by their text)
// still counts, and is written again by text.
func TestSeedByAttributeText(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	with := func(e kpi.Event, v any) kpi.Event {
		e.Attrs = map[string]any{"pipeline": v}
		return e
	}
	asText := []kpi.Event{with(deal("a", "n2", "1000", at), "5"), with(deal("b", "n2", "500", at), "6")}
	asInt := []kpi.Event{with(deal("a", "n2", "1000", at), int64(5)), with(deal("b", "n2", "500", at), int64(6))}
	for _, old := range []bool{false, true} {
		f := newFixture(t, nil)
		revenue := func(want string) {
			t.Helper()
			ex, err := f.srv.Explain(ctx, goal.Viewer{Admin: true}, testNow, cellOf(f, "revenue", "n2"))
			if err != nil {
				t.Fatal(err)
			}
			if !ex.Value.Valid || !ex.Value.Decimal.Equal(decimal.RequireFromString(want)) {
				t.Fatalf("record of types %v: n2's revenue is %v, want %s", old, ex.Value, want)
			}
		}
		seed := func(events []kpi.Event, want int) {
			t.Helper()
			n, err := f.srv.Seed(ctx, events)
			if err != nil || n != want {
				t.Fatalf("record of types %v: Seed: %d applied (%v), want %d", old, n, err, want)
			}
		}
		if old {
			// The file applied, and recorded as before: by the types.
			f.post(asText...)
			var record []byte
			for i := range asText {
				d := versionOf(&asText[i])
				record = append(record, d[:]...)
			}
			if d0, d1 := versionOf(&asText[0]), versionOf(&asText[1]); compareDigests(d0, d1) > 0 {
				record = append(d1[:], d0[:]...)
			}
			if err := f.tr.Indicators().Commit(ctx, &kpi.TrackBatch{Closed: []kpi.TrackRecord{{Key: seedKey, Data: record}}}); err != nil {
				t.Fatal(err)
			}
			seed(asText, 0)
		} else {
			seed(asText, 2)
		}
		revenue("1500")
		f.post(kpi.Event{ID: "a", Deleted: true})
		revenue("500")
		seed(asText, 0)
		seed(asInt, 0) // the plan now types pipeline
		revenue("500")
		f.restart()
		seed(asInt, 0)
		revenue("500")
	}
}
