package eventfile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"runtime"
	"sync/atomic"

	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/kpi"
)

// A Store keeps events: Load puts a file's events into one. *memory.Store
// and the SQL stores of adapters/sqlcore are Stores.
type Store interface {
	// Import runs fn with an add function that takes event versions in
	// order, and keeps every version added if fn returns nil and none of
	// them otherwise. add copies what it keeps: the event and its Attrs map
	// are reused for the next version. fn reads the file as it adds its
	// versions: a store runs it once (Load's fn refuses a second run, of a
	// transaction retried: call Load again instead).
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
	// those attributes in their Attrs. The event, the bytes of its ID and
	// values are reused for the next version: add copies what it keeps
	// of them (the other strings and the values are immutable).
	ImportColumnParts(ctx context.Context, fn func(part func(n int, names []string) func(e *kpi.Event, values []any) error) error) error
}

// A ColumnStore is a Store that also takes the attributes of versions by
// position, as the columns of a CSV file hold them (*memory.Store is one):
// Load then hands a CSV file's attribute values column by column, without
// a map of attributes per version.
type ColumnStore interface {
	Store
	// ImportColumns is Import with the attributes by position: fn calls
	// columns with the attribute names of the versions it adds next (n:
	// about how many, 0 when unknown) and adds them in order with the
	// function it returns; add's values[k] is the value of names[k], nil
	// when the version has none, and the version's Attrs are not read. It
	// keeps and refuses what Import would for the same versions with those
	// attributes in their Attrs. The event, the bytes of its ID and values
	// are reused for the next version: add copies what it keeps of them
	// (the other strings and the values are immutable).
	ImportColumns(ctx context.Context, fn func(columns func(n int, names []string) func(e *kpi.Event, values []any) error) error) error
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
// takes the parts (a limit they pass together) names the file, and the
// line of the version past the limit when the store says which version
// that is (a *memory.Store does).
// A CSV file goes to a ColumnStore or ColumnPartStore with its attributes
// by position: on up to two cores (or to a store that takes no parts) in
// file order through ImportColumns, else in parts through
// ImportColumnParts. Into an empty *memory.Store, a CSV file is coded into
// the store's own table format where it is parsed, by GOMAXPROCS
// goroutines, and the blocks are stitched into the store's table in file
// order as they are coded: the store holds the same events, and Load gives
// the same errors, as through Import; a limit the blocks pass together
// (the store's event kinds) names the file and the line of the version
// past it.
func Load(ctx context.Context, dst Store, r io.Reader, name string, opt Options) error {
	switch {
	case dst == nil:
		return fmt.Errorf("eventfile.Load: %s: no Store to load into", name)
	case r == nil:
		return fmt.Errorf("eventfile.Load: %s: no Reader to read", name)
	}
	procs := runtime.GOMAXPROCS(0)
	f, ferr := loadFormat(name, opt)
	csv := ferr == nil && f == CSV
	if csv {
		if done, err := loadCoded(ctx, dst, r, name, opt, procs, partBlockSize); done {
			return err
		}
	}
	cs, columns := dst.(ColumnStore)
	ps, parts := dst.(PartStore)
	if csv && columns && (procs <= maxColumnProcs || !parts) {
		return loadColumns(ctx, cs, r, name, opt, procs-1, blockSize)
	}
	if parts {
		return loadParts(ctx, ps, r, name, opt, procs, partBlockSize)
	}
	return load(ctx, dst, r, name, opt, procs-1, blockSize)
}

// maxColumnProcs is the most cores on which Load prefers a ColumnStore's
// ImportColumns to parts: one goroutine fills the store while the others
// parse, which on two cores beats filling parts on both and merging them
// (no merge, no second copy of the columns), and on more cores does not.
const maxColumnProcs = 2

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
	var (
		readErr error
		ran     atomic.Bool
	)
	none := func(int64, *kpi.Event) error { return nil }
	pr := &parallelRead{r: r, name: name, f: f, opt: opt, blockSize: block}
	if cs, ok := dst.(ColumnPartStore); ok && f == CSV {
		err = cs.ImportColumnParts(ctx, func(part func(int, []string) func(*kpi.Event, []any) error) error {
			if readErr = again(&ran, name); readErr != nil {
				return readErr
			}
			pr.columnPart = part
			readErr = pr.run(ctx, max(workers, 1), none)
			return readErr
		})
	} else {
		err = dst.ImportParts(ctx, func(part func(int) func(*kpi.Event) error) error {
			if readErr = again(&ran, name); readErr != nil {
				return readErr
			}
			pr.part = part
			readErr = pr.run(ctx, max(workers, 1), none)
			return readErr
		})
	}
	if err != nil && readErr == nil {
		// The store refused the parts together: the line of the version
		// past the limit, when the store names it.
		return partLine(name, pr.parts, err)
	}
	return err
}

