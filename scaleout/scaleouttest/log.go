package scaleouttest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/scaleout"
)

// Options say what a log under test promises beyond scaleout.Log's
// minimum.
type Options struct {
	// DropsDuplicates: a record appended again with an ID the log holds is
	// dropped (NATS JetStream within its duplicate window, MemoryLog).
	// Without it, a second append may store the records again (Kafka);
	// workers must then drop the copies themselves.
	DropsDuplicates bool
}

// TestLog checks that the logs newLog returns implement scaleout.Log (and,
// where they are scaleout.IdentifiedLogs, that each keeps its identity and
// two have others). newLog is called once per subtest, with the number of
// partitions, and must return an empty log of them.
func TestLog(t *testing.T, newLog func(t *testing.T, partitions int) scaleout.Log, opt Options) {
	t.Run("append and read", func(t *testing.T) { testAppendRead(t, newLog(t, 3)) })
	t.Run("bad partition", func(t *testing.T) { testBadPartition(t, newLog(t, 2)) })
	t.Run("append again", func(t *testing.T) { testAgain(t, newLog(t, 2), opt) })
	t.Run("reads cut short", func(t *testing.T) { testCutShort(t, newLog(t, 1)) })
	t.Run("workers killed and events published again", func(t *testing.T) { testWorkers(t, newLog(t, 3), opt) })
	t.Run("identity", func(t *testing.T) { testIdentity(t, newLog(t, 2), newLog(t, 2)) })
}

