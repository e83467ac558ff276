package scaleout_test

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
)

// Among fewer than 1 partitions an event has none: Partition says -1,
// which every log refuses, rather than dividing by zero (0) or hashing
// into a partition of 2^32-1 (-1).
func TestPartitionAmongNone(t *testing.T) {
	for _, n := range []int{0, -1, math.MinInt} {
		if got := scaleout.Partition("deal-1", n); got != -1 {
			t.Fatalf("Partition(deal-1, %d) = %d, want -1", n, got)
		}
	}
	recs := []scaleout.Record{{Partition: scaleout.Partition("deal-1", 0), ID: "r"}}
	if err := scaleout.NewMemoryLog(2).Append(context.Background(), recs); err == nil || !strings.Contains(err.Error(), "no partition -1") {
		t.Fatalf("a record of partition -1 appended: %v", err)
	}
}

// A memory log made with a negative number of partitions is made (it
// panicked), and every use of it fails, saying why: its own calls, and a
// Source's reads and Follow, which refuse any log that reports a negative
// number of partitions.
func TestMemoryLogOfNegativePartitions(t *testing.T) {
	ctx := context.Background()
	log := scaleout.NewMemoryLog(-1)
	const want = "-1 partitions"
	check := func(what string, err error) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("%s: %v, want an error saying %q", what, err, want)
		}
	}
	if n := log.Partitions(); n != -1 {
		t.Fatalf("Partitions() = %d", n)
	}
	check("Append", log.Append(ctx, nil))
	_, err := log.End(ctx, 0)
	check("End", err)
	_, err = log.Open(ctx, 0, 1)
	check("Open", err)
	ev := []kpi.Event{{ID: "1", Kind: "won", Time: time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)}}
	check("Publish", scaleout.Publish(ctx, log, "b", time.Time{}, ev))
	src := &scaleout.Source{Log: log, Parts: &scaleout.MemoryParts{}}
	check("Scan", src.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { return nil }))
	check("Partials", src.Partials(ctx, func([]byte) error { return nil }))
	fctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	check("Follow", scaleout.Follow(fctx, log, func(context.Context, []kpi.Event) error { return nil }, nil))
}

// Among more partitions than 32 bits count (where an int has 64), the
// hash is its own partition; the count was cut to 32 bits, 2^32 became 0
// and Partition divided by it, and 2^32+3 became 3.
func TestPartitionAmongMoreThan32Bits(t *testing.T) {
	if strconv.IntSize < 64 {
		t.Skip("an int of 32 bits holds no such count")
	}
	// FNV-1a, 32 bits, of "a": 0xe40c292c (its reference vector).
	const hash uint64 = 0xe40c292c
	for _, n := range []uint64{1 << 32, 1<<32 + 3, 1 << 62} {
		if got := scaleout.Partition("a", int(n)); uint64(got) != hash {
			t.Fatalf("Partition(a, %d) = %#x, want %#x", n, got, hash)
		}
	}
}
