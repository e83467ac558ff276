package scaleout_test

import (
	"context"
	"fmt"
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
