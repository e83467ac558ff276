package mapping

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// dealsTable writes a deals table of n rows like testdata/deals.csv: 500
// agents, 35 products, 5,000 accounts, deals engaged over 2024 and 2025;
// 40 % won, 30 % lost, 20 % engaging and 10 % prospecting.
func dealsTable(n int) []byte {
	r := rand.New(rand.NewPCG(2017, 3))
	var buf bytes.Buffer
	buf.Grow(n * 90)
	buf.WriteString(dealsHeader)
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		engaged := start.AddDate(0, 0, r.IntN(730))
		closed := engaged.AddDate(0, 0, 1+r.IntN(120))
		stage, eng, cls, value := "Prospecting", "", "", ""
		switch p := r.IntN(10); {
		case p < 4:
			stage, value = "Won", fmt.Sprint(50+r.IntN(30000))
		case p < 7:
			stage, value = "Lost", "0"
		case p < 9:
			stage = "Engaging"
		}
		if stage != "Prospecting" {
			eng = engaged.Format(time.DateOnly)
		}
		if stage == "Won" || stage == "Lost" {
			cls = closed.Format(time.DateOnly)
		}
		fmt.Fprintf(&buf, "D%08d,Agent %d,Product %d,Account %d,%s,%s,%s,%s\n",
			i, r.IntN(500), r.IntN(35), r.IntN(5000), stage, eng, cls, value)
	}
	return buf.Bytes()
}

// BenchmarkLoadCSV loads a deals table through testdata/deals.yaml into an
// empty memory.Store: three versions a row (one per rule, the event or its
// retraction). The reference loads the same versions from an event file
// with eventfile.Load, in the same run.
func BenchmarkLoadCSV(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		m := compileFile(b, "deals.yaml")
		ny, err := time.LoadLocation("America/New_York")
		if err != nil {
			b.Fatal(err)
		}
		// The table is built by the first sub-benchmark that runs, so that
		// one run alone (under callgrind, say) builds only its own.
		var built []byte
		tableOf := func() []byte {
			if built == nil {
				built = dealsTable(n)
			}
			return built
		}
		b.Run(fmt.Sprintf("rows=%d/mapping", n), func(b *testing.B) {
			table := tableOf()
			b.SetBytes(int64(len(table)))
			for b.Loop() {
				s := memory.New(ny)
				if err := m.LoadCSV(context.Background(), s, bytes.NewReader(table), "deals.csv", Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
		})
		b.Run(fmt.Sprintf("rows=%d/eventfile", n), func(b *testing.B) {
			table := tableOf()
			var file bytes.Buffer
			w := eventfile.NewWriter(&file, eventfile.CSV, []string{"product", "account"})
			err := m.LoadCSV(context.Background(), eventfile.StoreFunc(func(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
				return fn(w.Write)
			}), bytes.NewReader(table), "deals.csv", Options{})
			if err == nil {
				err = w.Flush()
			}
			if err != nil {
				b.Fatal(err)
			}
			data := file.Bytes()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				s := memory.New(ny)
				if err := eventfile.Load(context.Background(), s, bytes.NewReader(data), "deals-events.csv", eventfile.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
		})
	}
}
