package eventfile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// chunkSets is the most chunks a worker that codes blocks has (its own,
// and those on their way to be stitched): it waits for one to come back
// rather than make more, so that parsing ahead of the stitching costs no
// garbage.
const chunkSets = 2

// blockSize is the size of the blocks of lines Load hands to its workers:
// small enough for the events of the blocks on their way to stay in the
// processor's caches.
const blockSize = 128 << 10

// readParallel reads the event file r as read does, with workers goroutines
// parsing blocks of about block bytes at once (with workers < 1 it is read).
// It checks
// the same things and returns the same errors as read, bad lines included,
// and like read it calls emit on the calling goroutine, in file order, with
// each event and the line where the event's line (CSV record) starts, up to
// the first bad line, so that its error is read's error.
//
// One goroutine reads r and cuts it into blocks at record boundaries (a
// quoted CSV field may hold line ends; blocks never split one), counting the
// lines of each block, so that line numbers are exact. Each worker copies the
// events of a block into the block's batch; the calling goroutine takes the
// batches in file order and hands their events to emit.
func readParallel(ctx context.Context, r io.Reader, name string, f Format, opt Options, workers, block int, emit func(line int64, e *kpi.Event) error) error {
	if workers < 1 {
		return read(ctx, r, name, f, opt, emit)
	}
	if err := opt.check(); err != nil {
		return err
	}
	if f != NDJSON && f != CSV {
		return fmt.Errorf("eventfile: unknown format %v", f)
	}
	pr := &parallelRead{r: r, name: name, f: f, opt: opt, blockSize: block}
	return pr.run(ctx, workers, emit)
}

type parallelRead struct {
	// part, when set, takes the file in parts (PartStore.ImportParts): each
	// block is a part, started in file order, to which its worker adds the
	// block's events, instead of handing them to emit.
	part func(n int) func(*kpi.Event) error
	// columnPart, when set instead, takes a CSV file in parts
	// (ColumnPartStore.ImportColumnParts), each version's attributes by
	// position.
	columnPart func(n int, names []string) func(*kpi.Event, []any) error
	// columns, when set instead, takes a CSV file's events in file order on
	// the calling goroutine (ColumnStore.ImportColumns), each version's
	// attributes by position; lines is about how many lines the file has.
	columns func(n int, names []string) func(*kpi.Event, []any) error
	// coded, when set instead, is the empty table of a memory store that
	// takes a CSV file's blocks, coded by the workers (csvCoder) and
	// stitched in file order on the calling goroutine.
	coded     *colstore.Table
	lines     int
	r         io.Reader
	name      string
	f         Format
	opt       Options
	blockSize int
	eof       bool
	err       error // of r
	// parts holds the lines of each part's versions (part or columnPart),
	// in the order the parts were started, for an error of the store that
	// names a version by its part (partLine).
	parts []*partLines
}

// partLines keeps the lines of a part's versions, the i-th version added
// to the part (from 0) on line start+i but where the lines jump (a blank
// line, a CSV record over several lines): jumps, in order, hold each
// version whose line is not the one after its predecessor's.
type partLines struct {
	start, next int64 // the line of the part's first version, and of the version after the last added if no line jumps
	n           int   // the versions added
	jumps       []lineJump
}

type lineJump struct {
	at   int // the version
	line int64
}

// add notes the line of the part's next version.
func (pl *partLines) add(line int64) {
	if line != pl.next {
		pl.jumps = append(pl.jumps, lineJump{pl.n, line})
	}
	pl.n++
	pl.next = line + 1
}

// line returns the line of the part's version v.
func (pl *partLines) line(v int) int64 {
	i := sort.Search(len(pl.jumps), func(i int) bool { return pl.jumps[i].at > v }) - 1
	if i < 0 {
		return pl.start + int64(v)
	}
	return pl.jumps[i].line + int64(v-pl.jumps[i].at)
}

