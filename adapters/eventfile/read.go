package eventfile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/goalkit/goalkit/kpi"
)

// Options says how to read an event file.
type Options struct {
	// Format is the file's format; zero means the one the extension of the
	// file's name stands for (see FormatOf).
	Format Format
	// Attributes types attributes by name (the plan's `attributes`
	// section). CSV attribute columns not named here are strings; NDJSON
	// attributes not named here keep their JSON type.
	Attributes map[string]kpi.AttrType
}

func (o Options) check() error {
	names := make([]string, 0, len(o.Attributes))
	for name := range o.Attributes {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if t := o.Attributes[name]; t < kpi.AttrString || t > kpi.AttrTime {
			return fmt.Errorf("eventfile: attribute %q: unknown type %v", name, t)
		}
	}
	return nil
}

// MaxLine is the longest line (CSV record) a reader accepts, in bytes,
// without its line end; a longer one ends the read with an error at its line.
const MaxLine = 1 << 20

const (
	// readSize is how much read asks its reader for at a time.
	readSize = 256 << 10
	// maxRecord bounds a line (a CSV record) so that a file without line
	// ends cannot take all memory: MaxLine.
	maxRecord = MaxLine
)

// errBadHeader ends a read whose CSV header is bad (the header is in the
// parser's bad lines).
var errBadHeader = errors.New("bad header")

var bom = []byte("\xef\xbb\xbf")

// utf16Mark refuses a file that starts with a UTF-16 byte order mark (FF FE
// or FE FF, as Windows tools save "Unicode" text), saying so: Load reads
// UTF-8, and refused such a file's first line as invalid UTF-8 or JSON
// without a word of why.
func utf16Mark(name string, b []byte) error {
	if len(b) >= 2 && (b[0] == 0xff && b[1] == 0xfe || b[0] == 0xfe && b[1] == 0xff) {
		return &Error{File: name, Line: 1, Msg: fmt.Sprintf("the file is UTF-16 (it starts with the byte order mark %X): save it as UTF-8", b[:2])}
	}
	return nil
}

var cr1 = []byte{'\r'}

func newParser(f Format, name string, opt Options, failed *firstBad, emit func(int64, *kpi.Event) error, h *csvHeader) (parser, error) {
	var c common
	c.init(name, opt, failed, emit)
	switch f {
	case NDJSON:
		return &ndjsonParser{common: c}, nil
	case CSV:
		return newCSVParser(c, h), nil
	}
	return nil, fmt.Errorf("eventfile: unknown format %v", f)
}

// tooLong reports a record longer than maxRecord, which ends the read; buf
// is what was read of it. A file whose lines end in a carriage return alone
// (a spreadsheet's "CSV (Macintosh)") is one line to the reader, and
// says so.
func tooLong(c *common, f Format, line int64, buf []byte) {
	what := "line"
	if f == CSV {
		what = "record"
	}
	hint := ""
	if crAlone(buf[:min(len(buf), maxRecord)]) {
		hint = " (it holds carriage returns without a line feed: lines that end in CR alone are not line ends; save the file with LF or CRLF line ends)"
	}
	c.fail(line, "%s longer than %d bytes%s", what, maxRecord, hint)
}

