package scaleout_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
)

// identified is a memory log of a given identity (scaleout.IdentifiedLog),
// as a NATS stream or a Kafka topic made again has another.
type identified struct {
	*scaleout.MemoryLog
	id string
}

func (l identified) Identity(_ context.Context, p int) (string, error) {
	if p < 0 || p >= l.Partitions() {
		return "", fmt.Errorf("no partition %d", p)
	}
	return l.id, nil
}

// TestWorkerRefusesALogMadeAgain: a store that committed up to offset 2 of
// a log, over a log deleted and made again that has passed that offset
// already (5 records), is refused, naming both identities and the offset;
// the worker read on from offset 3, skipping the new log's first two
// events. A store whose position has no identity (written before workers
// kept one, or over a log without one) resumes as before, and keeps the
// identity from then on.
func TestWorkerRefusesALogMadeAgain(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	plan, _, ev := wonPlan(t)
	var evs []kpi.Event
	for i := range 5 {
		evs = append(evs, ev(fmt.Sprint(i), "anna", 1, 1))
	}
	log := func(id string, n int) scaleout.Log {
		l := scaleout.NewMemoryLog(1)
		if err := scaleout.Publish(ctx, l, id, time.Time{}, evs[:n]); err != nil {
			t.Fatal(err)
		}
		if id == "" {
			return l
		}
		return identified{l, id}
	}
	drain := func(st *scaleouttest.Stores, l scaleout.Log, drain bool) error {
		w := &scaleout.Worker{Plan: plan, Log: l, Store: st.Open, Parts: &scaleout.MemoryParts{}, Partitions: []int{0}, Drain: drain}
		rctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		if err := w.Run(rctx); err != nil || drain {
			return err
		}
		return nil
	}
	st := &scaleouttest.Stores{}
	if err := drain(st, log("one", 2), true); err != nil {
		t.Fatal(err)
	}
	again := log("two", 5)
	for _, d := range []bool{true, false} {
		err := drain(st, again, d)
		want := "partition 0: the store has committed up to offset 2 of the log's partition as it was (identity one), and the log's partition is now another (identity two): it was deleted and made again, and reading on from offset 3 would skip the new log's first records"
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Fatalf("drain %t: err = %v, want %q", d, err, want)
		}
	}

	// A position without an identity: the worker cannot tell, and goes on.
	st = &scaleouttest.Stores{}
	if err := drain(st, log("", 2), true); err != nil {
		t.Fatal(err)
	}
	if err := drain(st, log("two", 5), true); err != nil {
		t.Fatalf("a store of no identity: %v", err)
	}
	if err := drain(st, log("three", 5), true); err == nil || !strings.Contains(err.Error(), "(identity two)") {
		t.Fatalf("the store read from a log of identity two, then one of three: %v", err)
	}
}

// TestIdentifiedLog runs the conformance checks of a log on memory logs of
// identities of their own, as NATS and Kafka tenants have.
func TestIdentifiedLog(t *testing.T) {
	n := 0
	scaleouttest.TestLog(t, func(_ *testing.T, partitions int) scaleout.Log {
		n++
		return identified{scaleout.NewMemoryLog(partitions), fmt.Sprint("log-", n)}
	}, scaleouttest.Options{DropsDuplicates: true})
}

// remakeable is a memory log whose identity a test changes, as a NATS
// stream or Kafka topic deleted and made again while workers run has
// another.
type remakeable struct {
	*scaleout.MemoryLog
	id atomic.Value // string
}

func (l *remakeable) Identity(context.Context, int) (string, error) { return l.id.Load().(string), nil }

