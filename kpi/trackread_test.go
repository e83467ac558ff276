package kpi_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// TestTrackerReadsStayPut: the tracker keeps the values it read and
// recomputes only what later batches change; a Result read earlier never
// changes afterwards (rows of it are shared with later ones), each read
// equals a batch evaluation of the versions applied so far, and a view of
// a result is the result's rows.
func TestTrackerReadsStayPut(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		set, req := drawTracking(t)
		batches := drawBatches(t, req)
		tr, err := set.Track(ctx, req, nil)
		if err != nil {
			t.Fatal(err)
		}
		type read struct {
			res  *kpi.Result
			text string
		}
		var reads []read
		var applied []kpi.Event
		for _, b := range batches {
			if err := tr.Apply(ctx, b.Events...); err != nil {
				t.Fatal(err)
			}
			applied = append(applied, b.Events...)
			for range rapid.IntRange(0, 2).Draw(t, "reads") {
				res := must(t)(tr.Result(ctx, time.Time{}))
				sameResult(t, "read", res, batchOf(t, set, req, applied))
				reads = append(reads, read{res, fmt.Sprint(res.Rows(), res.Warnings, res.Unpriced)})
				view := res.View(func(p string) bool { return p != "u1" })
				for _, row := range view.Rows() {
					if row.By != nil || row.Other {
						continue // a breakdown's
					}
					if v, ok := res.Value(row.Indicator, row.Participant, row.Period); !ok || !sameValue(v, row.Value) || row.Participant == "u1" {
						t.Fatalf("view: %+v, the result has %v", row, v)
					}
				}
			}
			for i, r := range reads {
				if got := fmt.Sprint(r.res.Rows(), r.res.Warnings, r.res.Unpriced); got != r.text {
					t.Fatalf("read %d changed after later batches:\n%s\nwas\n%s", i, got, r.text)
				}
			}
		}
	})
}