// partLine returns err, an error of the store's merge of parts whose
// versions' lines are in parts, with the line of the version it names (a
// *colstore.Refused) before it, as "NAME:LINE: err", or "NAME: err" when
// it names none.
func partLine(name string, parts []*partLines, err error) error {
	var r *colstore.Refused
	if errors.As(err, &r) && r.Chunk >= 0 && r.Chunk < len(parts) && r.Version >= 0 && r.Version < parts[r.Chunk].n {
		return fmt.Errorf("%s:%d: %w", name, parts[r.Chunk].line(r.Version), err)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// block is a block of lines on its way through the workers.
type block struct {
	data  []byte
	line  int64         // the line data starts on
	lines int           // the number of line ends in data
	done  chan struct{} // closed when evs holds the block's events
	evs   *batch
	// add (or addColumns) takes the block's events when the read fills
	// parts; refused is the first event it refused, with its line.
	add         func(*kpi.Event) error
	addColumns  func(*kpi.Event, []any) error
	refused     error
	refusedLine int64
	// noQuote says that data holds no quote (when the reader looked).
	noQuote bool
	// chunk holds the block's rows when the read codes them (coded), and
	// reuse takes it back to its worker once it is stitched.
	chunk *colstore.Table
	reuse chan *colstore.Table
	// versions keeps the lines of the part's versions (add or addColumns).
	versions *partLines
}

// batch holds copies of the events of a block.
type batch struct {
	evs   []entry
	attrs []attr
	// A CSV file's events with their attributes by position (the
	// parallelRead's columns) are in events instead of evs, their lines in
	// lines, and event i's attributes end at ends[i] in values.
	events []kpi.Event
	lines  []int64
	ends   []int32
	values []any
}

// entry is an event of a batch: what the parsers fill in of a kpi.Event.
type entry struct {
	id, kind, actor, currency string
	time                      time.Time
	amount                    decimal.NullDecimal
	line                      int64
	attrEnd                   int32 // the end of the event's attributes in attrs
	deleted                   bool
}

type attr struct {
	name  string
	value any
}

// reset empties b for a block of about n events.
func (b *batch) reset(n int) {
	b.evs, b.attrs = b.evs[:0], b.attrs[:0]
	b.events, b.lines, b.ends, b.values = b.events[:0], b.lines[:0], b.ends[:0], b.values[:0]
	if cap(b.evs) < n {
		b.evs = make([]entry, 0, n)
	}
}

// add copies e; its strings and values are immutable and may be kept.
// names are the attribute names seen so far (up to 16): looking them up in
// e.Attrs is cheaper than iterating the map, which add does only when e has
// another one.
func (b *batch) add(line int64, e *kpi.Event, names *[]string) {
	start := len(b.attrs)
	for _, k := range *names {
		if v, ok := e.Attrs[k]; ok {
			b.attrs = append(b.attrs, attr{k, v})
		}
	}
	if len(b.attrs)-start != len(e.Attrs) {
		b.attrs = b.attrs[:start]
		for k, v := range e.Attrs {
			b.attrs = append(b.attrs, attr{k, v})
			if len(*names) < 16 && !slices.Contains(*names, k) {
				*names = append(*names, k)
			}
		}
	}
	b.evs = append(b.evs, entry{id: e.ID, kind: e.Kind, actor: e.Actor, currency: e.Currency,
		time: e.Time, amount: e.Amount, line: line, attrEnd: int32(len(b.attrs)), deleted: e.Deleted})
}

// addValues copies e and its attributes by position.
func (b *batch) addValues(line int64, e *kpi.Event, values []any) {
	b.values = append(b.values, values...)
	b.events = append(b.events, *e)
	b.lines = append(b.lines, line)
	b.ends = append(b.ends, int32(len(b.values)))
}

// deliverValues hands the events of b to add with their attributes by
// position, until stop reports true for an event's line. It returns
// add's error with the line of the event it refused.
func (b *batch) deliverValues(stop func(line int64) bool, add func(*kpi.Event, []any) error, pl *partLines) (int64, error) {
	start := int32(0)
	for i := range b.events {
		if stop(b.lines[i]) {
			return 0, nil
		}
		pl.add(b.lines[i])
		end := b.ends[i]
		if err := add(&b.events[i], b.values[start:end]); err != nil {
			return b.lines[i], err
		}
		start = end
	}
	return 0, nil
}

// deliver hands the events of b to emit through one reused Event and Attrs
// map, as read does, until stop reports true.
func (b *batch) deliver(ev *kpi.Event, attrs map[string]any, stop func(line int64) bool, emit func(int64, *kpi.Event) error) error {
	start := int32(0)
	for i := range b.evs {
		x := &b.evs[i]
		if stop(x.line) {
			return nil
		}
		as := b.attrs[start:x.attrEnd]
		start = x.attrEnd
		// Events mostly have the attributes of the one before: then the
		// map needs only the new values.
		same := len(as) == len(attrs)
		for _, a := range as {
			if same {
				_, same = attrs[a.name]
			}
			if !same {
				break
			}
		}
		if !same {
			clear(attrs)
		}
		for _, a := range as {
			attrs[a.name] = a.value
		}
		*ev = kpi.Event{ID: x.id, Kind: x.kind, Time: x.time, Actor: x.actor, Amount: x.amount,
			Currency: x.currency, Attrs: attrs, Deleted: x.deleted}
		if err := emit(x.line, ev); err != nil {
			return err
		}
	}
	return nil
}

// fill reads into buf until it is full or r ends.
func (pr *parallelRead) fill(buf []byte) []byte {
	for len(buf) < cap(buf) && !pr.eof {
		n, err := pr.r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			pr.eof = true
		} else if err != nil {
			pr.err = fmt.Errorf("%s: %w", pr.name, err)
			pr.eof = true
		}
	}
	return buf
}

func (pr *parallelRead) run(ctx context.Context, workers int, emit func(int64, *kpi.Event) error) error {
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var failed firstBad

	// The reader's own parser reads the CSV header and records what ends
	// the read early (a record too long).
	head, _ := newParser(pr.f, pr.name, pr.opt, &failed, nil, nil)
	hc := head.state()
	buf := make([]byte, 0, pr.blockSize)
	buf = pr.fill(buf)
	if pr.err != nil {
		return pr.err
	}
	if err := utf16Mark(pr.name, buf); err != nil {
		return err
	}
	if bytes.HasPrefix(buf, bom) {
		buf = buf[:copy(buf, buf[len(bom):])]
	}
	line := int64(1)
	var h *csvHeader
	if cp, ok := head.(*csvParser); ok {
		cp.stopAfterHeader = true
		for {
			if long, at := overLong(buf, pr.f, line); long {
				tooLong(hc, pr.f, at, buf)
				return joinBad(&hc.bad)
			}
			used, next, err := cp.block(buf, line, pr.eof)
			line = next
			buf = buf[:copy(buf, buf[used:])]
			if err != nil {
				return joinBad(&hc.bad)
			}
			if cp.h != nil {
				break
			}
			if pr.eof {
				noHeader(cp, 1)
				return joinBad(&hc.bad)
			}
			if len(buf) == cap(buf) {
				var ok bool
				if buf, ok = grow(buf); !ok {
					tooLong(hc, pr.f, line, buf)
					return joinBad(&hc.bad)
				}
			}
			buf = pr.fill(buf)
			if pr.err != nil {
				return pr.err
			}
		}
		h = cp.h
	}

	// Every block goes to a worker (jobs) and, in file order, to this
	// goroutine (order), which waits for each to be parsed. order bounds
	// the blocks on their way, and so the memory of the read.
	jobs := make(chan *block, workers)
	order := make(chan *block, 2*workers)
	freeData := make(chan []byte, 3*workers+1)
	// free hands a block's data back to the reader; with columns, the
	// events' IDs are in it until they are applied.
	free := func(data []byte) {
		select {
		case freeData <- data[:0]:
		default:
		}
	}
	freeEvs := make(chan *batch, 3*workers+1)
	var wg sync.WaitGroup
	var attrNames []string // of a CSV file, by position
	if h != nil {
		attrNames = h.attrNames()
	}
	positional := pr.columnPart != nil || pr.columns != nil || pr.coded != nil
	parsers := make([]parser, workers)
	for w := range parsers {
		var (
			cur   *batch
			names []string
			curB  *block
			cp    *csvParser // when positional
		)
		p, _ := newParser(pr.f, pr.name, pr.opt, &failed, func(line int64, e *kpi.Event) error {
			var err error
			switch {
			case curB.refused != nil:
			case cp != nil && cp.coder != nil:
				curB.versions.add(line)
				err = cp.coder.add(e, cp.values, idBytes(e.ID))
			case curB.addColumns != nil:
				curB.versions.add(line)
				err = curB.addColumns(e, cp.values)
			case curB.add != nil:
				curB.versions.add(line)
				err = curB.add(e)
			case cp != nil:
				cur.addValues(line, e, cp.values)
			default:
				cur.add(line, e, &names)
			}
			if err != nil {
				curB.refused, curB.refusedLine = fmt.Errorf("%s:%d: %w", pr.name, line, err), line
				if cp != nil && cp.coder != nil {
					cp.coder.refused = true
				}
			}
			return nil
		}, h)
		var reuse chan *colstore.Table // chunks stitched, for cp's coder to cut into
		made := 1                      // the chunks of cp's coder: its own and those Cut made
		if c, ok := p.(*csvParser); ok && positional {
			cp = c
			cp.byPosition()
			if pr.coded != nil && h != nil {
				cp.coder = newCSVCoder(cp, colstore.NewChunk(pr.coded.Location()))
				reuse = make(chan *colstore.Table, chunkSets)
				cp.kinds.unbounded, cp.actors.unbounded, cp.strs.unbounded = true, true, true
			}
		}
		parsers[w] = p
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range jobs {
				if ctx.Err() == nil {
					cur, curB = b.evs, b
					if cp != nil {
						cp.noQuote = b.noQuote
						if cp.coder != nil {
							cp.coder.refused = false
						}
					}
					// The emit above never fails, so neither does block.
					_, _, _ = p.block(b.data, b.line, true)
					if cp != nil && cp.coder != nil {
						var old *colstore.Table
						select {
						case old = <-reuse:
						default:
							if made < chunkSets {
								made++
							} else {
								// Every chunk it has is on its way to the
								// stitching goroutine, which hands each back:
								// wait for one rather than make another.
								select {
								case old = <-reuse:
								case <-ctx.Done():
								}
							}
						}
						b.chunk, b.reuse = cp.coder.chunk.Cut(old), reuse
					}
				}
				close(b.done)
				if pr.columns == nil {
					free(b.data)
				}
			}
		}()
	}

	// The reader cuts r into blocks. It alone uses buf, line, pr and hc
	// until it closes order.
	go func() {
		defer close(order)
		defer close(jobs)
		cut := func(data []byte) (int, bool) { return bytesCut(data), true }
		if pr.f == CSV {
			cut = csvCutQuoted
		}
		for ctx.Err() == nil {
			buf = pr.fill(buf)
			if pr.err != nil {
				return
			}
			if long, at := overLong(buf, pr.f, line); long {
				tooLong(hc, pr.f, at, buf)
				return
			}
			n, quote := len(buf), true
			if !pr.eof {
				n, quote = cut(buf)
			}
			if n == 0 && pr.eof {
				return
			}
			if n == 0 {
				var ok bool
				if buf, ok = grow(buf); !ok {
					tooLong(hc, pr.f, line, buf)
					return
				}
				continue
			}
			var next []byte
			select {
			case next = <-freeData:
			default:
				next = make([]byte, 0, pr.blockSize)
			}
			if rest := len(buf) - n; rest >= cap(next) {
				// A long record: at most maxRecord+2 bytes, as in read.
				next = make([]byte, 0, min(rest+pr.blockSize, maxRecord+2))
			}
			next = append(next, buf[n:]...)
			lines := bytes.Count(buf[:n], nl1)
			b := &block{data: buf[:n], line: line, lines: lines, done: make(chan struct{}), noQuote: !quote}
			switch {
			case pr.columnPart != nil:
				b.addColumns = pr.columnPart(lines+1, attrNames)
				b.versions = &partLines{start: line, next: line}
				pr.parts = append(pr.parts, b.versions)
			case pr.part != nil:
				b.add = pr.part(lines + 1)
				b.versions = &partLines{start: line, next: line}
				pr.parts = append(pr.parts, b.versions)
			case pr.coded != nil:
				b.versions = &partLines{start: line, next: line}
			default:
				select {
				case b.evs = <-freeEvs:
				default:
					b.evs = &batch{}
				}
				b.evs.reset(lines + 1)
			}
			select {
			case order <- b:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- b:
			case <-ctx.Done():
				close(b.done) // never parsed; the read is over
				return
			}
			line += int64(lines)
			buf = next
			if pr.eof {
				return
			}
		}
	}()

	var (
		emitErr error
		ev      kpi.Event
		attrs   = make(map[string]any)
		refused error
		// refusedLine is the line of refused.
		refusedLine int64
		addValues   func(*kpi.Event, []any) error // of columns
		stitchErr   error                         // of coded
		stitchLines *partLines                    // the lines of the versions of the block stitchErr refused
	)
	// Lines before the first bad one are applied in full, as read applies
	// them, so a refusal among them is the read's error wherever the
	// parsers found bad lines first.
	stop := func(line int64) bool { return emitErr != nil || failed.before(line) }
	for b := range order {
		<-b.done
		// The first refusal in file order, unless a bad line comes before
		// it (see below). Blocks handed over as events refuse nothing.
		if b.refused != nil && refused == nil {
			refused, refusedLine = b.refused, b.refusedLine
		}
		if pr.coded != nil {
			// Once the read is bound to fail, nothing more is stitched;
			// the store drops what was.
			if b.chunk != nil {
				if refused == nil && stitchErr == nil && !failed.any() && ctx.Err() == nil {
					if stitchErr = pr.coded.Stitch(b.chunk); stitchErr != nil {
						// The version past the limit is one of this block's.
						stitchLines = b.versions
					}
				}
				// Stitched or not (a refused chunk is left as it was), its
				// memory goes back to its worker, which may be waiting for
				// it; reuse has room for every chunk the worker has.
				b.reuse <- b.chunk
			}
			b.chunk = nil
			continue
		}
		if b.add != nil || b.addColumns != nil {
			continue
		}
		if !stop(b.line) && ctx.Err() == nil {
			var err error
			if pr.columns != nil {
				if addValues == nil {
					addValues = pr.columns(pr.lines, attrNames)
					pr.parts = append(pr.parts, &partLines{})
				}
				var line int64
				if line, err = b.evs.deliverValues(stop, addValues, pr.parts[0]); err != nil && parent.Err() == nil {
					err = fmt.Errorf("%s:%d: %w", pr.name, line, err)
				}
			} else {
				err = b.evs.deliver(&ev, attrs, stop, emit)
			}
			if err != nil {
				emitErr = err
				cancel()
			}
		}
		if pr.columns != nil {
			free(b.data)
		}
		select {
		case freeEvs <- b.evs:
		default:
		}
	}
	wg.Wait()
	switch {
	case emitErr != nil:
		return emitErr
	case parent.Err() != nil:
		return parent.Err()
	case pr.err != nil:
		return pr.err
	}
	bads := []*badLines{&hc.bad}
	for _, p := range parsers {
		bads = append(bads, &p.state().bad)
	}
	if pr.part == nil && pr.columnPart == nil && pr.coded == nil {
		return joinBad(bads...)
	}
	// As read stops at the first line the store refuses, and hands no
	// line to the store after a bad one: whichever comes first is the
	// error. (Parsers hand the store every line before the first bad
	// one, whatever order they find bad lines in, so the first refusal
	// before it is always seen.)
	if refused != nil {
		first := true
		for _, b := range bads {
			if len(b.errs) > 0 && int64(b.errs[0].Line) < refusedLine {
				first = false
			}
		}
		if first {
			return refused
		}
	}
	if err := joinBad(bads...); err != nil || stitchErr == nil {
		return err
	}
	// The table refused the blocks together (a limit they pass): the line
	// of the version past it.
	return partLine(pr.name, []*partLines{stitchLines}, stitchErr)
}

func bytesCut(data []byte) int { return bytes.LastIndexByte(data, '\n') + 1 }
