package memory

import (
	"context"
	"errors"
	"runtime"
	"sync"

	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/refusal"
	"github.com/goalkit/goalkit/kpi"
)

// blockRows is the number of versions a worker codes into a block before
// it hands the block over to be joined to the table: small enough that a
// block is still in the caches when it is joined soon after, large enough
// that what a block costs beside its rows (a cut, the limits checked, the
// dictionaries' new values looked up) stays a small part of it. (A
// variable for the tests, which make blocks of a few versions.)
var blockRows = 1 << 14

// errStopped is what add returns to the fn of a part after an earlier part
// has failed: the import has failed, and this part's versions will not be
// applied. It is never ImportParallel's error (the earlier part's is).
var errStopped = errors.New("memory: an earlier part failed")

// inOrder is ImportParallel into an empty table: GOMAXPROCS workers take
// the parts in order, the table takes their versions in order.
//
// The worker of the head part (the first part not yet in the table, once
// every block before it is in) applies its versions to the table in
// place, as Import does. The other workers code their parts' versions
// into chunks of their own (colstore.NewChunk, whose dictionaries last
// from part to part), cut every blockRows versions into a block; the
// blocks are stitched to the table in order (colstore.Table.Stitch) by
// whichever worker finds the table free, as soon as the part before them
// is in: most of the joining runs while the other workers still fill
// their parts, and a part's worker that becomes the head, with every
// block of it stitched, goes on in place. The table is changed by one
// goroutine at a time (held); the state below is guarded by mu.
type inOrder struct {
	ctx   context.Context
	t     *colstore.Table
	fn    func(part int, add func(*kpi.Event) error) error
	parts int

	mu     sync.Mutex
	next   int       // the first part no worker has taken
	head   int       // every part before head is in the table
	held   bool      // a worker is changing the table
	blocks [][]block // the blocks of each part not yet stitched, in order
	ended  []bool    // the part's fn has returned, its last block is queued
	fnErr  []error   // what each part's fn returned
	// joinErr is the error of stitching a part's block: a limit the
	// versions before it took the table past. It comes before fnErr: its
	// versions were added before fn returned.
	joinErr []error
	failed  int // the lowest part known to have failed; parts while none has
}

// block is a chunk of coded versions, cut from its worker's chunk.
type block struct {
	c *colstore.Table
	w *worker
}

// worker is the state of one goroutine of inOrder.
type worker struct {
	coder *colstore.Table   // codes the versions of the parts it fills while not the head
	free  []*colstore.Table // its blocks stitched since, for Cut to fill again (guarded by inOrder.mu)
}

// chunk returns w's chunk, made for t on first use.
func (w *worker) chunk(t *colstore.Table) *colstore.Table {
	if w.coder == nil {
		w.coder = colstore.NewChunk(t.Location())
	}
	return w.coder
}

// fillInOrder is ImportParallel into the empty table t: it returns the
// error of the lowest part that failed, and t holds the versions of every
// part in order when none did (the caller empties t otherwise, or when
// ctx is done).
func fillInOrder(ctx context.Context, t *colstore.Table, parts, n int, fn func(part int, add func(*kpi.Event) error) error) error {
	if n > 0 {
		t.Grow(n)
	}
	o := &inOrder{ctx: ctx, t: t, fn: fn, parts: parts, failed: parts,
		blocks: make([][]block, parts), ended: make([]bool, parts), fnErr: make([]error, parts), joinErr: make([]error, parts)}
	workers := min(runtime.GOMAXPROCS(0), parts)
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o.work()
		}()
	}
	o.work()
	wg.Wait()
	// Every worker has ended its parts, and the last to end stitched what
	// it could; with no other goroutine left, this finds nothing more to
	// do unless an error stopped the joining.
	o.mu.Lock()
	o.held = true
	o.advance()
	for p := range parts {
		if err := o.joinErr[p]; err != nil {
			return err
		}
		if err := o.fnErr[p]; err != nil {
			return err
		}
	}
	if o.head != parts {
		panic("memory: every part ended without error, but not every part is in the table")
	}
	return nil
}

// work takes parts in order and fills them until none is left.
func (o *inOrder) work() {
	w := &worker{}
	for {
		o.mu.Lock()
		p := o.next
		if p == o.parts {
			o.mu.Unlock()
			return
		}
		o.next++
		o.mu.Unlock()
		o.fill(w, p)
	}
}

