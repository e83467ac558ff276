package mapping

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/internal/suggest"
)

// LoadCSV reads the CSV table r through m into dst, in one Import: every
// row gives one event version per rule (see docs/mapping.md), and dst keeps
// all of them or, if any row is bad, none. name names the table in
// messages: "deals.csv:12: column "close_date": not a date "2017-13-01": months are 01 to 12".
// Up to 20 bad rows are reported, as *eventfile.Error values joined in line
// order, and the rest counted.
//
// The file is RFC 4180 with a header row naming the columns; the mapping's
// columns must each be there once, and other columns are ignored. Every
// record has as many fields as the header; quoted fields may hold commas,
// quotes (doubled) and line ends, and a record's line is the line it
// starts on. CRLF line ends and a UTF-8 byte order mark are accepted (a
// table saved as UTF-16, with its byte order mark, is refused saying so);
// blank lines (empty, or only spaces and tabs) are skipped, before the
// header too, as in an event file; a line of commas, or a quoted field of
// spaces, is a record. An empty field is an absent value. Lines are
// limited to 16 MiB without their line end, LF or CRLF. An error of r is
// returned after the name; ctx is checked every few thousand rows.
func (m *Mapper) LoadCSV(ctx context.Context, dst eventfile.Store, r io.Reader, name string, opt Options) error {
	if r == nil {
		return fmt.Errorf("mapping.LoadCSV: %s: no Reader to read", name)
	}
	return m.load(ctx, dst, name, opt, once("LoadCSV", name, func(p *proc) error { return p.readCSV(ctx, r) }))
}

var bom = []byte("\xef\xbb\xbf")

// checkEvery is how many rows a load maps between looks at its context.
const checkEvery = 4096

func (p *proc) readCSV(ctx context.Context, r io.Reader) error {
	// The byte order mark is dropped before the lines are read, so that a
	// first line blank after it is blank, as the CSV reader sees it.
	var head [3]byte
	n, err := io.ReadFull(r, head[:])
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return fmt.Errorf("%s: %w", p.name, err)
	}
	if b := head[:min(n, 2)]; bytes.Equal(b, []byte{0xff, 0xfe}) || bytes.Equal(b, []byte{0xfe, 0xff}) {
		// Windows tools' "Unicode" text: its header was a column of
		// invalid UTF-8, or none the mapping has, without a word of why.
		p.fail(1, fmt.Sprintf("the table is UTF-16 (it starts with the byte order mark %X): save it as UTF-8", b))
		return nil
	}
	start := bytes.TrimPrefix(head[:n], bom)
	if err != nil {
		r = bytes.NewReader(start) // the whole file
	} else {
		r = io.MultiReader(bytes.NewReader(start), r)
	}
	lim := &lineLimit{r: r, max: maxLine, line: 1, blank: true}
	br := bufio.NewReaderSize(lim, 256<<10)
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1 // the header's, once read past blank lines
	var header []string
	for {
		rec, err := cr.Read()
		switch {
		case err == io.EOF:
			p.fail(1, "missing header row")
			return nil
		case err != nil:
			return p.csvErr(err)
		}
		if line, _ := cr.FieldPos(0); len(rec) == 1 && lim.blankAt(line) {
			continue
		}
		header = rec
		break
	}
	cr.FieldsPerRecord = len(header)
	hline, _ := cr.FieldPos(0)
	idx, msgs := p.columns(slices.Clone(header))
	if len(msgs) > 0 {
		msgs = append(msgs, headerHints(header)...)
	}
	for _, msg := range msgs {
		p.fail(hline, msg)
	}
	if len(msgs) > 0 {
		return nil
	}
	nfields := len(header)
	for n := 1; ; n++ {
		if n%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
				if len(rec) == 1 && lim.blankAt(pe.StartLine) {
					continue
				}
				p.fail(pe.StartLine, fmt.Sprintf("%d fields, but the header has %d", len(rec), nfields))
				continue
			}
			return p.csvErr(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && lim.blankAt(line) {
			continue // a one-column table's blank line ("" is an empty value)
		}
		if p.rowText(line, rec, idx) {
			if err := p.mapRow(line); err != nil {
				return err
			}
		}
	}
}

// csvErr records a syntax error of the file, which ends the read (past a
// quoting error the records cannot be told apart), or returns an error of
// the reader.
func (p *proc) csvErr(err error) error {
	var long *longLine
	if errors.As(err, &long) {
		p.fail(long.line, fmt.Sprintf("line longer than %d bytes", long.max))
		return nil
	}
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", p.name, err)
	}
	p.fail(pe.Line, fmt.Sprintf("%v (byte %d of the line)", pe.Err, pe.Column))
	return nil
}

