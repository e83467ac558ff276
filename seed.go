package goalkit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// seedKey is the closed-record key committed with a tracker's seed, so that
// a tracker started again on the same store does not apply it again.
const seedKey = "goalkit.seed"

// WithSeed makes Plan.Track start from the events of src (those of the
// plan's event kinds), in one batch, whole or not at all: the store's first
// batch, committed with a record that it was seeded. A tracker started again
// on a store seeded before does not read src again: its events are in the
// store. Other evaluations ignore it. The whole seed is held in memory while
// it is committed. A store that holds events and was not seeded (a tracker
// applied them without the option) is refused: the seed would not be its
// first batch, and would replace the versions applied since with the
// source's. A store holding only ledger keys (a host's) is seeded.
func WithSeed(src kpi.Source) EvalOption { return func(c *evalConfig) { c.seed = src } }

// seed commits the events of src to kt as its first batch, unless kt's
// store was seeded before.
func (p *Plan) seed(ctx context.Context, kt *kpi.Tracker, src kpi.Source) error {
	if _, done := kt.Closed()[seedKey]; done {
		return nil
	}
	if n := kt.Len(); n > 0 {
		return fmt.Errorf("seed: the store holds %d events applied without a seed: the seed is a store's first batch, and would replace their versions with the source's; start on an empty store, or without WithSeed", n)
	}
	var events []kpi.Event
	err := src.Scan(ctx, kpi.Query{Kinds: p.kinds()}, func(e *kpi.Event) error {
		if e == nil {
			return errors.New("a nil event passed (a Source passes an event to each call)")
		}
		events = append(events, e.Clone())
		return nil
	})
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	at, err := time.Now().UTC().MarshalText()
	if err != nil {
		return err
	}
	b := &kpi.TrackBatch{Events: events, Closed: []kpi.TrackRecord{{Key: seedKey, Data: at}}}
	if err := kt.Commit(ctx, b); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	return nil
}