// crAlone reports whether b holds a carriage return that no line feed
// follows (one at b's end may be the start of a CRLF).
func crAlone(b []byte) bool {
	for i := bytes.IndexByte(b, '\r'); i >= 0 && i+1 < len(b); {
		if b[i+1] != '\n' {
			return true
		}
		j := bytes.IndexByte(b[i+1:], '\r')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// overLong reports whether a record in buf is longer than maxRecord bytes
// without its line end (LF, CRLF, or none at the end of the file), and the
// line where it starts, counted from line, the line of buf's start. Only a
// record that starts within len(buf)-maxRecord bytes of buf's start can be,
// and buf holds at most maxRecord+2 bytes: one or two records are looked at,
// whatever the buffer's line end, so that the limit is the same for all.
// A record that does not end in buf is judged by its bytes so far.
func overLong(buf []byte, f Format, line int64) (bool, int64) {
	if len(buf) <= maxRecord || (!gapOver(buf) && (f != CSV || bytes.IndexByte(buf, '"') < 0)) {
		// Every record is a line (no quote that could join lines into a
		// CSV record) and no line is that long: the common case, told
		// without reading each record.
		return false, line
	}
	for i := 0; len(buf)-i > maxRecord; {
		rest := buf[i:]
		n := -1
		if f == CSV {
			n = csvRecordEnd(rest)
		} else if nl := bytes.IndexByte(rest, '\n'); nl >= 0 {
			n = nl + 1
		}
		if n < 0 {
			n = len(rest)
		}
		// A CR before the LF is the line end's; at the end of buf, it may
		// be the start of one.
		rec := bytes.TrimSuffix(bytes.TrimSuffix(rest[:n], nl1), cr1)
		if len(rec) > maxRecord {
			return true, line + int64(bytes.Count(buf[:i], nl1))
		}
		i += n
	}
	return false, line
}

// gapOver reports whether buf may hold more than maxRecord bytes without a
// line feed: it looks for one in each aligned window of half that size
// (any longer run holds a whole window), a few searches a block.
func gapOver(buf []byte) bool {
	const w = maxRecord / 2
	for p := 0; p+w <= len(buf); p += w {
		if bytes.IndexByte(buf[p:p+w], '\n') < 0 {
			return true
		}
	}
	return false
}

// grow makes room in a full buffer that holds the start of a record, or
// reports that the record is longer than maxRecord (with its line end).
func grow(buf []byte) ([]byte, bool) {
	const limit = maxRecord + 2
	if cap(buf) >= limit {
		return buf, false
	}
	b := make([]byte, len(buf), min(2*cap(buf), limit))
	copy(b, buf)
	return b, true
}

// noHeader reports a CSV file without a header row.
func noHeader(p parser, line int64) {
	if cp, ok := p.(*csvParser); ok && cp.h == nil {
		cp.fail(line, "missing header row")
	}
}

// read reads the event file r, named name in messages, calling emit for
// every line in file order with the event and its line: each line is one
// version of an event, and deleted lines are passed too (Deleted set, only
// ID filled in). Blank lines (in NDJSON, of nothing but white space; in
// CSV, of nothing but spaces and tabs) are skipped; a UTF-8 byte order mark
// at the start is dropped, and a UTF-16 one refused (utf16Mark).
//
// read checks every line, but emit sees the lines before read knows whether
// the whole file is good: if any line is bad, read returns an error, and emit
// may already have seen the good lines before the first bad one (it sees
// none after it).
//
// The error for bad lines names each as "NAME:LINE: what is wrong": one
// *Error, or, for several bad lines, the first 20 *Error values in line order
// joined with errors.Join and followed by "and N more bad lines". The line of
// a CSV record is the line where it starts. If emit returns an error, read
// stops and returns that error as it is; an error of r is returned wrapped,
// after the name; ctx is checked between blocks of lines.
//
// emit gets the same *kpi.Event, with the same Attrs map, for every line: it
// must not keep or change them, and copies what it keeps. The strings and
// values in them are immutable and may be kept.
func read(ctx context.Context, r io.Reader, name string, f Format, opt Options, emit func(int64, *kpi.Event) error) error {
	if err := opt.check(); err != nil {
		return err
	}
	var failed firstBad
	p, err := newParser(f, name, opt, &failed, emit, nil)
	if err != nil {
		return err
	}
	return readWith(ctx, r, name, f, p)
}

// readWith is read with the parser p.
func readWith(ctx context.Context, r io.Reader, name string, f Format, p parser) error {
	c := p.state()
	buf := make([]byte, 0, readSize)
	line := int64(1)
	first := true
	for eof := false; !eof; {
		if err := ctx.Err(); err != nil {
			return err
		}
		if len(buf) == cap(buf) {
			var ok bool
			if buf, ok = grow(buf); !ok {
				tooLong(c, f, line, buf)
				return joinBad(&c.bad)
			}
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			eof = true
		} else if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if first {
			if len(buf) < len(bom) && !eof {
				continue // a mark's bytes may come in more than one read
			}
			if err := utf16Mark(name, buf); err != nil {
				return err
			}
			if bytes.HasPrefix(buf, bom) {
				buf = buf[:copy(buf, buf[len(bom):])]
			}
			first = false
		}
		if long, at := overLong(buf, f, line); long {
			tooLong(c, f, at, buf)
			return joinBad(&c.bad)
		}
		used, next, err := p.block(buf, line, eof)
		line = next
		if err != nil {
			if err == errBadHeader {
				return joinBad(&c.bad)
			}
			return err
		}
		buf = buf[:copy(buf, buf[used:])]
	}
	noHeader(p, 1)
	return joinBad(&c.bad)
}