// columns finds the mapping's columns in the header, or says what is
// wrong with it.
func (p *proc) columns(header []string) ([]int, []string) {
	pos := map[string]int{}
	twice := map[string]bool{}
	for i, h := range header {
		if _, ok := pos[h]; ok {
			twice[h] = true
		}
		pos[h] = i
	}
	idx := make([]int, len(p.m.cols))
	var msgs []string
	for i, c := range p.m.cols {
		j, found := pos[c.header]
		switch {
		case !found:
			// A spreadsheet's "Close_Date" or " close_date": names are
			// case-sensitive.
			msgs = append(msgs, fmt.Sprintf("no column %s", strconv.Quote(c.header))+suggest.Hint(c.header, header))
		case twice[c.header]:
			msgs = append(msgs, fmt.Sprintf("column %s appears twice", strconv.Quote(c.header)))
		}
		idx[i] = j
	}
	return idx, slices.Compact(msgs)
}

// headerHints says why a CSV header lacks columns it seems to have: a file
// whose lines end in a carriage return alone is one line to the CSV reader
// (the header's last name runs into the first row: "close_value\r1"), and
// a file separated by semicolons or tabs has a header of one column.
func headerHints(header []string) []string {
	var out []string
	for _, h := range header {
		if strings.ContainsRune(h, '\r') {
			out = append(out, fmt.Sprintf("the header's column %s holds a carriage return: lines that end in CR alone are not line ends in CSV (save the file with LF or CRLF line ends)", quote(h)))
			break
		}
	}
	if len(header) == 1 {
		for _, sep := range []string{";", "\t", "|"} {
			if strings.Contains(header[0], sep) {
				out = append(out, fmt.Sprintf("the header is the one column %s: the fields are separated by %q, and CSV separates them by commas", quote(header[0]), sep))
				break
			}
		}
	}
	return out
}

// rowText parses the fields of a record into the current row, recording
// the first bad one.
func (p *proc) rowText(line int, rec []string, idx []int) bool {
	for i := range p.m.cols {
		if msg := p.cells.text(i, rec[idx[i]], &p.row[i]); msg != "" {
			p.failCell(line, i, msg)
			return false
		}
	}
	return true
}

// maxLine bounds a line of a CSV table, as for event files, so that a file
// without line ends cannot take all memory.
const maxLine = 16 << 20

// lineLimit reads r and fails with a *longLine once a line is longer than
// max bytes without its line end, LF or CRLF (or none, at the end of the
// file), as an event file's lines are limited.
type lineLimit struct {
	r    io.Reader
	max  int
	line int  // the line being read, 1-based
	n    int  // its bytes so far
	cr   bool // its last byte so far is a CR, perhaps its line end's
	// blank is whether the line so far holds only spaces and tabs (and
	// perhaps a CR last, its line end's); blanks are the blank lines read,
	// from the first a record may still start on (blankAt).
	blank, blankCR bool
	blanks         []int
	eof            bool
}

// blankAt reports whether line, on which a record starts, is blank: empty
// or only spaces and tabs. Such a line is skipped, as the event files'
// CSV reader skips it, whatever the number of columns: a one-column
// table's empty value is a field written "", which is not blank. The
// blank lines before line are forgotten.
func (l *lineLimit) blankAt(line int) bool {
	for len(l.blanks) > 0 && l.blanks[0] < line {
		l.blanks = l.blanks[1:]
	}
	return len(l.blanks) > 0 && l.blanks[0] == line
}

// seeBlank reads the bytes b of the current line for blank: a line
// stops being blank at its first byte that is not a space or a tab, or at
// a CR that is not its last.
func (l *lineLimit) seeBlank(b []byte) {
	for _, c := range b {
		switch {
		case !l.blank:
			return
		case l.blankCR:
			l.blank = false // a CR within the line
		case c == '\r':
			l.blankCR = true
		case c != ' ' && c != '\t':
			l.blank = false
		}
	}
}

type longLine struct{ line, max int }

func (e *longLine) Error() string {
	return fmt.Sprintf("line %d is longer than %d bytes", e.line, e.max)
}

func (l *lineLimit) Read(b []byte) (int, error) {
	n, err := l.r.Read(b)
	for rest := b[:n]; ; {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			l.seeBlank(rest)
			l.n += len(rest)
			if len(rest) > 0 {
				l.cr = rest[len(rest)-1] == '\r'
			}
			break
		}
		size := l.n + i
		if i > 0 && rest[i-1] == '\r' || i == 0 && l.cr {
			size-- // the CR of a CRLF
		}
		if size > l.max {
			l.n, l.cr = size, false
			break
		}
		// An empty line (LF, CRLF) the CSV reader skips itself.
		if l.seeBlank(rest[:i]); l.blank && size > 0 {
			l.blanks = append(l.blanks, l.line)
		}
		l.line++
		l.n, l.cr = 0, false
		l.blank, l.blankCR = true, false
		rest = rest[i+1:]
	}
	if err == io.EOF && !l.eof {
		// The last line, without a line end (a CR there the CSV reader
		// drops).
		if l.eof = true; l.blank && l.n > 0 && !(l.n == 1 && l.blankCR) {
			l.blanks = append(l.blanks, l.line)
		}
	}
	size := l.n
	if l.cr {
		// A CR the next read may show to be a line end's; at the end of
		// the file the CSV reader drops it.
		size--
	}
	if size > l.max {
		return 0, &longLine{line: l.line, max: l.max}
	}
	return n, err
}
