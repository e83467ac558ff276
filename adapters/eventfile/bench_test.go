package eventfile

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// The standard workload (shared/bench/WORKLOAD.md) as event lines.
var (
	benchKinds   = []string{"lead_created", "deal_created", "deal_won", "deal_lost", "call", "meeting", "email"}
	benchKindCum = []int{15, 25, 29, 33, 63, 75, 100}
	benchSources = []string{"web", "partner", "referral", "cold_call", "event", "ads", "email_campaign", "other"}
	benchOpt     = Options{Attributes: map[string]kpi.AttrType{"source": kpi.AttrString, "pipeline": kpi.AttrInt}}
)

// workload writes n events of the standard workload in format f.
// benchOptions is benchOpt for files of format f.
func benchOptions(f Format) Options {
	opt := benchOpt
	opt.Format = f
	return opt
}

func workload(tb testing.TB, n int, f Format) []byte {
	r := rand.New(rand.NewPCG(20250101, 1))
	msk := time.FixedZone("", 3*3600)
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, msk).Unix()
	span := int64(365 * 86400)
	var buf bytes.Buffer
	w := NewWriter(&buf, f, []string{"source", "pipeline"})
	// The writer writes a deleted column; the standard file has none, so
	// the CSV is written by hand.
	if f == CSV {
		buf.WriteString("id,kind,time,actor,amount,currency,source,pipeline\n")
	}
	var line []byte
	for i := range n {
		p := r.IntN(100)
		k := 0
		for p >= benchKindCum[k] {
			k++
		}
		e := kpi.Event{
			ID:    fmt.Sprint(i + 1),
			Kind:  benchKinds[k],
			Time:  time.Unix(start+int64(i)*span/int64(n), 0).In(msk),
			Actor: fmt.Sprintf("u%d", 1+r.IntN(2000)),
			Attrs: map[string]any{"source": benchSources[r.IntN(8)], "pipeline": int64(1 + r.IntN(3))},
		}
		if k >= 1 && k <= 3 {
			e.Amount.Decimal, e.Amount.Valid = decimal.New(10_000+r.Int64N(100_000_000-10_000+1), -2), true
			e.Currency = "RUB"
		}
		if f == NDJSON {
			if err := w.Write(&e); err != nil {
				tb.Fatal(err)
			}
			continue
		}
		line = fmt.Appendf(line[:0], "%s,%s,%s,%s,", e.ID, e.Kind, e.Time.Format(time.RFC3339), e.Actor)
		if e.Amount.Valid {
			line = fmt.Appendf(line, "%s,%s", decimalText(e.Amount.Decimal), e.Currency)
		} else {
			line = append(line, ',')
		}
		line = fmt.Appendf(line, ",%s,%d\n", e.Attrs["source"], e.Attrs["pipeline"])
		buf.Write(line)
	}
	if f == NDJSON {
		if err := w.Flush(); err != nil {
			tb.Fatal(err)
		}
	}
	return buf.Bytes()
}

