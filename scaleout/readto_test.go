package scaleout_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/scaleout"
)

// gapped is a cursor over records at the given offsets, a few at a time,
// then none: a log whose other records were removed (a NATS subject
// purged up to a later message while it was read).
type gapped struct{ offsets []uint64 }

func (c *gapped) Next(ctx context.Context, max int) ([]scaleout.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := min(max, 2, len(c.offsets))
	var out []scaleout.Record
	for _, off := range c.offsets[:n] {
		out = append(out, scaleout.Record{Offset: off})
	}
	c.offsets = c.offsets[n:]
	return out, nil
}

func (c *gapped) Ack(context.Context, uint64) error { return nil }
func (c *gapped) Close() error                      { return nil }

// TestReadToPastARemovedEnd reads up to an offset whose record was removed:
// a record past it ends the read, since a cursor in order has nothing left
// at or before it, instead of waiting for it until the context is done.
func TestReadToPastARemovedEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var read []uint64
	err := scaleout.ReadTo(ctx, &gapped{offsets: []uint64{1, 2, 4, 5, 7}}, 6, func(r scaleout.Record) error {
		read = append(read, r.Offset)
		return nil
	})
	if err != nil || !slices.Equal(read, []uint64{1, 2, 4, 5}) {
		t.Fatalf("read %v, %v; want [1 2 4 5], nil", read, err)
	}
}
