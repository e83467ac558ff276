package serve

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// A version seeded before is known by its attributes' text, whatever type
// the plan gives them: once the plan declares an attribute (pipeline: int),
// the same CSV file reads "5" as 5, and Seed applied the whole file again,
// a retraction made through the API since undone. A record written with
// the versions' types (before the attributes were digested by their text)
// still counts, and is written again by text.
func TestSeedByAttributeText(t *testing.T) {
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	with := func(e kpi.Event, v any) kpi.Event {
		e.Attrs = map[string]any{"pipeline": v}
		return e
	}
	asText := []kpi.Event{with(deal("a", "n2", "1000", at), "5"), with(deal("b", "n2", "500", at), "6")}
	asInt := []kpi.Event{with(deal("a", "n2", "1000", at), int64(5)), with(deal("b", "n2", "500", at), int64(6))}
	for _, old := range []bool{false, true} {
		t.Run(fmt.Sprintf("record of types %v", old), func(t *testing.T) {
			f := newFixture(t, nil)
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
				if err := f.tr.Indicators().Commit(context.Background(), &kpi.TrackBatch{Closed: []kpi.TrackRecord{{Key: seedKey, Data: record}}}); err != nil {
					t.Fatal(err)
				}
				f.wantSeeded(asText, 0)
			} else {
				f.wantSeeded(asText, 2)
			}
			f.wantRevenue("n2", "1500")
			f.post(kpi.Event{ID: "a", Deleted: true})
			f.wantRevenue("n2", "500")
			f.wantSeeded(asText, 0)
			f.wantSeeded(asInt, 0) // the plan now types pipeline
			f.wantRevenue("n2", "500")
			f.restart()
			f.wantSeeded(asInt, 0)
			f.wantRevenue("n2", "500")
		})
	}
}
