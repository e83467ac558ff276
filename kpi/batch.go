package kpi

import (
	"context"
	"runtime"
	"sync"
	"time"

	"github.com/goalkit/goalkit/internal/colstore"
)

// A Batch holds event versions already in a Table's columnar form, coded
// with dictionaries of its own, for Table.ImportBatches: batches fill on
// goroutines of their own, one each, and a table then takes them in order.
// It is how a load uses every core (Table.ImportParallel,
// memory.Store.ImportParallel, and eventfile.Load into a memory store).
// A Batch is not safe for concurrent use.
type Batch struct {
	t  *colstore.Table
	in colstore.Input
}

// NewBatch returns an empty batch whose events are dated in loc (nil: UTC),
// which must be the zone of the table it joins.
func NewBatch(loc *time.Location) *Batch {
	if loc == nil {
		loc = time.UTC
	}
	return &Batch{t: colstore.NewChunk(loc)}
}

// Add copies one event version into the batch: a new event, a correction
// or a retraction, resolved against the table and the batches before it
// when the batch is imported. It refuses an invalid version, with the
// error Import's add gives, and then keeps nothing of it. Add copies what
// it keeps: e, its Attrs and the bytes of its ID may be reused.
func (b *Batch) Add(e *Event) error {
	b.in = colstore.Input{ID: e.ID, Kind: e.Kind, Time: e.Time, Actor: e.Actor, Amount: e.Amount,
		Currency: e.Currency, Attrs: e.Attrs, Deleted: e.Deleted, Known: e.Known}
	if err := b.t.Apply(&b.in); err != nil {
		if verr := e.Validate(); verr != nil {
			return verr
		}
		return err
	}
	return nil
}

// Grow makes room for about n more versions, so that the batch's columns
// are not copied over and over as they grow.
func (b *Batch) Grow(n int) { b.t.Grow(n) }

// Len returns the number of event versions in the batch.
func (b *Batch) Len() int { return b.t.Versions() }

// ImportBatches applies the versions of batches, batch after batch, each
// in the order it took them: the table ends as if each version had been
// applied with Apply in turn. It is all or nothing: batches dated in
// another zone, or that would take the table past MaxAttrNames or its
// kinds, are refused whole, and the table is left as it was. The columns
// are copied on GOMAXPROCS goroutines, each into a column of exactly the
// size it needs. The batches are spent: they cannot be imported again.
func (t *Table) ImportBatches(ctx context.Context, batches ...*Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	chunks := make([]*colstore.Table, len(batches))
	for i, b := range batches {
		chunks[i] = b.t
	}
	return t.t.Merge(chunks, runtime.GOMAXPROCS(0))
}

// ImportParallel calls fn once for each of parts parts, on up to
// GOMAXPROCS goroutines at once, each with an add function that fills a
// Batch of its own, and then imports the batches in part order
// (ImportBatches): the versions of part 0 first, then those of part 1, and
// so on. It is all or nothing: if any fn returns an error, nothing is
// applied and ImportParallel returns the error of the lowest part that
// failed. add refuses an invalid version as Import's does; ctx is checked
// every few thousand versions.
func (t *Table) ImportParallel(ctx context.Context, parts int, fn func(part int, add func(*Event) error) error) error {
	batches, err := FillBatches(ctx, t.Location(), parts, fn)
	if err != nil {
		return err
	}
	return t.ImportBatches(ctx, batches...)
}

// FillBatches is the first half of ImportParallel: it fills one batch for
// each part, dated in loc, on up to GOMAXPROCS goroutines at once, for a
// caller that imports them under its own lock (memory.Store).
func FillBatches(ctx context.Context, loc *time.Location, parts int, fn func(part int, add func(*Event) error) error) ([]*Batch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	batches := make([]*Batch, parts)
	errs := make([]error, parts)
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for p := range parts {
		b := NewBatch(loc)
		batches[p] = b
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			n := 0
			errs[p] = fn(p, func(e *Event) error {
				if n++; n%checkEvery == 0 {
					if err := ctx.Err(); err != nil {
						return err
					}
				}
				return b.Add(e)
			})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return batches, ctx.Err()
}