// fill runs the fn of part p: in place while p is the head, else coded
// into blocks. Its add does partFill.add's work itself: a call less a
// version, on every version of the load.
func (o *inOrder) fill(w *worker, p int) {
	inPlace := o.holdAsHead(p)
	to := o.t // the table while in place, else w's chunk
	if !inPlace {
		to = w.chunk(o.t)
	}
	rows, left := 0, 0 // left: as partFill's
	// An add on a goroutine fn did not wait for either ends before fn's
	// return does or is refused, never writing into the table, or into
	// w's chunk that w's next part fills, as the part ends.
	var open window
	err := o.fn(p, func(e *kpi.Event) error {
		open.mu.Lock()
		defer open.mu.Unlock()
		if open.ended {
			return errImportEnded
		}
		if left--; left < 0 {
			if err := o.ctx.Err(); err != nil {
				return err // left stays below zero: the next add looks again
			}
			left = checkEvery - 1
		}
		if err := to.ApplyList((*colstore.Version)(e), nil); err != nil {
			// The words of Validate, as Import gives them.
			return refusal.Words(e, nil, err)
		}
		if inPlace {
			return nil
		}
		if rows++; rows == blockRows {
			rows = 0
			if !o.queue(w, p) {
				return errStopped
			}
			if inPlace = o.holdAsHead(p); inPlace {
				to = o.t
			}
		}
		return nil
	})
	open.end()
	if rows > 0 {
		// The versions coded before fn returned, even with an error: a
		// limit they take the table past comes before it.
		o.queue(w, p)
	}
	o.mu.Lock()
	o.ended[p] = true
	if err != nil {
		o.fnErr[p] = err
		o.failed = min(o.failed, p)
	}
	if inPlace {
		// This worker holds the table: every block of p was in it before
		// the rest of p was applied in place.
		o.advance()
		return
	}
	o.joinIfFree()
}

// holdAsHead reports whether p is the head part with every block of it
// stitched and the table free, and then holds the table for p's worker to
// apply the rest of p in place.
func (o *inOrder) holdAsHead(p int) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.head != p || len(o.blocks[p]) > 0 || o.held || o.failed < p {
		return false
	}
	o.held = true
	return true
}

// queue cuts the versions w coded since its last cut into a block of part
// p, stitches what can be stitched if the table is free, and reports
// whether no part before p has failed.
func (o *inOrder) queue(w *worker, p int) bool {
	o.mu.Lock()
	var reuse *colstore.Table
	if k := len(w.free); k > 0 {
		reuse, w.free = w.free[k-1], w.free[:k-1]
	}
	o.mu.Unlock()
	c := w.coder.Cut(reuse)
	o.mu.Lock()
	o.blocks[p] = append(o.blocks[p], block{c: c, w: w})
	ok := o.failed >= p
	o.joinIfFree()
	return ok
}

// joinIfFree is called with mu held and releases it: if the table is free
// and the head part has a block to stitch or has ended, it holds the
// table and advances.
func (o *inOrder) joinIfFree() {
	if o.held || o.head == o.parts || (len(o.blocks[o.head]) == 0 && !o.ended[o.head]) {
		o.mu.Unlock()
		return
	}
	o.held = true
	o.advance()
}

// advance is called with mu held, by the worker that holds the table, and
// releases both: it stitches the blocks of the head part in order and
// moves the head past every part that has ended with all of its blocks
// stitched, until the head part has no block ready or a part failed.
func (o *inOrder) advance() {
	for o.head < o.parts {
		h := o.head
		if o.joinErr[h] != nil {
			break
		}
		if bs := o.blocks[h]; len(bs) > 0 {
			b := bs[0]
			bs[0] = block{}
			o.blocks[h] = bs[1:]
			o.mu.Unlock()
			err := o.t.Stitch(b.c)
			o.mu.Lock()
			b.w.free = append(b.w.free, b.c)
			if err != nil {
				o.joinErr[h] = err
				o.failed = min(o.failed, h)
			}
			continue
		}
		if !o.ended[h] || o.fnErr[h] != nil {
			break
		}
		o.head++
	}
	o.held = false
	o.mu.Unlock()
}
