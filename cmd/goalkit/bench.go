package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/internal/safefile"
	"github.com/goalkit/goalkit/kpi"
)

type benchResult struct {
	Events            int     `json:"events"`
	LoadMS            float64 `json:"load_ms"`
	LoadCPUMS         float64 `json:"load_cpu_ms"` // processor time of the load, every core's
	DrawMS            float64 `json:"draw_ms"`
	EvaluateMS        float64 `json:"evaluate_ms"`
	EvaluateMinMS     float64 `json:"evaluate_min_ms"`
	NSPerEvent        float64 `json:"ns_per_event"`
	HeapBytesPerEvent float64 `json:"heap_bytes_per_event"`
	Rows              int     `json:"rows"`
	Workers           int     `json:"workers"`
	Iterations        int     `json:"iterations"`
	trackFigures              // live tracking (benchtrack.go), with -track
}

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench", stderr)
	n := fs.Int("n", 1_000_000, "number of events")
	planPath := fs.String("plan", "", "plan file (default: the standard benchmark plan)")
	format := formatFlag(fs, "text", "json")
	write := fs.String("write", "", "write the workload to this CSV file (file format of events) and stop")
	iters := fs.Int("iters", 7, "evaluations to time (the median is reported)")
	track := fs.Bool("track", true, "also measure live tracking (the workload with corrections and retractions)")
	trackCores := fs.Int("track-cores", 1, "cores live tracking may use (GOMAXPROCS while it applies; from 2, growing columns are copied on a second one)")
	seed := fs.Uint64("seed", goalkittest.WorkloadSeed, "generator seed")
	loadHow := fs.String("load", "parallel", "how to load: parallel (memory.Store.ImportParallel, parts on every core) or serial (memory.Store.Import after Grow, one core)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"n", *n}, {"iters", *iters}, {"track-cores", *trackCores}} {
		if f.v < 1 {
			return usagef("-%s must be at least 1, got %d", f.name, f.v)
		}
	}
	if *write != "" {
		// -write writes the workload and stops: a flag of the measure
		// given with it was dropped without a word.
		var refused error
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "plan", "format", "iters", "track", "track-cores", "load":
				if refused == nil {
					refused = usagef("-%s does not apply to -write, which writes the workload (-n, -seed) and stops", f.Name)
				}
			}
		})
		if refused != nil {
			return refused
		}
	}
	// Checked before the workload is drawn (seconds for millions of
	// events) or written.
	if *loadHow != "parallel" && *loadHow != "serial" {
		return usagef("-load: %q is neither parallel nor serial", *loadHow)
	}
	opt := goalkittest.Workload{N: *n, Seed: *seed}
	if *write != "" {
		return writeWorkload(ctx, *write, opt)
	}
	var def *goalkit.Definition
	var err error
	if *planPath != "" {
		def, err = goalkit.ReadDefinition(*planPath)
	} else {
		def, err = goalkit.ParseDefinition("workload.yaml", goalkittest.WorkloadPlan())
	}
	if err != nil {
		return err
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		return err
	}
	// The workload is drawn into memory first, untimed; load_ms is the time
	// to load those events through the public API.
	td := time.Now()
	buf, err := opt.Draw()
	if err != nil {
		return err
	}
	draw := time.Since(td)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	store := memory.New(plan.Calendar().Location())
	t0, c0 := time.Now(), cpuTime()
	if err := benchLoad(ctx, store, buf, *loadHow); err != nil {
		return err
	}
	load, loadCPU := time.Since(t0), cpuTime()-c0
	runtime.GC()
	runtime.ReadMemStats(&after)
	asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var ds []time.Duration
	var rep *goalkit.Report
	for range *iters {
		t := time.Now()
		rep, err = plan.Evaluate(ctx, store, asOf)
		if err != nil {
			return err
		}
		ds = append(ds, time.Since(t))
	}
	slices.Sort(ds)
	med := ds[len(ds)/2]
	res := benchResult{
		Events:            *n,
		LoadMS:            ms(load),
		LoadCPUMS:         ms(loadCPU),
		DrawMS:            ms(draw),
		EvaluateMS:        ms(med),
		EvaluateMinMS:     ms(ds[0]),
		NSPerEvent:        float64(med.Nanoseconds()) / float64(*n),
		HeapBytesPerEvent: float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(*n),
		Rows:              len(rep.Values.Participants()) * len(rep.Values.Periods()),
		Workers:           runtime.GOMAXPROCS(0),
		Iterations:        len(ds),
	}
	runtime.KeepAlive(store)
	runtime.KeepAlive(buf)
	if *track {
		if res.trackFigures, err = benchTrack(ctx, plan, opt, *trackCores, asOf); err != nil {
			return err
		}
	}
	if format.name == "json" {
		return json.NewEncoder(stdout).Encode(res)
	}
	fmt.Fprintf(stdout, "events            %d\nload              %.1f ms, %.1f ms of processor time (drawing the events first took %.1f ms)\nevaluate (median) %.2f ms (min %.2f, %d runs, %d workers)\nper event         %.2f ns\nheap per event    %.1f bytes\nresult rows       %d (participant × period)\n",
		res.Events, res.LoadMS, res.LoadCPUMS, res.DrawMS, res.EvaluateMS, res.EvaluateMinMS, res.Iterations, res.Workers, res.NSPerEvent, res.HeapBytesPerEvent, res.Rows)
	if *track {
		fmt.Fprintf(stdout, "track             %d versions in %.1f ms on %d core(s): %.0f events/s, %.1f bytes retained per event (values equal a batch evaluation)\ntrack read        %.1f ms (every value, from the live aggregates)\n",
			res.Versions, res.ApplyMS, res.Cores, res.EventsPerS, res.BytesPerEvent, res.ReadMS)
	}
	return nil
}

// benchLoad loads the drawn workload into an empty store through the
// public API: in parts on every core, or in one Import.
func benchLoad(ctx context.Context, store *memory.Store, buf *goalkittest.WorkloadBuffer, how string) error {
	switch how {
	case "parallel":
		// Many more parts than cores, so that the cores stay busy to the
		// end: the last part left runs on one core while the others have
		// nothing left to take (half a part on average).
		parts := 16 * runtime.GOMAXPROCS(0)
		return store.ImportParallel(ctx, parts, buf.Len(), func(part int, add func(*kpi.Event) error) error {
			return buf.ReplayPart(part, parts, add)
		})
	case "serial":
		store.Grow(buf.Len())
		return store.Import(ctx, func(add func(*kpi.Event) error) error {
			return buf.Replay(add)
		})
	}
	return usagef("-load: %q is neither parallel nor serial", how)
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

// writeWorkload writes the workload to path as a CSV events file, through
// internal/safefile as goalkit export writes: a run that fails or is
// interrupted midway leaves the old file, or none, never the events
// written so far under the name, which a later run would read as the
// whole workload.
func writeWorkload(ctx context.Context, path string, opt goalkittest.Workload) error {
	return safefile.Write(path, os.Stdout, func(out io.Writer) error {
		bw := bufio.NewWriterSize(out, 1<<20)
		w := eventfile.NewWriter(bw, eventfile.CSV, []string{"source", "pipeline"})
		err := opt.Generate(func(e *kpi.Event) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return w.Write(e)
		})
		if err == nil {
			err = w.Flush()
		}
		if err == nil {
			err = bw.Flush()
		}
		return err
	})
}