// loadColumns is Load of a CSV file into a ColumnStore with workers
// goroutines parsing blocks of block bytes (none: the file is read on the
// calling goroutine).
func loadColumns(ctx context.Context, dst ColumnStore, r io.Reader, name string, opt Options, workers, block int) error {
	if err := opt.check(); err != nil {
		return err
	}
	r, lines := estimateLines(r)
	var (
		ran     atomic.Bool
		readErr error
		// parts holds the lines of the versions of each call of columns:
		// into a store that holds events, each is a part the store
		// merges, which may refuse a version of one.
		parts []*partLines
	)
	err := dst.ImportColumns(ctx, func(columns func(int, []string) func(*kpi.Event, []any) error) error {
		if readErr = again(&ran, name); readErr != nil {
			return readErr
		}
		readErr = loadColumnsRead(ctx, columns, r, name, opt, workers, block, lines, &parts)
		return readErr
	})
	var refused *colstore.Refused
	if readErr == nil && errors.As(err, &refused) {
		// The store refused the versions together (a limit they pass).
		return partLine(name, parts, err)
	}
	return err
}

// loadColumnsRead is loadColumns' function for the store: it reads the
// file into columns and keeps the lines of the versions of each call of
// columns in parts.
func loadColumnsRead(ctx context.Context, columns func(int, []string) func(*kpi.Event, []any) error, r io.Reader, name string, opt Options, workers, block, lines int, parts *[]*partLines) error {
	if workers >= 1 {
		pr := &parallelRead{columns: columns, lines: lines, r: r, name: name, f: CSV, opt: opt, blockSize: block}
		err := pr.run(ctx, workers, nil)
		*parts = pr.parts
		return err
	}
	var (
		failed firstBad
		cp     *csvParser
		add    func(*kpi.Event, []any) error
		pl     = &partLines{}
	)
	*parts = []*partLines{pl}
	cp = newCSVParser(common{}, nil)
	cp.init(name, opt, &failed, func(line int64, e *kpi.Event) error {
		if add == nil {
			add = columns(lines, cp.h.attrNames())
		}
		pl.add(line)
		if err := add(e, cp.values); err != nil {
			if ctx.Err() != nil {
				return err
			}
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
		return nil
	})
	cp.byPosition()
	return readWith(ctx, r, name, CSV, cp)
}

// estimateLines returns about how many lines the file r holds, when r
// says its size (an *os.File does), from the length of the lines at its
// start, and a reader of the same bytes as r. The estimate sizes the
// store's columns; it is never more than one line per minLine bytes.
func estimateLines(r io.Reader) (io.Reader, int) {
	st, ok := r.(interface{ Stat() (fs.FileInfo, error) })
	if !ok {
		return r, 0
	}
	fi, err := st.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() <= 0 {
		return r, 0
	}
	head := make([]byte, min(64<<10, fi.Size()))
	n, err := io.ReadFull(r, head)
	head = head[:n]
	switch err {
	case nil:
		r = io.MultiReader(bytes.NewReader(head), r)
	case io.EOF, io.ErrUnexpectedEOF: // the file is shorter than it was
		r = bytes.NewReader(head)
	default: // an error the read meets after the bytes before it
		r = io.MultiReader(bytes.NewReader(head), errReader{err})
	}
	lines := int64(bytes.Count(head, nl1))
	if n == 0 || lines == 0 {
		return r, 0
	}
	est := fi.Size() * lines / int64(n) * 21 / 20
	return r, int(min(est, fi.Size()/minLine+1))
}

// minLine bounds estimateLines: about the shortest line of an event
// (an RFC 3339 time alone is 20 bytes).
const minLine = 20

// errReader returns err.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

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
	var ran atomic.Bool
	return dst.Import(ctx, func(add func(*kpi.Event) error) error {
		if err := again(&ran, name); err != nil {
			return err
		}
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

// again is the error of a second run of the function Load hands a store's
// import (ran says whether it ran before): the file is read as it is
// imported, so a store that runs the function again (a transaction it
// retries) would read the rest of a file already read, importing nothing
// from an NDJSON file without a word, or failing at line 1 of a CSV file
// for want of a header.
func again(ran *atomic.Bool, name string) error {
	if ran.Swap(true) {
		return fmt.Errorf("eventfile.Load: %s: the store ran the import's function again, but the file is read once, as it is imported: a store that retries its transaction must call Load again", name)
	}
	return nil
}