func benchRead(b *testing.B, f Format, parallel int) {
	const n = 200_000
	data := workload(b, n, f)
	b.SetBytes(int64(len(data)))
	ctx := context.Background()
	var sink int
	for b.Loop() {
		var err error
		if parallel == 0 {
			err = read(ctx, bytes.NewReader(data), "bench", f, benchOpt, func(_ int64, e *kpi.Event) error {
				sink += len(e.Attrs)
				return nil
			})
		} else {
			err = readParallel(ctx, bytes.NewReader(data), "bench", f, benchOpt, parallel, blockSize, func(_ int64, e *kpi.Event) error {
				sink += len(e.Attrs)
				return nil
			})
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/line")
	b.ReportMetric(float64(len(data))/n, "bytes/line")
}

func BenchmarkReadCSV(b *testing.B)            { benchRead(b, CSV, 0) }
func BenchmarkReadNDJSON(b *testing.B)         { benchRead(b, NDJSON, 0) }
func BenchmarkReadParallelCSV(b *testing.B)    { benchRead(b, CSV, 2) }
func BenchmarkReadParallelNDJSON(b *testing.B) { benchRead(b, NDJSON, 2) }

// benchLoad loads the workload into an empty memory store with Load, as
// goalkit eval does: in batches (the store is a BatchStore), or, with
// oneByOne, through its Import alone, a version at a time.
func benchLoad(b *testing.B, f Format, oneByOne bool) {
	const n = 1_000_000
	data := workload(b, n, f)
	b.SetBytes(int64(len(data)))
	ctx := context.Background()
	opt := benchOptions(f)
	for b.Loop() {
		s := memory.New(time.UTC)
		var dst Store = s
		if oneByOne {
			dst = StoreFunc(s.Import)
		}
		if err := Load(ctx, dst, bytes.NewReader(data), "bench", opt); err != nil {
			b.Fatal(err)
		}
		if s.Len() != n {
			b.Fatalf("%d events, want %d", s.Len(), n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/line")
}

func BenchmarkLoadCSV(b *testing.B)            { benchLoad(b, CSV, false) }
func BenchmarkLoadNDJSON(b *testing.B)         { benchLoad(b, NDJSON, false) }
func BenchmarkLoadCSVOneByOne(b *testing.B)    { benchLoad(b, CSV, true) }
func BenchmarkLoadNDJSONOneByOne(b *testing.B) { benchLoad(b, NDJSON, true) }

// BenchmarkLoadCSVPaths loads the workload's CSV into an empty memory
// store by each path Load may take for it, in one run: coded where parsed
// and stitched in order (what Load takes), by position in order on one
// goroutine while the others parse (ImportColumns), and in parts merged
// at the end (ImportColumnParts). Run it with -cpu 1,2.
func BenchmarkLoadCSVPaths(b *testing.B) {
	const n = 1_000_000
	data := workload(b, n, CSV)
	ctx := context.Background()
	opt := benchOptions(CSV)
	procs := runtime.GOMAXPROCS(0)
	paths := []struct {
		name string
		load func(s *memory.Store) error
	}{
		{"coded", func(s *memory.Store) error {
			_, err := loadCoded(ctx, s, bytes.NewReader(data), "bench", opt, procs, partBlockSize)
			return err
		}},
		{"columns", func(s *memory.Store) error {
			return loadColumns(ctx, s, bytes.NewReader(data), "bench", opt, procs-1, blockSize)
		}},
		{"parts", func(s *memory.Store) error {
			return loadParts(ctx, s, bytes.NewReader(data), "bench", opt, procs, partBlockSize)
		}},
	}
	for _, p := range paths {
		b.Run(p.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				s := memory.New(time.UTC)
				if err := p.load(s); err != nil {
					b.Fatal(err)
				}
				if s.Len() != n {
					b.Fatalf("%d events, want %d", s.Len(), n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/line")
		})
	}
}

// BenchmarkLoadParts100k loads 100k events of the workload by Load into a
// memory store through the paths that fill parts and merge them: an
// NDJSON file into an empty store (ImportParts), and a CSV file into a
// store that holds an event (ImportColumns, whose attributes by position
// fill a part). It is small enough to count its instructions.
func BenchmarkLoadParts100k(b *testing.B) {
	const n = 100_000
	for _, f := range []Format{NDJSON, CSV} {
		data := workload(b, n, f)
		b.Run(f.String(), func(b *testing.B) {
			ctx := context.Background()
			opt := benchOptions(f)
			for b.Loop() {
				s := memory.New(time.UTC)
				held := 0
				if f == CSV {
					held = 1
					if err := s.Apply(kpi.Event{ID: "held", Kind: "call", Time: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Actor: "u"}); err != nil {
						b.Fatal(err)
					}
				}
				if err := Load(ctx, s, bytes.NewReader(data), "bench", opt); err != nil {
					b.Fatal(err)
				}
				if s.Len() != n+held {
					b.Fatalf("%d events, want %d", s.Len(), n+held)
				}
			}
		})
	}
}

// BenchmarkLoadCoded100k loads 100k events of the workload's CSV by Load
// into an empty memory store, coded where they are parsed and stitched
// in order: small enough to count its instructions.
func BenchmarkLoadCoded100k(b *testing.B) {
	const n = 100_000
	data := workload(b, n, CSV)
	ctx := context.Background()
	opt := benchOptions(CSV)
	for b.Loop() {
		s := memory.New(time.UTC)
		if done, err := loadCoded(ctx, s, bytes.NewReader(data), "bench", opt, 1, partBlockSize); !done || err != nil {
			b.Fatal(done, err)
		}
		if s.Len() != n {
			b.Fatalf("%d events, want %d", s.Len(), n)
		}
	}
}
