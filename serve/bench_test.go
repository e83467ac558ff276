package serve

import (
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// benchEvents are n deals and calls of the six people of the test plan.
func benchEvents(first, n int) []byte {
	people := []string{"n1", "n2", "n3", "s1", "s2", "s3"}
	var events []kpi.Event
	for i := first; i < first+n; i++ {
		at := time.Date(2025, 3, 1+i%19, 10, i%60, 0, 0, time.UTC)
		id := fmt.Sprintf("e%d", i)
		if i%3 == 0 {
			events = append(events, call(id, people[i%6], at))
		} else {
			events = append(events, deal(id, people[i%6], fmt.Sprintf("%d.%02d", 1000+i%5000, i%100), at))
		}
	}
	return ndjson(nil, events)
}

// A report read by a viewer whose scope's JSON is written already, and one
// that evaluates the report and writes it (after a change).
func BenchmarkReportRead(b *testing.B) {
	f := newFixture(b, nil)
	f.do("POST", "/api/v1/events", writerToken, "application/x-ndjson", benchEvents(0, 5000))
	b.Run("cached", func(b *testing.B) {
		for b.Loop() {
			if w := f.do("GET", "/api/v1/report", n2Token, "", nil); w.Code != 200 {
				b.Fatal(w.Code)
			}
		}
	})
	b.Run("after-change", func(b *testing.B) {
		for b.Loop() {
			f.srv.changed()
			if w := f.do("GET", "/api/v1/report", n2Token, "", nil); w.Code != 200 {
				b.Fatal(w.Code)
			}
		}
	})
}

// A batch of 1,000 new events through the handler, into the tracker in
// memory.
func BenchmarkIngest(b *testing.B) {
	f := newFixture(b, nil)
	next := 0
	for b.Loop() {
		body := benchEvents(next, 1000)
		next += 1000
		if w := f.do("POST", "/api/v1/events", writerToken, "application/x-ndjson", body); w.Code != 200 {
			b.Fatal(w.Code, w.Body)
		}
	}
	b.ReportMetric(float64(next)/b.Elapsed().Seconds(), "events/s")
}
