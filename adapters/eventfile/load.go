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

// A PartStore is a Store that also takes events in parts filled on
// goroutines of their own (*memory.Store is one): Load then parses the file
// on every core, each goroutine adding the events of its blocks to a part
// of their own, and the store takes the parts in file order, all or
// nothing.
type PartStore interface {
	Store
	// ImportParts runs fn with a function that starts a part, in order,
	// and returns the function that adds the part's versions (n: about
	// how many); it keeps every version added if fn returns nil, in the
	// order of the parts, and none of them otherwise.
	ImportParts(ctx context.Context, fn func(part func(n int) func(*kpi.Event) error) error) error
}

// A ColumnPartStore is a PartStore that also takes the attributes of a
// part's versions by position, as the columns of a CSV file hold them
// (*memory.Store is one): Load then hands a CSV file's attribute values
// column by column, without a map of attributes per version.
type ColumnPartStore interface {
	PartStore
	// ImportColumnParts is ImportParts with each part's attribute names
	// given when it starts: add's values[k] is the value of names[k], nil
	// when the version has none, and the version's Attrs are not read. It
	// keeps and refuses what ImportParts would for the same versions with
	// those attributes in their Attrs. values is reused for the next
	// version; the values in it are immutable.
	ImportColumnParts(ctx context.Context, fn func(part func(n int, names []string) func(e *kpi.Event, values []any) error) error) error
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
// PartStore takes them in parts instead, one a block, which GOMAXPROCS
// goroutines parse and fill at once; an error the store gives when it
// takes the parts (a limit they pass together) names the file but no line.
func Load(ctx context.Context, dst Store, r io.Reader, name string, opt Options) error {
	if ps, ok := dst.(PartStore); ok {
		return loadParts(ctx, ps, r, name, opt, runtime.GOMAXPROCS(0), partBlockSize)
	}
	return load(ctx, dst, r, name, opt, runtime.GOMAXPROCS(0)-1, blockSize)
}

// partBlockSize is the size of the blocks Load parses into parts: each
// part has dictionaries of its own, so blocks are larger than those handed
// over event by event.
const partBlockSize = 4 << 20

// loadParts is Load into a PartStore with workers goroutines parsing
// blocks of block bytes.
func loadParts(ctx context.Context, dst PartStore, r io.Reader, name string, opt Options, workers, block int) error {
	f, err := loadFormat(name, opt)
	if err != nil {
		return err
	}
	var readErr error
	none := func(int64, *kpi.Event) error { return nil }
	if cs, ok := dst.(ColumnPartStore); ok && f == CSV {
		err = cs.ImportColumnParts(ctx, func(part func(int, []string) func(*kpi.Event, []any) error) error {
			pr := &parallelRead{columnPart: part, r: r, name: name, f: f, opt: opt, blockSize: block}
			readErr = pr.run(ctx, max(workers, 1), none)
			return readErr
		})
	} else {
		err = dst.ImportParts(ctx, func(part func(int) func(*kpi.Event) error) error {
			pr := &parallelRead{part: part, r: r, name: name, f: f, opt: opt, blockSize: block}
			readErr = pr.run(ctx, max(workers, 1), none)
			return readErr
		})
	}
	if err != nil && readErr == nil {
		// The store refused the parts together.
		return fmt.Errorf("%s: %w", name, err)
	}
	return err
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
