package eventfile

import (
	"context"
	"fmt"
	"io"
	"runtime"

	"github.com/goalkit/goalkit/kpi"
)

// A Store keeps events: Load puts a file's events into one. *memory.Store
// and the SQL stores of adapters/sqlcore are Stores.
type Store interface {
	// Import runs fn with an add function that takes event versions in
	// order, and keeps every version added if fn returns nil and none of
	// them otherwise. add copies what it keeps: the event and its Attrs map
	// are reused for the next version.
	Import(ctx context.Context, fn func(add func(*kpi.Event) error) error) error
}

// A BatchStore is a Store that also takes events as kpi.Batch values, filled
// on goroutines of their own (*memory.Store is one): Load then parses the
// file on every core, each goroutine putting the events of its blocks in
// batches, and imports the batches in file order, all or nothing.
type BatchStore interface {
	Store
	// NewBatch returns an empty batch for the store.
	NewBatch() *kpi.Batch
	// ImportBatches keeps the versions of every batch, in order, or none.
	ImportBatches(ctx context.Context, batches ...*kpi.Batch) error
}

// StoreFunc adapts a function to the Store interface.
type StoreFunc func(ctx context.Context, fn func(add func(*kpi.Event) error) error) error

// Import calls f(ctx, fn).
func (f StoreFunc) Import(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
	return f(ctx, fn)
}

// Load reads the event file r into dst: the one way to load an event file.
// name names the file in messages and, unless opt.Format is set, gives its
// format by its extension (see FormatOf).
//
// Every line goes to dst in file order, in one Import, as one event version:
// a new event, a correction (an id again) or a retraction (deleted), for dst
// to resolve. If a line is bad, Load returns an error that names every bad
// line as "NAME:LINE: what is wrong" (see Error), and dst keeps nothing of the
// file. If dst refuses a version, the error names its line too. An error of r
// is returned after the name; ctx is checked between blocks of lines.
//
// dst takes the versions on the calling goroutine while, with more than one
// core, GOMAXPROCS-1 other goroutines parse the file block by block. A
// BatchStore takes them in batches instead, which GOMAXPROCS goroutines
// parse and fill at once; an error of its ImportBatches (a limit the
// batches together pass) names the file but no line.
func Load(ctx context.Context, dst Store, r io.Reader, name string, opt Options) error {
	if bs, ok := dst.(BatchStore); ok {
		return loadBatches(ctx, bs, r, name, opt, runtime.GOMAXPROCS(0), batchBlockSize)
	}
	return load(ctx, dst, r, name, opt, runtime.GOMAXPROCS(0)-1, blockSize)
}

// batchBlockSize is the size of the blocks Load parses into batches: each
// block is a batch with dictionaries of its own, so blocks are larger than
// those handed over event by event.
const batchBlockSize = 4 << 20

// loadBatches is Load into a BatchStore with workers goroutines parsing
// blocks of block bytes.
func loadBatches(ctx context.Context, dst BatchStore, r io.Reader, name string, opt Options, workers, block int) error {
	f, err := loadFormat(name, opt)
	if err != nil {
		return err
	}
	pr := &parallelRead{into: dst, r: r, name: name, f: f, opt: opt, blockSize: block}
	return pr.run(ctx, max(workers, 1), func(int64, *kpi.Event) error { return nil })
}

// loadFormat is the format Load reads name in, with opt checked.
func loadFormat(name string, opt Options) (Format, error) {
	f := opt.Format
	if f == 0 {
		var err error
		if f, err = FormatOf(name); err != nil {
			return 0, err
		}
	}
	if f != NDJSON && f != CSV {
		return 0, fmt.Errorf("eventfile: unknown format %v", f)
	}
	return f, opt.check()
}

// load is Load with workers goroutines parsing blocks of block bytes (none:
// the file is read on the calling goroutine).
func load(ctx context.Context, dst Store, r io.Reader, name string, opt Options, workers, block int) error {
	f, err := loadFormat(name, opt)
	if err != nil {
		return err
	}
	return dst.Import(ctx, func(add func(*kpi.Event) error) error {
		emit := func(line int64, e *kpi.Event) error {
			if err := add(e); err != nil {
				if ctx.Err() != nil {
					return err
				}
				return fmt.Errorf("%s:%d: %w", name, line, err)
			}
			return nil
		}
		return readParallel(ctx, r, name, f, opt, workers, block, emit)
	})
}
