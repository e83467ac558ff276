package goalkit_test

import (
	"context"
	"errors"
	"os"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
)

// liveGoalsPlan is the standard workload's plan with a year of monthly
// goals: 18 calls and meetings a month for each of the 2,000 users, with
// notifications, and a revenue goal for the company.
func liveGoalsPlan(b *testing.B) *goalkit.Plan {
	return workloadPlan(b, "report:\n", `goals:
  - id: activity18
    indicator: activity
    target: 18
    period: {from: 2025-01-01, every: month}
    participants: {company: true, mode: each}
    notify: [{on: achieved}, {on: at_risk}]
  - id: revenue
    indicator: won_sum
    target: 100000000
    period: {from: 2025-01-01, every: month}
    participants: {company: true}
report:
`)
}

// benchEvents is GOALKIT_BENCH_EVENTS, default 1,000,000.
func benchEvents(b *testing.B) int {
	n := 1_000_000
	if s := os.Getenv("GOALKIT_BENCH_EVENTS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	return n
}

// heldTracker returns a tracker of plan holding the standard workload's
// events (benchEvents of them) up to 20 December noon, as a tracker holds
// them then, and that instant.
func heldTracker(b *testing.B, plan *goalkit.Plan) (*goalkit.Tracker, time.Time) {
	ctx := context.Background()
	tr, err := plan.Track(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	const batch = 10_000
	events := make([]kpi.Event, 0, batch)
	flush := func() {
		if err := tr.Apply(ctx, events...); err != nil {
			b.Fatal(err)
		}
		events = events[:0]
	}
	loc := plan.Calendar().Location()
	asOf := time.Date(2025, 12, 20, 12, 0, 0, 0, loc)
	err = goalkittest.Workload{N: benchEvents(b)}.Generate(func(e *kpi.Event) error {
		if e.Time.After(asOf) {
			return nil
		}
		c := *e
		c.ID = strings.Clone(e.ID)
		c.Attrs = map[string]any{"source": e.Attrs["source"], "pipeline": e.Attrs["pipeline"]}
		events = append(events, c)
		if len(events) == batch {
			flush()
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	flush()
	return tr, asOf
}

// BenchmarkLiveReport times what a dashboard waits for: a tracker over the
// standard workload (GOALKIT_BENCH_EVENTS events, default 1,000,000, those
// up to 20 December noon) and the plan of liveGoalsPlan, one event applied
// (an hour before), then the report of
// everyone as of the same instant as the last report, the same with one
// participant asked for, the same narrowed to one participant
// (WithOnlyParticipant), the same without reading the report's values or
// keeping the last report's rows, and as of a second after the last
// report; and, alone, the apply and the read of the live values.
func BenchmarkLiveReport(b *testing.B) {
	plan := liveGoalsPlan(b)
	ctx := context.Background()
	tr, asOf := heldTracker(b, plan)
	defer tr.Close()
	one := kpi.Event{ID: "live-1", Kind: "call", Actor: "7", Time: asOf.Add(-time.Hour)}
	i := 0
	apply := func() {
		i++
		e := one
		e.ID = "live-" + strconv.Itoa(i%100)
		if err := tr.Apply(ctx, e); err != nil {
			b.Fatal(err)
		}
	}
	rep, err := tr.Report(ctx, asOf)
	if err != nil {
		b.Fatal(err)
	}
	if len(rep.Goals.Rows) < 20_000 {
		b.Fatalf("%d goal rows", len(rep.Goals.Rows))
	}
	b.Logf("%d events, %d goal rows, %d notifications", tr.Indicators().Len(), len(rep.Goals.Rows), len(rep.Goals.Notifications))
	for _, bb := range []struct {
		name  string
		opts  []goalkit.EvalOption
		reuse bool
	}{{"everyone", nil, true}, {"one", []goalkit.EvalOption{goalkit.WithParticipants("7")}, true},
		{"only_one", []goalkit.EvalOption{goalkit.WithOnlyParticipant("7")}, true},
		{"everyone_evaluating_goal_values", nil, false}} {
		b.Run(bb.name, func(b *testing.B) {
			defer goalkit.SetReuseValues(bb.reuse)()
			defer reportCPU(b)()
			for b.Loop() {
				apply()
				if _, err := tr.Report(ctx, asOf, bb.opts...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// A report a second later than the last one, as a dashboard polls:
	// the rows of the months over are the last report's, those of the
	// current month retimed, but for the participants of the event applied.
	b.Run("everyone_a_second_later", func(b *testing.B) {
		defer reportCPU(b)()
		at := asOf
		for b.Loop() {
			apply()
			at = at.Add(time.Second)
			if _, err := tr.Report(ctx, at); err != nil {
				b.Fatal(err)
			}
		}
	})
	// A dashboard polling while events stream in: each poll a second
	// later, after an event timed between the two polls.
	b.Run("everyone_streaming", func(b *testing.B) {
		defer reportCPU(b)()
		at := asOf.Add(time.Hour)
		for b.Loop() {
			i++
			e := one
			e.ID, e.Time = "live-"+strconv.Itoa(i%100), at.Add(time.Second/2)
			if err := tr.Apply(ctx, e); err != nil {
				b.Fatal(err)
			}
			at = at.Add(time.Second)
			if _, err := tr.Report(ctx, at); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("apply", func(b *testing.B) {
		for b.Loop() {
			apply()
		}
	})
	b.Run("values", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			apply()
			if _, err := tr.Indicators().Result(ctx, asOf); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// reportCPU reports the CPU time of the process (every thread: the
// collector's too) per iteration as cpu-ms/op, which other processes on a
// shared machine change less than the time: call the function it returns
// after the loop. Where /proc/self/stat cannot be read (not Linux), it
// reports nothing.
func reportCPU(b *testing.B) func() {
	start, ok := processCPU()
	return func() {
		end, ok2 := processCPU()
		if ok && ok2 && b.N > 0 {
			b.ReportMetric(float64(end-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		}
	}
}

// processCPU is the user and system time of the process so far, from
// /proc/self/stat (in clock ticks of 10 ms).
func processCPU() (time.Duration, bool) {
	data, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, false
	}
	// The fields after the command (which may hold spaces) in parentheses:
	// utime and stime are the 14th and 15th of the line.
	i := strings.LastIndexByte(string(data), ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 13 {
		return 0, false
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	s, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(u+s) * 10 * time.Millisecond, true
}

// BenchmarkTrackerApplyUnderReports applies events of the standard
// workload one at a time to a tracker of liveGoalsPlan's plan, alone and
// while one or four goroutines call Report in a loop (dashboards polling
// the tracker): 200,000 events, or as many as two seconds allow (enough
// for the readers to report many times while the writer applies). applies/s
// is the writer's throughput; its ratio to the writer's alone is what the
// readers cost it. With the writer pinned to its thread
// (GOALKIT_BENCH_PIN_WRITER=1; see pinWriter) where a thread can be timed
// (Linux), the writer's processor time per apply (writer-ns/apply) and
// its share of the wall time (writer-on-cpu) tell a writer slowed down (the collector's
// assists and barriers, caches shared with the readers) from one that
// waited for a core; gc-cpu is the collector's processor time as a share
// of the wall time, and cpu-cores the whole process's; ms/report is the
// time a reader waits for a report.
func BenchmarkTrackerApplyUnderReports(b *testing.B) {
	plan := liveGoalsPlan(b)
	// The events wait in a buffer of columns, as goalkit bench's live
	// tracking replays them: a slice of events with their attribute maps
	// would be most of the heap the collector marks at every report.
	events, err := goalkittest.Workload{N: 200_000}.Draw()
	if err != nil {
		b.Fatal(err)
	}
	asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, plan.Calendar().Location())
	for _, readers := range []int{0, 1, 4} {
		b.Run("readers="+strconv.Itoa(readers), func(b *testing.B) {
			defer pinWriter()()
			var c readCounts
			freshRounds(b, plan, func(tr *goalkit.Tracker) {
				c.underReports(b, tr, readers, events.Len(), asOf, replayed(b, events))
			})
			c.report(b)
		})
	}
}

// BenchmarkTrackerApplyUnderReportsHeld is BenchmarkTrackerApplyUnderReports
// on the tracker of BenchmarkLiveReport (the standard workload up to 20
// December noon, GOALKIT_BENCH_EVENTS events), as the other live
// targets measure: new events of the 2,000 users within the hour before,
// applied one at a time for up to two seconds alone, then while one and
// four goroutines report everyone as of that instant in a loop (after
// reads and applies have met once, so that the readers' replica is
// built, and the writer alone queues its versions for it). A tracker
// that holds millions of events has a heap the collector marks seldom for
// what reports allocate, where a small one has it marked all the time.
func BenchmarkTrackerApplyUnderReportsHeld(b *testing.B) {
	plan := liveGoalsPlan(b)
	tr, asOf, each := heldWriter(b, plan)
	defer tr.Close()
	for _, readers := range []int{0, 1, 4} {
		b.Run("readers="+strconv.Itoa(readers), func(b *testing.B) {
			defer pinWriter()()
			var c readCounts
			for b.Loop() {
				c.underReports(b, tr, readers, 10_000_000, asOf, each)
			}
			c.report(b)
		})
	}
}

// heldWriter returns the tracker of heldTracker, the instant its readers
// report as of, and the each of underReports that applies new events of
// the 2,000 users within the hour before it (heldEvent), after reads and
// applies have met once, so that the replica the readers read is built
// (seconds at 10M events), as in a tracker that has served reports beside
// its writer for a while.
func heldWriter(b *testing.B, plan *goalkit.Plan) (*goalkit.Tracker, time.Time, func(apply func(*kpi.Event) bool)) {
	tr, asOf := heldTracker(b, plan)
	i := 0
	next := func() kpi.Event {
		i++
		return heldEvent(asOf, i)
	}
	each := func(apply func(*kpi.Event) bool) {
		for {
			if e := next(); !apply(&e) {
				return
			}
		}
	}
	stop := enginetest.ReadLoop(1, func() error { _, err := tr.Report(context.Background(), asOf); return err })
	for range 20_000 {
		if err := tr.Apply(context.Background(), next()); err != nil {
			b.Fatal(err)
		}
	}
	if err := stop(); err != nil {
		b.Fatal(err)
	}
	return tr, asOf, each
}

// BenchmarkTrackerApplyUnderReportsPaired measures the readers' cost to the
// writer in pairs of rounds a moment apart, where the sub-benchmarks of
// BenchmarkTrackerApplyUnderReports and its Held twin run one after the
// other (seconds apart, another process's work or an index's growth
// falling in one of them, and the held tracker grown by the rounds before
// the last): each iteration is a round of single applies alone and a round
// while four goroutines report in a loop, in turns first and second, and
// readers/alone is the median of the pairs' ratios of applies a second
// (min-readers/alone the lowest). fresh is BenchmarkTrackerApplyUnderReports'
// round: a new tracker, the 200,000 events of the standard workload (or
// two seconds); held is the tracker of heldWriter, GOALKIT_BENCH_EVENTS
// events, with one second a round.
func BenchmarkTrackerApplyUnderReportsPaired(b *testing.B) {
	plan := liveGoalsPlan(b)
	b.Run("fresh", func(b *testing.B) {
		events, err := goalkittest.Workload{N: 200_000}.Draw()
		if err != nil {
			b.Fatal(err)
		}
		asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, plan.Calendar().Location())
		pairedRounds(b, func(readers int) float64 {
			var c readCounts
			freshRound(b, plan, func(tr *goalkit.Tracker) {
				c.underReports(b, tr, readers, events.Len(), asOf, replayed(b, events))
			})
			return c.rate()
		})
	})
	b.Run("held", func(b *testing.B) {
		tr, asOf, each := heldWriter(b, plan)
		defer tr.Close()
		pairedRounds(b, func(readers int) float64 {
			c := readCounts{limit: time.Second}
			c.underReports(b, tr, readers, 10_000_000, asOf, each)
			return c.rate()
		})
	})
}

// pairedRounds runs a pair of rounds an iteration, alone (round(0)) and
// beside four readers (round(4)), the first of the pair alone at every
// other iteration, and reports the mean applies a second of each and the
// median and lowest ratio of a pair's.
func pairedRounds(b *testing.B, round func(readers int) float64) {
	var alone, beside float64
	var ratios []float64
	for b.Loop() {
		var r [5]float64
		order := []int{0, 4}
		if len(ratios)%2 == 1 {
			order = []int{4, 0}
		}
		for _, n := range order {
			r[n] = round(n)
		}
		alone += r[0]
		beside += r[4]
		ratios = append(ratios, r[4]/r[0])
	}
	slices.Sort(ratios)
	n := len(ratios)
	b.ReportMetric(alone/float64(n), "alone-applies/s")
	b.ReportMetric(beside/float64(n), "readers-applies/s")
	b.ReportMetric((ratios[(n-1)/2]+ratios[n/2])/2, "readers/alone")
	b.ReportMetric(ratios[0], "min-readers/alone")
}

// pinWriter locks the writer's goroutine to its thread when
// GOALKIT_BENCH_PIN_WRITER=1, so that the writer's own processor time can
// be read (writer-ns/apply, writer-on-cpu), and returns the unlock. A
// pinned writer waits for its own thread to be scheduled again each time
// it is preempted or blocks, where a host's writer (an ordinary goroutine)
// runs on whichever thread is free: on two cores beside four readers that
// costs it about a fifth of its applies, so applies/s is measured
// unpinned.
func pinWriter() (unpin func()) {
	if os.Getenv("GOALKIT_BENCH_PIN_WRITER") != "1" {
		return func() {}
	}
	runtime.LockOSThread()
	return runtime.UnlockOSThread
}

// readCounts adds up what the iterations of a readers' benchmark measured.
type readCounts struct {
	reports, applied, waited atomic.Int64
	timing                   atomic.Bool
	cost                     writerCost
	// limit is the longest a round applies (0: two seconds).
	limit time.Duration
}

// rate is the writer's applies a second over the rounds so far.
func (c *readCounts) rate() float64 {
	return float64(c.applied.Load()) / c.cost.wall.Seconds()
}

// underReports applies the events each passes (until apply returns false)
// one at a time to tr, for at most max events or c.limit (two seconds by
// default), while readers goroutines report as of asOf in a loop; the timer
// runs while the writer applies.
func (c *readCounts) underReports(b *testing.B, tr *goalkit.Tracker, readers, max int, asOf time.Time, each func(apply func(*kpi.Event) bool)) {
	ctx := context.Background()
	c.beside(b, tr, readers, max, each, func() error {
		start := time.Now()
		if _, err := tr.Report(ctx, asOf); err != nil {
			return err
		}
		if c.timing.Load() { // reports while the writer applies
			c.reports.Add(1)
			c.waited.Add(int64(time.Since(start)))
		}
		return nil
	})
}

// beside is underReports with n goroutines calling read in a loop instead
// of reporting.
func (c *readCounts) beside(b *testing.B, tr *goalkit.Tracker, n, max int, each func(apply func(*kpi.Event) bool), read func() error) {
	ctx := context.Background()
	b.StopTimer()
	stop := enginetest.ReadLoop(n, read)
	b.StartTimer()
	c.cost.start()
	c.timing.Store(true)
	limit := c.limit
	if limit == 0 {
		limit = 2 * time.Second
	}
	deadline := time.Now().Add(limit)
	i := 0
	each(func(e *kpi.Event) bool {
		if err := tr.Apply(ctx, *e); err != nil {
			b.Fatal(err)
		}
		c.applied.Add(1)
		i++
		return i < max && (i%64 != 0 || !time.Now().After(deadline))
	})
	c.timing.Store(false)
	c.cost.stop()
	b.StopTimer()
	if err := stop(); err != nil {
		b.Error(err)
	}
	b.StartTimer()
}

// freshRounds calls round with a new tracker of plan at each iteration,
// and closes it untimed.
func freshRounds(b *testing.B, plan *goalkit.Plan, round func(*goalkit.Tracker)) {
	for b.Loop() {
		freshRound(b, plan, round)
	}
}

// freshRound calls round with a new tracker of plan, and closes it
// untimed.
func freshRound(b *testing.B, plan *goalkit.Plan, round func(*goalkit.Tracker)) {
	b.StopTimer()
	tr, err := plan.Track(context.Background(), nil)
	if err != nil {
		b.Fatal(err)
	}
	round(tr)
	b.StopTimer()
	tr.Close()
	b.StartTimer()
}

// replayed is the each of underReports that applies the events of buf in
// turn.
func replayed(b *testing.B, buf *goalkittest.WorkloadBuffer) func(apply func(*kpi.Event) bool) {
	return func(apply func(*kpi.Event) bool) {
		errStop := errors.New("stop")
		if err := buf.Replay(func(e *kpi.Event) error {
			if !apply(e) {
				return errStop
			}
			return nil
		}); err != nil && err != errStop {
			b.Fatal(err)
		}
	}
}

// report reports the writer's applies a second and the readers' figures.
func (c *readCounts) report(b *testing.B) {
	b.ReportMetric(float64(c.applied.Load())/b.Elapsed().Seconds(), "applies/s")
	b.ReportMetric(float64(c.reports.Load())/float64(b.N), "reports/op")
	if n := c.reports.Load(); n > 0 {
		b.ReportMetric(float64(c.waited.Load())/float64(n)/1e6, "ms/report")
	}
	c.cost.report(b, c.applied.Load())
}

// writerCost sums what the writer of BenchmarkTrackerApplyUnderReports
// costs over its timed parts: wall time, the writer's thread's processor
// time, the collector's and the process's.
type writerCost struct {
	wall, thread, gc, proc time.Duration
	threadOK, procOK       bool
	t0                     time.Time
	th0                    int64
	gc0, proc0             time.Duration
}

var gcCPU = []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}}

func gcTime() time.Duration {
	metrics.Read(gcCPU)
	return time.Duration(gcCPU[0].Value.Float64() * float64(time.Second))
}

func (c *writerCost) start() {
	c.th0, c.threadOK = enginetest.ThreadCPU()
	c.proc0, c.procOK = processCPU()
	c.gc0 = gcTime()
	c.t0 = time.Now()
}

func (c *writerCost) stop() {
	c.wall += time.Since(c.t0)
	c.gc += gcTime() - c.gc0
	th, ok := enginetest.ThreadCPU()
	c.threadOK = c.threadOK && ok
	c.thread += time.Duration(th - c.th0)
	p, ok := processCPU()
	c.procOK = c.procOK && ok
	c.proc += p - c.proc0
}

func (c *writerCost) report(b *testing.B, applied int64) {
	if c.wall <= 0 || applied == 0 {
		return
	}
	if c.threadOK && os.Getenv("GOALKIT_BENCH_PIN_WRITER") == "1" {
		b.ReportMetric(float64(c.thread.Nanoseconds())/float64(applied), "writer-ns/apply")
		b.ReportMetric(c.thread.Seconds()/c.wall.Seconds(), "writer-on-cpu")
	}
	b.ReportMetric(c.gc.Seconds()/c.wall.Seconds(), "gc-cpu")
	if c.procOK {
		b.ReportMetric(c.proc.Seconds()/c.wall.Seconds(), "cpu-cores")
	}
}

// BenchmarkTrackerReportBesideWriter is one report of everyone as a reader
// of BenchmarkTrackerApplyUnderReports makes it in steady state: the
// tracker of liveGoalsPlan's plan holds 100,000 events of the standard
// workload, its replica is built, and versions of the workload (the next
// ones, from the 100,001st to the 300,000th, again and again) are applied
// one at a time between two reports, with the timer stopped: the report
// catches the replica up with them, tells the goals' Memo, and computes
// the rows they changed. B/op is what a report allocates (the applies are
// not counted).
func BenchmarkTrackerReportBesideWriter(b *testing.B) {
	plan := liveGoalsPlan(b)
	events, err := goalkittest.Workload{N: 300_000}.Events()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, plan.Calendar().Location())
	const held = 100_000
	for _, n := range []int{1_000, 20_000, 100_000} {
		b.Run("versions="+strconv.Itoa(n), func(b *testing.B) {
			tr, err := plan.Track(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer tr.Close()
			if err := tr.Apply(ctx, events[:held]...); err != nil {
				b.Fatal(err)
			}
			i := held
			reportsBeside(b, tr, asOf, n, func(n int) {
				for range n {
					if err := tr.Apply(ctx, events[i]); err != nil {
						b.Fatal(err)
					}
					if i++; i == len(events) {
						i = held
					}
				}
			})
		})
	}
}

// heldEvent is the i-th new event of the readers' benchmarks on the
// tracker of heldTracker: a call, meeting or email of one of the 2,000
// users within the hour before asOf.
func heldEvent(asOf time.Time, i int) kpi.Event {
	kinds := [...]string{"call", "meeting", "email"}
	return kpi.Event{ID: "held-" + strconv.Itoa(i), Kind: kinds[i%len(kinds)], Actor: strconv.Itoa(1 + i%2000),
		Time: asOf.Add(-time.Duration(i%3600) * time.Second)}
}

// reportsBeside has reads and applies of tr meet (so that reports read
// its replica), then times a report of everyone as of asOf after each
// apply(n), the applies with the timer stopped.
func reportsBeside(b *testing.B, tr *goalkit.Tracker, asOf time.Time, n int, apply func(n int)) {
	ctx := context.Background()
	stop := enginetest.ReadLoop(1, func() error { _, err := tr.Report(ctx, asOf); return err })
	apply(20_000)
	if err := stop(); err != nil {
		b.Fatal(err)
	}
	if _, err := tr.Report(ctx, asOf); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		apply(n)
		b.StartTimer()
		if _, err := tr.Report(ctx, asOf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTrackerReportBesideWriterHeld is a report of everyone as a
// reader of BenchmarkTrackerApplyUnderReportsHeld makes it: on the tracker
// of BenchmarkLiveReport (GOALKIT_BENCH_EVENTS events of the standard
// workload up to 20 December noon) with its replica built, after n new
// events of the 2,000 users within the hour before (applied one at a time
// with the timer stopped, as a writer does between two reports). The
// report catches the replica up with them, tells the goals' Memo and
// computes the rows they changed; ns/version is its time per version
// applied since the last.
func BenchmarkTrackerReportBesideWriterHeld(b *testing.B) {
	plan := liveGoalsPlan(b)
	tr, asOf := heldTracker(b, plan)
	defer tr.Close()
	ctx := context.Background()
	i := 0
	apply := func(n int) {
		for range n {
			i++
			if err := tr.Apply(ctx, heldEvent(asOf, i)); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, n := range []int{10_000, 1_000_000} {
		b.Run("versions="+strconv.Itoa(n), func(b *testing.B) {
			reportsBeside(b, tr, asOf, n, apply)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*b.N), "ns/version")
		})
	}
}

// BenchmarkTrackerReportsWhileFilled is what the reports of a reader of
// BenchmarkTrackerApplyUnderReports allocate over a tracker's life, where
// the collector's work beside the writer comes from: a new tracker of
// liveGoalsPlan's plan, its replica built while its first 5,000 events are
// applied beside a reader, then the rest of that benchmark's 200,000
// events applied n at a time, one by one with the timer stopped, with a
// report of everyone as of its instant after each n. B/op is what those
// reports allocate in all; report-B their mean.
func BenchmarkTrackerReportsWhileFilled(b *testing.B) {
	plan := liveGoalsPlan(b)
	events, err := goalkittest.Workload{N: 200_000}.Events()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, plan.Calendar().Location())
	const met = 5_000
	for _, n := range []int{2_000, 10_000} {
		b.Run("versions="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			var reports int
			var bytes uint64
			for b.Loop() {
				b.StopTimer()
				tr, err := plan.Track(ctx, nil)
				if err != nil {
					b.Fatal(err)
				}
				apply := func(from, to int) {
					for i := from; i < to; i++ {
						if err := tr.Apply(ctx, events[i]); err != nil {
							b.Fatal(err)
						}
					}
				}
				stop := enginetest.ReadLoop(1, func() error { _, err := tr.Report(ctx, asOf); return err })
				apply(0, met)
				if err := stop(); err != nil {
					b.Fatal(err)
				}
				for i := met; i < len(events); i += n {
					apply(i, min(i+n, len(events)))
					b.StartTimer()
					before := heapAllocs()
					if _, err := tr.Report(ctx, asOf); err != nil {
						b.Fatal(err)
					}
					bytes += heapAllocs() - before
					b.StopTimer()
					reports++
				}
				tr.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(bytes)/float64(max(reports, 1)), "report-B")
		})
	}
}

var heapAllocSample = []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}

// heapAllocs is the bytes the process has allocated on the heap so far.
func heapAllocs() uint64 {
	metrics.Read(heapAllocSample)
	return heapAllocSample[0].Value.Uint64()
}
