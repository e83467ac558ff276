package eventfile

import (
	"fmt"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
)

// parser turns the records of a block of an event file into events.
type parser interface {
	// block parses the complete records at the start of data, the first of
	// which starts on line line. A record that does not end within data is
	// left for the next call unless eof is set. It returns the number of
	// bytes consumed and the line after them; the error is one fn returned.
	block(data []byte, line int64, eof bool) (int, int64, error)
	// state returns what the parser shares with every parser of a read.
	state() *common
}

// firstBad is the first bad line of a read, shared by its parsers, which
// may find bad lines in any order.
type firstBad struct {
	line atomic.Int64 // 0 while no bad line is known
}

// set records line as bad.
func (f *firstBad) set(line int64) {
	for {
		cur := f.line.Load()
		if cur != 0 && cur <= line {
			return
		}
		if f.line.CompareAndSwap(cur, line) {
			return
		}
	}
}

// any reports whether a bad line is known.
func (f *firstBad) any() bool { return f.line.Load() != 0 }

// before reports whether a bad line is known at or before line.
func (f *firstBad) before(line int64) bool {
	cur := f.line.Load()
	return cur != 0 && cur <= line
}

// common is the state every parser has: the event it fills, the caches that
// spare allocations, and where bad lines go. It belongs to one goroutine.
type common struct {
	name   string
	opt    Options
	ev     kpi.Event
	attrs  map[string]any
	slab   slab
	strs   dict // kinds, actors, currencies
	zones  zones
	bad    badLines
	failed *firstBad // the first bad line of the read, shared by its parsers
	emit   func(line int64, e *kpi.Event) error
}

func (c *common) init(name string, opt Options, failed *firstBad, emit func(int64, *kpi.Event) error) {
	c.name, c.opt, c.failed, c.emit = name, opt, failed, emit
	c.attrs = make(map[string]any)
}

func (c *common) state() *common { return c }

// reset prepares the event for the next line.
func (c *common) reset() *kpi.Event {
	clear(c.attrs)
	c.ev = kpi.Event{Attrs: c.attrs}
	return &c.ev
}

// fail records a bad line.
func (c *common) fail(line int64, format string, args ...any) {
	c.bad.add(&Error{File: c.name, Line: int(line), Msg: fmt.Sprintf(format, args...)})
	c.failed.set(line)
}

// deliver passes the event to fn unless a bad line comes before it: then
// the read will fail, and fn has nothing more to stage. Lines before the
// first bad one are always delivered, whatever order parsers find bad
// lines in, so a store's refusal of one of them is seen as read sees it.
func (c *common) deliver(line int64) error {
	if c.failed.before(line) {
		return nil
	}
	return c.emit(line, &c.ev)
}

// quote quotes a value for a message, shortened when long as the engine's
// event errors shorten theirs (display.QuoteID).
func quote(b []byte) string {
	return display.QuoteID(string(b[:min(len(b), display.MaxQuoted+utf8.UTFMax)]))
}

// identProblem says what keeps b from being an identifier (an id, kind,
// actor or attribute name: valid UTF-8 without control characters, as
// kpi.Event.Validate requires), or "": a line with such a field is a bad
// line of the file, named beside the others, whatever the store.
func identProblem(b []byte) string {
	return display.IDProblem(unsafe.String(unsafe.SliceData(b), len(b)))
}

func validCurrency(b []byte) bool {
	return len(b) == 3 && isUpper(b[0]) && isUpper(b[1]) && isUpper(b[2])
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

const notTime = "is not an RFC 3339 time with an offset or Z"
