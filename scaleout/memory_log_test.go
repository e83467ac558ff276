package scaleout_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
)

func TestMemoryLogConforms(t *testing.T) {
	scaleouttest.TestLog(t, func(_ *testing.T, n int) scaleout.Log { return scaleout.NewMemoryLog(n) },
		scaleouttest.Options{DropsDuplicates: true})
}

// keepsCopies is a log that stores a record appended again (as Kafka does
// beyond its producer's retries): the memory log holds each append's
// records under IDs of their own, which its cursors give back as they were.
type keepsCopies struct {
	*scaleout.MemoryLog
	n atomic.Int64
}

func (l *keepsCopies) Append(ctx context.Context, recs []scaleout.Record) error {
	n := l.n.Add(1)
	own := make([]scaleout.Record, len(recs))
	for i, r := range recs {
		r.ID = fmt.Sprint(r.ID, "#", n)
		own[i] = r
	}
	return l.MemoryLog.Append(ctx, own)
}

func TestLogWithCopiesConforms(t *testing.T) {
	scaleouttest.TestLog(t, func(_ *testing.T, n int) scaleout.Log { return &keepsCopies{MemoryLog: scaleout.NewMemoryLog(n)} },
		scaleouttest.Options{})
}

func (l *keepsCopies) Open(ctx context.Context, p int, from uint64) (scaleout.Cursor, error) {
	c, err := l.MemoryLog.Open(ctx, p, from)
	return copiesCursor{c}, err
}

type copiesCursor struct{ scaleout.Cursor }

func (c copiesCursor) Next(ctx context.Context, n int) ([]scaleout.Record, error) {
	recs, err := c.Cursor.Next(ctx, n)
	for i := range recs {
		recs[i].ID, _, _ = strings.Cut(recs[i].ID, "#")
	}
	return recs, err
}

// A memory log's cursor asked for as many records as an int holds (a
// Worker.Batch of math.MaxInt) returns those it has; the end of the
// records asked for overflowed, and the slice panicked.
func TestMemoryCursorHugeMax(t *testing.T) {
	ctx := context.Background()
	log := scaleout.NewMemoryLog(1)
	if err := log.Append(ctx, []scaleout.Record{{ID: "a", Data: []byte("a")}, {ID: "b", Data: []byte("b")}, {ID: "c", Data: []byte("c")}}); err != nil {
		t.Fatal(err)
	}
	for _, from := range []uint64{1, 2, 3} {
		c, err := log.Open(ctx, 0, from)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := c.Next(ctx, math.MaxInt)
		if err != nil || len(recs) != int(4-from) || recs[0].Offset != from {
			t.Fatalf("from %d: %d records, %v", from, len(recs), err)
		}
	}
}

// A memory log's cursor opened past any offset an int holds waits for
// records, as one opened past the end does; its offset, as an int, was
// negative, and Next panicked on the slice.
func TestMemoryCursorPastEveryOffset(t *testing.T) {
	ctx := context.Background()
	log := scaleout.NewMemoryLog(1)
	if err := log.Append(ctx, []scaleout.Record{{ID: "a", Data: []byte("a")}}); err != nil {
		t.Fatal(err)
	}
	for _, from := range []uint64{2, 1 << 63, math.MaxUint64} {
		c, err := log.Open(ctx, 0, from)
		if err != nil {
			t.Fatal(err)
		}
		if recs, err := c.Next(ctx, 10); err != nil || len(recs) != 0 {
			t.Fatalf("from %d: %d records, %v", from, len(recs), err)
		}
	}
}