// logOne is a remakeable log of identity "one" of a partition, and a
// function that publishes a won deal of anna of each id to it, in one
// batch.
func logOne(ctx context.Context, t *testing.T, ev func(id, actor string, amount int64, k int) kpi.Event) (*remakeable, func(ids ...string)) {
	l := &remakeable{MemoryLog: scaleout.NewMemoryLog(1)}
	l.id.Store("one")
	return l, func(ids ...string) {
		var evs []kpi.Event
		for _, id := range ids {
			evs = append(evs, ev(id, "anna", 1, 1))
		}
		if err := scaleout.Publish(ctx, l, ids[0], time.Time{}, evs); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRunningWorkerRefusesALogMadeAgain: a running worker that has
// committed the two records of a log, which is then deleted and made again
// and passes its offset before the worker reads again (three more records
// here, the new log's from offset 3), stops before it commits them, naming
// the offset and both identities; it committed them, skipping the new
// log's first two records, as a worker restarted on its store did before
// it was refused.
func TestRunningWorkerRefusesALogMadeAgain(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	plan, _, ev := wonPlan(t)
	l, publish := logOne(ctx, t, ev)
	publish("a", "b")
	st := &scaleouttest.Stores{}
	var commits atomic.Int32
	first := make(chan struct{})
	store := func(ctx context.Context, p int) (kpi.TrackStore, error) {
		s, err := st.Open(ctx, p)
		return scaleouttest.KillAfter{TrackStore: s, N: &commits, At: 1, Kill: func() { close(first) }}, err
	}
	w := &scaleout.Worker{Plan: plan, Log: l, Store: store, Parts: &scaleout.MemoryParts{}, Partitions: []int{0}}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	select {
	case <-first:
	case err := <-done:
		t.Fatalf("the worker stopped: %v", err)
	}
	l.id.Store("two")
	publish("c", "d", "e")
	err := <-done
	want := "partition 0: the log's partition is another since the worker started on it (identity one, now two): it was deleted and made again, and the worker, which has committed up to offset 2, would read on from the new log's offset 3, skipping its first records"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("the worker: %v, want %q", err, want)
	}
	if n := commits.Load(); n != 1 {
		t.Fatalf("%d commits, want 1", n)
	}
}

// TestFollowRefusesALogMadeAgain: a replica that has read the two records
// of a log, which is then deleted and made again and passes its offset
// (three more records, the new log's from offset 3), stops before it
// applies them, naming the offset and both identities; it applied them,
// a replica without the new log's first two records.
func TestFollowRefusesALogMadeAgain(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, _, ev := wonPlan(t)
	l, publish := logOne(ctx, t, ev)
	publish("a", "b")
	var applied atomic.Int32
	caught := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- scaleout.Follow(ctx, l, func(_ context.Context, evs []kpi.Event) error {
			applied.Add(int32(len(evs)))
			return nil
		}, func() { close(caught) })
	}()
	select {
	case <-caught:
	case err := <-done:
		t.Fatalf("Follow stopped: %v", err)
	}
	l.id.Store("two")
	publish("c", "d", "e")
	err := <-done
	want := "partition 0: the log's partition is another since the replica started on it (identity one, now two): it was deleted and made again, and the replica, which has read up to offset 2, would read on from the new log's offset 3, skipping its first records"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("Follow: %v, want %q", err, want)
	}
	if n := applied.Load(); n != 2 {
		t.Fatalf("%d events applied, want 2", n)
	}
}

// TestSourceRefusesAPartOfALogMadeAgain: the part a worker made from a log
// of two records, merged over that log deleted and made again which has
// passed the part's offset (five records of its own), is refused, naming
// the partition and both identities; it was merged, a report of the old
// log's two deals of 10 (20) where the new log holds five of 1. A part
// without an identity (put before parts carried one, or over a log without
// one) still merges.
func TestSourceRefusesAPartOfALogMadeAgain(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	plan, known, ev := wonPlan(t)
	publish := func(l scaleout.Log, amount int64, n int) {
		var evs []kpi.Event
		for i := range n {
			evs = append(evs, ev(fmt.Sprint(i), "anna", amount, 1))
		}
		if err := scaleout.Publish(ctx, l, fmt.Sprint("b", amount), time.Time{}, evs); err != nil {
			t.Fatal(err)
		}
	}
	drain := func(l scaleout.Log) *scaleout.MemoryParts {
		parts := &scaleout.MemoryParts{}
		w := &scaleout.Worker{Plan: plan, Log: l, Store: (&scaleouttest.Stores{}).Open, Parts: parts, Partitions: []int{0}, Drain: true}
		if err := w.Run(ctx); err != nil {
			t.Fatal(err)
		}
		return parts
	}
	revenue := func(l scaleout.Log, parts scaleout.PartStore) (string, error) {
		rep, err := plan.Evaluate(ctx, &scaleout.Source{Log: l, Parts: parts}, known(5))
		if err != nil {
			return "", err
		}
		v, ok := rep.Values.Value("revenue", "anna", plan.Periods()[0])
		if !ok || !v.Valid {
			return "", fmt.Errorf("no revenue of anna")
		}
		return v.Decimal.String(), nil
	}

	old := identified{scaleout.NewMemoryLog(1), "one"}
	publish(old, 10, 2)
	parts := drain(old)
	if got, err := revenue(old, parts); err != nil || got != "20" {
		t.Fatalf("the parts over their own log: %s, %v; want 20", got, err)
	}
	again := identified{scaleout.NewMemoryLog(1), "two"}
	publish(again, 1, 5)
	got, err := revenue(again, parts)
	want := "the part of partition 0 was made from the log's partition as it was (identity one), and the log's partition is now another (identity two): it was deleted and made again"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("the old log's parts over the new log: revenue %s, err %v; want %q", got, err, want)
	}

	// A part of no identity, over an identified log.
	plain := scaleout.NewMemoryLog(1)
	publish(plain, 1, 5)
	if got, err := revenue(again, drain(plain)); err != nil || got != "5" {
		t.Fatalf("a part without an identity: %s, %v; want 5", got, err)
	}
}