// testIdentity checks the identity of a scaleout.IdentifiedLog (a log that
// is not one passes): a partition's stays the same while records are
// appended (a worker restarted on it must not stop), it has no space (the
// worker's position keeps it after one), and two logs made apart have
// others, where they say one; a partition out of range is an error.
func testIdentity(t *testing.T, log, other scaleout.Log) {
	il, ok := log.(scaleout.IdentifiedLog)
	if !ok {
		t.Skip("the log is not a scaleout.IdentifiedLog")
	}
	ctx := ctxT(t)
	idents := func(log scaleout.IdentifiedLog) []string {
		var out []string
		for p := range log.Partitions() {
			id, err := log.Identity(ctx, p)
			if err != nil {
				t.Fatalf("identity of partition %d: %v", p, err)
			}
			if strings.ContainsAny(id, " \t\r\n") {
				t.Fatalf("identity of partition %d, %q, holds a space", p, id)
			}
			out = append(out, id)
		}
		return out
	}
	before := idents(il)
	if err := log.Append(ctx, records(10, 2, "i")); err != nil {
		t.Fatal(err)
	}
	if after := idents(il); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("the identities %q became %q as records were appended", before, after)
	}
	if io, ok := other.(scaleout.IdentifiedLog); ok {
		for p, id := range idents(io) {
			if id != "" && id == before[p] {
				t.Fatalf("two logs made apart have one identity of partition %d, %q", p, id)
			}
		}
	}
	if _, err := il.Identity(ctx, log.Partitions()); err == nil {
		t.Fatalf("the identity of partition %d of %d: no error", log.Partitions(), log.Partitions())
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// records returns n records spread over partitions as i mod partitions,
// partition 2 (when there is one) left empty.
func records(n, partitions int, tag string) []scaleout.Record {
	var out []scaleout.Record
	for i := range n {
		p := i % partitions
		if p == 2 {
			p = 0
		}
		out = append(out, scaleout.Record{Partition: p, ID: fmt.Sprintf("%s-%d", tag, i), Key: fmt.Sprint("e", i),
			Data: fmt.Appendf(nil, "data %s %d", tag, i)})
	}
	return out
}

// readAll reads partition p from offset from up to its end, checking that
// the offsets increase and end at End.
func readAll(t *testing.T, log scaleout.Log, p int, from uint64) []scaleout.Record {
	t.Helper()
	ctx := ctxT(t)
	end, err := log.End(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	c, err := log.Open(ctx, p, from)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var out []scaleout.Record
	var prev uint64
	for (len(out) == 0 && from <= end) || (len(out) > 0 && out[len(out)-1].Offset < end) {
		recs, err := c.Next(ctx, 97)
		if err != nil {
			t.Fatalf("partition %d: %v", p, err)
		}
		if len(recs) > 97 {
			t.Fatalf("partition %d: Next(97) returned %d records", p, len(recs))
		}
		for _, r := range recs {
			if r.Offset <= prev || r.Offset < from || r.Offset > end {
				t.Fatalf("partition %d from %d: offset %d after %d (end %d)", p, from, r.Offset, prev, end)
			}
			prev = r.Offset
		}
		out = append(out, recs...)
	}
	return out
}

// count counts the records of a log.
func count(t *testing.T, log scaleout.Log) int {
	t.Helper()
	n := 0
	for p := range log.Partitions() {
		n += len(readAll(t, log, p, 1))
	}
	return n
}

func testAppendRead(t *testing.T, log scaleout.Log) {
	ctx := ctxT(t)
	if log.Partitions() != 3 {
		t.Fatalf("partitions = %d, want 3", log.Partitions())
	}
	recs := records(40, 3, "a")
	if err := log.Append(ctx, recs); err != nil {
		t.Fatal(err)
	}
	for p := range 3 {
		var want []scaleout.Record
		for _, r := range recs {
			if r.Partition == p {
				want = append(want, r)
			}
		}
		end, err := log.End(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 {
			if end != 0 {
				t.Fatalf("empty partition %d ends at %d, want 0", p, end)
			}
			continue
		}
		got := readAll(t, log, p, 1)
		if len(got) != len(want) {
			t.Fatalf("partition %d: read %d records, want %d", p, len(got), len(want))
		}
		if got[0].Offset < 1 || got[len(got)-1].Offset != end {
			t.Fatalf("partition %d: offsets %d to %d, end %d", p, got[0].Offset, got[len(got)-1].Offset, end)
		}
		for i := range got {
			if got[i].ID != want[i].ID || string(got[i].Data) != string(want[i].Data) || got[i].Partition != p {
				t.Fatalf("partition %d record %d: %q %q of partition %d, want %q %q", p, i, got[i].ID, got[i].Data, got[i].Partition, want[i].ID, want[i].Data)
			}
		}
		// Next returns no more records than asked for.
		few, err := log.Open(ctx, p, 1)
		if err != nil {
			t.Fatal(err)
		}
		for n := 0; n < len(want); {
			recs, err := few.Next(ctx, 2)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) > 2 {
				t.Fatalf("partition %d: Next(2) returned %d records", p, len(recs))
			}
			n += len(recs)
		}
		few.Close()
		// Next of no records, or fewer than none, returns none and skips
		// none.
		none, err := log.Open(ctx, p, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{0, -1} {
			nctx, cancel := context.WithTimeout(ctx, time.Second)
			recs, err := none.Next(nctx, n)
			cancel()
			if len(recs) != 0 || err != nil && !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("partition %d: Next(%d) returned %d records, %v", p, n, len(recs), err)
			}
		}
		for recs := []scaleout.Record(nil); len(recs) == 0; {
			if recs, err = none.Next(ctx, 1); err != nil {
				t.Fatal(err)
			}
			if len(recs) > 0 && recs[0].ID != want[0].ID {
				t.Fatalf("partition %d: after Next(0) and Next(-1), Next(1) returned %q, want %q", p, recs[0].ID, want[0].ID)
			}
		}
		none.Close()
		// Next of as many records as an int holds returns those there are,
		// from where the cursor is.
		huge, err := log.Open(ctx, p, got[1].Offset)
		if err != nil {
			t.Fatal(err)
		}
		for recs := []scaleout.Record(nil); len(recs) == 0; {
			if recs, err = huge.Next(ctx, math.MaxInt); err != nil {
				t.Fatalf("partition %d: Next(math.MaxInt): %v", p, err)
			}
			if len(recs) > 0 && recs[0].ID != got[1].ID {
				t.Fatalf("partition %d from %d: Next(math.MaxInt) returned %q first, want %q", p, got[1].Offset, recs[0].ID, got[1].ID)
			}
		}
		huge.Close()
		// From the offset of the fourth record: the fourth and those after.
		from := got[3].Offset
		if rest := readAll(t, log, p, from); len(rest) != len(got)-3 || rest[0].ID != got[3].ID {
			t.Fatalf("partition %d from %d: %d records, want %d from %q", p, from, len(rest), len(got)-3, got[3].ID)
		}
	}
	// A cursor at the end returns nothing, soon, then what is appended.
	end, err := log.End(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	c, err := log.Open(ctx, 1, end+1)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	if recs, err := c.Next(ctx, 10); err != nil || len(recs) != 0 {
		t.Fatalf("at the end: %d records, %v", len(recs), err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("Next at the end took %s", d)
	}
	if err := log.Append(ctx, []scaleout.Record{{Partition: 1, ID: "late", Data: []byte("late")}}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		recs, err := c.Next(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) > 0 {
			if len(recs) != 1 || recs[0].ID != "late" || recs[0].Offset <= end {
				t.Fatalf("after the end: %+v (end was %d)", recs, end)
			}
			if e, err := log.End(ctx, 1); err != nil || e != recs[0].Offset {
				t.Fatalf("end %d (%v), want %d", e, err, recs[0].Offset)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the record appended after the end never came")
		}
	}
	// Next stops when its context is done.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.Next(cctx, 10); !errors.Is(err, context.Canceled) {
		t.Fatalf("Next with a cancelled context: %v", err)
	}
}

func testBadPartition(t *testing.T, log scaleout.Log) {
	ctx := ctxT(t)
	recs := []scaleout.Record{{Partition: 0, ID: "ok", Data: []byte("x")}, {Partition: 2, ID: "bad", Data: []byte("y")}}
	if err := log.Append(ctx, recs); err == nil || !strings.Contains(err.Error(), "no partition 2") {
		t.Fatalf("append to partition 2 of 2: %v", err)
	}
	if end, err := log.End(ctx, 0); err != nil || end != 0 {
		t.Fatalf("after a refused append partition 0 ends at %d (%v), want 0: nothing half-applied", end, err)
	}
	// The error quotes the record's id cut short: an id of 100 KB made an
	// error of 100 KB.
	long := strings.Repeat("r", 100<<10)
	err := log.Append(ctx, []scaleout.Record{{Partition: 2, ID: long, Data: []byte("y")}})
	if err == nil || !strings.Contains(err.Error(), "no partition 2") || !strings.Contains(err.Error(), `"rrrr`) || len(err.Error()) > 1000 {
		t.Fatalf("append of a record of a 100 KB id to partition 2 of 2: an error of %d bytes (want at most 1000, quoting the id cut short): %.300v", len(fmt.Sprint(err)), err)
	}
	for _, p := range []int{-1, 2} {
		if _, err := log.End(ctx, p); err == nil {
			t.Fatalf("End(%d) of 2 partitions: no error", p)
		}
		if c, err := log.Open(ctx, p, 1); err == nil {
			c.Close()
			t.Fatalf("Open(%d) of 2 partitions: no error", p)
		}
	}
}

func testAgain(t *testing.T, log scaleout.Log, opt Options) {
	ctx := ctxT(t)
	recs := records(10, 2, "d")
	for range 2 {
		if err := log.Append(ctx, recs); err != nil {
			t.Fatal(err)
		}
	}
	total := count(t, log)
	switch {
	case opt.DropsDuplicates && total != 10:
		t.Fatalf("10 records appended twice: the partitions hold %d in all, want 10", total)
	case !opt.DropsDuplicates && (total < 10 || total > 20):
		t.Fatalf("10 records appended twice: the partitions hold %d in all, want 10 to 20", total)
	}
}

// testCutShort reads a partition with calls of Next whose contexts end
// after a moment, some while records are on their way: a call cut short
// loses none of them, and the calls after it go on from where it stopped.
func testCutShort(t *testing.T, log scaleout.Log) {
	ctx := ctxT(t)
	recs := records(300, 1, "c")
	c, err := log.Open(ctx, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Appended a few at a time while they are read, so that some come
	// just as a call's context ends.
	appended := make(chan error, 1)
	go func() {
		for i := 0; i < len(recs); i += 3 {
			if err := log.Append(ctx, recs[i:min(i+3, len(recs))]); err != nil {
				appended <- err
				return
			}
			time.Sleep(time.Duration(i%4) * time.Millisecond)
		}
		appended <- nil
	}()
	var got []string
	done := false // every record is appended
	var progress time.Time
	for i := 0; len(got) < len(recs); i++ {
		if ctx.Err() != nil {
			t.Fatalf("read %d of %d records before the test's time was up", len(got), len(recs))
		}
		if !done {
			select {
			case err := <-appended:
				if err != nil {
					t.Fatal(err)
				}
				done, progress = true, time.Now()
			default:
			}
		}
		cctx, cancel := context.WithTimeout(ctx, time.Duration(i%5)*time.Millisecond)
		if done && i%5 == 4 {
			cctx = ctx // now and then a call with all the time it wants
		}
		rs, err := c.Next(cctx, 7)
		cancel()
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			t.Fatal(err)
		}
		for _, r := range rs {
			got = append(got, r.ID)
		}
		// Once every record is appended, ten seconds without one read shows
		// the missing ones lost (below), rather than reading on until the
		// test's time is up.
		if len(rs) > 0 {
			progress = time.Now()
		} else if done && time.Since(progress) > 10*time.Second {
			break
		}
	}
	if !done {
		if err := <-appended; err != nil {
			t.Fatal(err)
		}
	}
	for i := range recs {
		if i >= len(got) || got[i] != recs[i].ID {
			t.Fatalf("record %d: read %q, want %q (%d read of %d)", i, line(got, i), recs[i].ID, len(got), len(recs))
		}
	}
}

// PlanYAML is the plan of the worker checks: every aggregate that merges,
// a ratio, and (with Team) a team.
const PlanYAML = `
timezone: Europe/Moscow
attributes: {source: string, pipeline: int}
indicators:
  - {id: created, kinds: [deal_created], aggregate: count}
  - {id: won, kinds: [deal_won], where: 'source in ["web", "partner"]', aggregate: count}
  - {id: won_sum, kinds: [deal_won], aggregate: sum, value: amount}
  - {id: avg_won, kinds: [deal_won], aggregate: avg, value: amount}
  - {id: biggest, kinds: [deal_won], aggregate: max, value: amount}
  - {id: smallest, kinds: [deal_won, deal_lost], aggregate: min, value: amount}
  - {id: sources, kinds: [deal_won, deal_created], aggregate: distinct, value: source}
  - {id: pipelines, kinds: [call], aggregate: max, value: pipeline}
  - {id: conversion, formula: won / created}
report: {grain: quarter, from: 2025-01-01, to: 2026-01-01}
`

// Team is the team of PlanYAML's checks, ten of the workload's actors.
var Team = goalkit.WithGroups(org.Group{ID: "team", Members: []string{"1", "2", "3", "5", "8", "13", "21", "34", "55", "89"}})

// Stores keeps each partition's TrackStore across workers, as a durable
// store would. Its Open is a scaleout.Worker's Store.
type Stores struct {
	mu sync.Mutex
	m  map[int]*memory.TrackStore
}

// Open returns the store of partition p, empty the first time.
func (s *Stores) Open(_ context.Context, p int) (kpi.TrackStore, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[int]*memory.TrackStore{}
	}
	if s.m[p] == nil {
		s.m[p] = memory.NewTrackStore()
	}
	return s.m[p], nil
}

// KillAfter is a store that calls Kill when the At-th commit counted in N
// (shared by the stores of every partition) returns.
type KillAfter struct {
	kpi.TrackStore
	N    *atomic.Int32
	At   int32
	Kill func()
}

// Commit commits to the store, then counts.
func (k KillAfter) Commit(ctx context.Context, b *kpi.TrackBatch) error {
	err := k.TrackStore.Commit(ctx, b)
	if k.N.Add(1) == k.At {
		k.Kill()
	}
	return err
}

// PartsOnly is the merged source with scanning forbidden: a report read
// through it came from the merged parts.
type PartsOnly struct{ *scaleout.Source }

// Scan fails.
func (PartsOnly) Scan(context.Context, kpi.Query, func(*kpi.Event) error) error {
	return errors.New("the log was scanned")
}

func testWorkers(t *testing.T, log scaleout.Log, opt Options) {
	ctx := ctxT(t)
	plan := goalkittest.CompilePlan(t, PlanYAML)
	events, err := goalkittest.Workload{N: 1500, Seed: 7, CorrectedPerMille: 100, RetractedPerMille: 50}.Events()
	if err != nil {
		t.Fatal(err)
	}
	// The workers snapshot their partitions after every batch and prune
	// their stores, so that each restart reads a snapshot.
	st, parts := &PruningStores{}, &scaleout.MemoryParts{}
	worker := func(a scaleout.Assignment) *scaleout.Worker {
		return &scaleout.Worker{Plan: plan, Options: []goalkit.EvalOption{Team}, Log: log, Store: st.Open, Parts: parts,
			Partitions: a.Owned(log.Partitions()), Batch: 50, Drain: true, SnapshotEvery: time.Nanosecond}
	}
	drain := func(asg ...scaleout.Assignment) {
		t.Helper()
		errs := make([]error, len(asg))
		var wg sync.WaitGroup
		for i, a := range asg {
			wg.Go(func() { errs[i] = worker(a).Run(ctx) })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
	}
	publish := func(at time.Time) {
		t.Helper()
		if err := scaleout.Publish(ctx, log, "all", at, events); err != nil {
			t.Fatal(err)
		}
	}

	// A worker killed (its context cancelled) as its fifth commit returns,
	// whatever else it has under way, then restarted.
	publish(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC))
	if n := count(t, log); n != len(events) {
		t.Fatalf("the log holds %d records for %d versions", n, len(events))
	}
	kctx, kill := context.WithCancel(ctx)
	defer kill()
	var commits atomic.Int32
	k := worker(scaleout.Assignment{I: 0, N: 1})
	k.Drain = false
	k.Store = func(ctx context.Context, p int) (kpi.TrackStore, error) {
		s, err := st.Open(ctx, p)
		return KillAfter{TrackStore: s, N: &commits, At: 5, Kill: kill}, err
	}
	if err := k.Run(kctx); err != nil {
		t.Fatal(err)
	}
	if n := commits.Load(); n < 5 || n >= int32(len(events)/50) {
		t.Fatalf("the worker committed %d batches before it was killed", n)
	}
	drain(scaleout.Assignment{I: 0, N: 1})
	sameAsBatch(t, plan, log, parts, events)

	// Every version published again, twice: the same records (an append
	// retried) and the batch published again later (a command run again on
	// the same file). A log that drops duplicates drops both; others store
	// them, and the workers (two now) drop the versions they have applied
	// and apply the later ones again in order.
	publish(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC))
	publish(time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC))
	switch n := count(t, log); {
	case opt.DropsDuplicates && n != len(events):
		t.Fatalf("published again: the log holds %d records for %d versions", n, len(events))
	case !opt.DropsDuplicates && n != 3*len(events):
		t.Fatalf("published again twice: the log holds %d records for %d versions, want each three times", n, len(events))
	}
	drain(scaleout.Assignment{I: 0, N: 2}, scaleout.Assignment{I: 1, N: 2})
	sameAsBatch(t, plan, log, parts, events)
	for p := range log.Partitions() {
		if _, restored, _ := st.Store(p).Counts(); restored == 0 {
			t.Fatalf("partition %d: no worker restarted from a snapshot", p)
		}
	}
}

// sameAsBatch fails unless the merged report equals Plan.Evaluate over the
// final events of versions (in order), and the team's row holds revenue.
func sameAsBatch(t *testing.T, plan *goalkit.Plan, log scaleout.Log, parts scaleout.PartStore, versions []kpi.Event) {
	t.Helper()
	asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	got := SameAsBatch(t, plan, &scaleout.Source{Log: log, Parts: parts}, goalkittest.Final(versions), asOf, Team)
	if v, ok := got.Values.Value("won_sum", "team", plan.Periods()[0]); !ok || !v.Valid || v.Decimal.IsZero() {
		t.Fatalf("team row: %v %v", v, ok)
	}
}