// rawParts is a reader of parts of before they carried an identity: it
// hands each stored part to the merge as it is, as Source did.
type rawParts struct {
	*scaleout.Source
}

func (r rawParts) Partials(ctx context.Context, fn func(data []byte) error) error {
	return r.Parts.Range(ctx, func(_ int, data []byte) error { return fn(data) })
}

// TestTaggedPartMergesInAnOlderReader: a part that a worker over an
// identified log tagged with the log's identity, handed to the merge as a
// reader of before the tag hands it, merges into the same numbers (two
// deals of 10 and one of 5 over three partitions: 25), so that readers may
// be upgraded after the workers; the tag was a line before the part, and
// such a reader failed on every tagged part ("invalid character 's'").
func TestTaggedPartMergesInAnOlderReader(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	plan, known, ev := wonPlan(t)
	l := identified{scaleout.NewMemoryLog(3), "one"}
	if err := scaleout.Publish(ctx, l, "b", time.Time{}, []kpi.Event{ev("1", "anna", 10, 1), ev("2", "anna", 10, 1), ev("3", "anna", 5, 1)}); err != nil {
		t.Fatal(err)
	}
	parts := &scaleout.MemoryParts{}
	w := &scaleout.Worker{Plan: plan, Log: l, Store: (&scaleouttest.Stores{}).Open, Parts: parts, Partitions: []int{0, 1, 2}, Drain: true}
	if err := w.Run(ctx); err != nil {
		t.Fatal(err)
	}
	tagged := 0
	if err := parts.Range(ctx, func(_ int, data []byte) error {
		if strings.Contains(string(data), "one") {
			tagged++
		}
		return nil
	}); err != nil || tagged == 0 {
		t.Fatalf("%d parts tagged with the log's identity (%v)", tagged, err)
	}
	for name, src := range map[string]kpi.PartialSource{"now": &scaleout.Source{Log: l, Parts: parts}, "older": rawParts{&scaleout.Source{Log: l, Parts: parts}}} {
		rep, err := plan.Evaluate(ctx, src, known(5))
		if err != nil {
			t.Fatalf("a reader of %s: %v", name, err)
		}
		if v, ok := rep.Values.Value("revenue", "anna", plan.Periods()[0]); !ok || !v.Valid || v.Decimal.String() != "25" {
			t.Fatalf("a reader of %s: revenue %v, want 25", name, v)
		}
	}
}

// TestIdentityNotUTF8IsRefused: a log whose identity is raw bytes without
// a space (a topic's 16-byte ID as a string, not UTF-8 text) is refused by
// the worker, naming the identity and that it is not UTF-8; its parts' tag,
// a JSON string, turned each invalid byte into U+FFFD, and the merged read
// refused every part as made from a log deleted and made again. An
// identity of UTF-8 text that JSON escapes (a line separator, <, &, a
// quote, a backslash) merges (10 + 10 + 5 = 25).
func TestIdentityNotUTF8IsRefused(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	plan, known, ev := wonPlan(t)
	for _, id := range []string{"\x9f\x01\xfe\xff\xc3(", "a\xffb", "\u2028<&>\"\\é"} {
		l := identified{scaleout.NewMemoryLog(3), id}
		if err := scaleout.Publish(ctx, l, "b", time.Time{}, []kpi.Event{ev("1", "anna", 10, 1), ev("2", "anna", 10, 1), ev("3", "anna", 5, 1)}); err != nil {
			t.Fatal(err)
		}
		parts := &scaleout.MemoryParts{}
		w := &scaleout.Worker{Plan: plan, Log: l, Store: (&scaleouttest.Stores{}).Open, Parts: parts, Partitions: []int{0, 1, 2}, Drain: true}
		err := w.Run(ctx)
		if !utf8.ValidString(id) {
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%q, is not UTF-8", id)) {
				t.Fatalf("identity %q: %v, want it refused as not UTF-8", id, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("identity %q: %v", id, err)
		}
		rep, err := plan.Evaluate(ctx, &scaleout.Source{Log: l, Parts: parts}, known(5))
		if err != nil {
			t.Fatalf("identity %q: %v", id, err)
		}
		if v, ok := rep.Values.Value("revenue", "anna", plan.Periods()[0]); !ok || !v.Valid || v.Decimal.String() != "25" {
			t.Fatalf("identity %q: revenue %v, want 25", id, v)
		}
	}
}
