package eventfile

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/goalkit/goalkit/internal/suggest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/shopspring/decimal"
)

// The required columns of FORMATS.md; amount, currency and deleted are
// optional, and every other column is an attribute.
var csvRequired = []string{"id", "kind", "time", "actor"}

// csvHeader is the meaning of the columns of a CSV file, shared read-only by
// the parsers of a read.
type csvHeader struct {
	ncols int
	// col is the column of each field of an event (fID…), -1 when absent;
	// col[fAttrs] is always -1: each attribute has a column of its own.
	col   [nFields]int
	attrs []csvAttr
}

type csvAttr struct {
	name string
	col  int
	typ  kpi.AttrType // 0 (undeclared) reads as a string
}

// csvParser reads CSV records. The header is the first record that is not
// a blank line (blank).
type csvParser struct {
	common
	h *csvHeader
	f fields // of the current record
	// seps and lfs take what splitLines records (blockLines).
	seps, lfs []int32
	// noQuote, when set, says that the data of the next block holds no
	// quote: the reader that cut it has looked (readParallel).
	noQuote bool
	scratch []byte // unquoted field contents
	cache   []dict // per attribute column: cell text → value
	kinds   dict
	actors  dict
	// present has bit k set when attribute k is in attrs, which then holds
	// nattrs entries: the map is updated, not cleared, from line to line.
	present uint64
	nattrs  int
	// values, when not nil, takes the attributes instead of attrs: values[k]
	// is attribute column k's value, nil when its cell is empty, and the
	// event's Attrs is nil (byPosition, which sets positional).
	values     []any
	positional bool
	// inData reports that the current record's fields are in the block's
	// data (it has no quoted field): then, positional, the event's ID is
	// the bytes of its field, which the store copies (ColumnStore).
	inData bool
	// stopAfterHeader makes block return after the header (readParallel
	// reads it before it starts its workers).
	stopAfterHeader bool
	// coder, when set, keeps the dictionary slots of each record's values
	// for the emit function to code the version with (positional only).
	coder *csvCoder
}

func newCSVParser(c common, h *csvHeader) *csvParser {
	p := &csvParser{common: c, h: h}
	if h != nil {
		p.cache = make([]dict, len(h.attrs))
	}
	return p
}

// byPosition makes the parser hand attribute values by column, in
// p.values (made once the header is known), rather than in the event's
// Attrs, and the event's ID in the bytes of the block it parses (the
// bytes of a quoted record's ID are copied), valid until the block's data
// is reused.
func (p *csvParser) byPosition() {
	p.positional = true
	if p.h != nil {
		p.values = make([]any, len(p.h.attrs))
	}
}

// attrNames are the names of the attribute columns, by position.
func (h *csvHeader) attrNames() []string {
	names := make([]string, len(h.attrs))
	for k, a := range h.attrs {
		names[k] = a.name
	}
	return names
}

// block implements parser.
func (p *csvParser) block(data []byte, line int64, eof bool) (int, int64, error) {
	// Most files hold no quote: then the lines need not be searched for one.
	quotes := !p.noQuote && bytes.IndexByte(data, '"') >= 0
	i := 0
	if !quotes && p.h != nil && useSplitLines {
		var err error
		if i, line, err = p.blockLines(data, line); err != nil {
			return i, line, err
		}
	}
	for i < len(data) {
		rest := data[i:]
		nl, high, quoted := splitLine(rest, &p.f, quotes)
		var rec []byte
		n, lines := 0, int64(1)
		if quoted {
			// The record may go on past this line end: frame it.
			n = csvRecordEnd(rest)
			if n < 0 {
				if !eof {
					break
				}
				n = len(rest)
			}
			rec = rest[:n]
			lines = int64(bytes.Count(rec, nl1))
			if rec[n-1] == '\n' {
				rec = rec[:n-1]
			}
			if len(rec) > 0 && rec[len(rec)-1] == '\r' {
				rec = rec[:len(rec)-1]
			}
			if msg := p.splitQuoted(rec); msg != "" {
				if err := p.recordFail(line, msg); err != nil {
					return i, line, err
				}
				i += n
				line += lines
				continue
			}
		} else {
			switch {
			case nl >= 0:
				rec, n = rest[:nl], nl+1
			case eof:
				rec, n = rest, len(rest)
			default:
				return i, line, nil
			}
			if len(rec) > 0 && rec[len(rec)-1] == '\r' {
				p.f.ends[p.f.n]--
				rec = rec[:len(rec)-1]
			}
			if blank(rec) {
				i += n
				line += lines
				continue
			}
		}
		hadHeader := p.h != nil
		p.inData = !quoted
		var err error
		switch {
		case (high || quoted) && !utf8.Valid(rec):
			err = p.recordFail(line, p.badUTF8())
		case !hadHeader:
			err = p.header(line)
		case p.coder != nil && p.eventCoded(line):
		default:
			err = p.event(line)
		}
		if err != nil {
			return i, line, err
		}
		i += n
		line += lines
		if !hadHeader && p.stopAfterHeader {
			break
		}
	}
	return i, line, nil
}

// blockLines parses the lines at the start of data, in a block without a
// quote, as block does, but split many at a time (splitLines). It returns
// where it stopped, for block to go on one line at a time: before the last
// lines of data, those that splitLines leaves, and any part of data that
// is not valid UTF-8 (block names the bad line).
func (p *csvParser) blockLines(data []byte, line int64) (int, int64, error) {
	if p.seps == nil {
		p.seps, p.lfs = make([]int32, 1+1024), make([]int32, 256)
	}
	own := p.f.ends
	i := 0
	for {
		d := data[i:]
		nends, nlines, high := splitLines(d, p.seps[1:], p.lfs)
		if nlines == 0 {
			break
		}
		last := int(p.lfs[nlines-1])
		if high && !utf8.Valid(d[:last]) {
			break
		}
		// seps[k] is the offset of the separator before field k of a line,
		// seps[0] that of the one before the first line of d.
		seps := p.seps[:nends+1]
		seps[0] = -1
		p.f.base = d
		s := 0
		for _, lf := range p.lfs[:nlines] {
			e := s + p.h.ncols
			if e >= len(seps) || seps[e] != lf {
				// Not the header's number of fields: e is lf's separator.
				for e = s + 1; seps[e] != lf; e++ {
				}
			}
			start := seps[s] + 1
			cr := lf > start && d[lf-1] == '\r'
			if cr {
				seps[e]-- // the last field ends before the '\r'
			}
			if e > s+1 || !blank(d[start:seps[e]]) {
				// Field by field: a whole fields value, written through the
				// stack, made the next read of it wait.
				p.f.ends, p.f.n = seps[s:e+1], e-s
				p.inData = true
				if p.coder == nil || !p.eventCoded(line) {
					if err := p.event(line); err != nil {
						p.f = fields{ends: own}
						return i + int(start), line, err
					}
				}
			}
			if cr {
				seps[e]++
			}
			line++
			s = e
		}
		i += last + 1
	}
	p.f = fields{ends: own}
	return i, line, nil
}

var nl1 = []byte{'\n'}

// blank reports whether a record's line, without its line end, is blank:
// empty or only spaces and tabs. No header has a single column, so such a
// line is never a record; it is skipped, as NDJSON skips a line of white
// space.
func blank(rec []byte) bool {
	for _, c := range rec {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// csvRecordEnd returns the length of the record at the start of data with
// its line end, or -1 when the record does not end within data. A field
// that starts with a quote runs to the closing quote; anything else runs to
// the next comma or line end (a stray quote there is a syntax error the
// record reports, not the start of a quoted part).
func csvRecordEnd(data []byte) int {
	i := 0
	for {
		if i < len(data) && data[i] == '"' {
			i++
			for {
				j := bytes.IndexByte(data[i:], '"')
				if j < 0 {
					return -1
				}
				i += j + 1
				if i < len(data) && data[i] == '"' {
					i++
					continue
				}
				break
			}
			if i == len(data) {
				return -1
			}
		}
		for i < len(data) && data[i] != ',' && data[i] != '\n' {
			i++
		}
		if i == len(data) {
			return -1
		}
		if data[i] == '\n' {
			return i + 1
		}
		i++
	}
}

// csvCutQuoted returns the length of the complete records at the start of
// data, framed exactly as block frames them, and whether data holds a
// quote.
func csvCutQuoted(data []byte) (int, bool) {
	if bytes.IndexByte(data, '"') < 0 {
		return bytes.LastIndexByte(data, '\n') + 1, false
	}
	i := 0
	for i < len(data) {
		rest := data[i:]
		nl := bytes.IndexByte(rest, '\n')
		if nl < 0 {
			break
		}
		if bytes.IndexByte(rest[:nl], '"') < 0 {
			i += nl + 1
			continue
		}
		n := csvRecordEnd(rest)
		if n < 0 {
			break
		}
		i += n
	}
	return i, true
}

// recordFail reports a record that cannot be split into fields; a bad
// header ends the read.
func (p *csvParser) recordFail(line int64, msg string) error {
	if p.h == nil {
		p.fail(line, "header: %s", msg)
		return errBadHeader
	}
	p.fail(line, "%s", msg)
	return nil
}

func (p *csvParser) badUTF8() string {
	for k := range p.f.n {
		if !utf8.Valid(p.field(k)) {
			if p.h != nil && p.f.n == p.h.ncols {
				return p.columnName(k) + ": invalid UTF-8"
			}
			return fmt.Sprintf("field %d: invalid UTF-8", k+1)
		}
	}
	return "invalid UTF-8"
}

// splitQuoted splits a record with quoted fields (RFC 4180: a quote inside
// a quoted field is written twice; the field may hold commas and line
// ends, kept as they are). It returns what is wrong, or "".
func (p *csvParser) splitQuoted(rec []byte) string {
	p.scratch = p.scratch[:0]
	p.f.reset(p.scratch)
	i := 0
	for k := 1; ; k++ {
		if k > 1 {
			p.scratch = append(p.scratch, ',') // the separator fields expects
		}
		if i < len(rec) && rec[i] == '"' {
			i++
			for {
				j := bytes.IndexByte(rec[i:], '"')
				if j < 0 {
					return fmt.Sprintf("field %d: quoted field not closed", k)
				}
				p.scratch = append(p.scratch, rec[i:i+j]...)
				i += j + 1
				if i < len(rec) && rec[i] == '"' {
					p.scratch = append(p.scratch, '"')
					i++
					continue
				}
				break
			}
			p.f.add(len(p.scratch))
			p.f.base = p.scratch
			if i == len(rec) {
				return ""
			}
			if rec[i] != ',' {
				return fmt.Sprintf("field %d: text after the closing quote", k)
			}
			i++
			continue
		}
		f := rec[i:]
		j := bytes.IndexByte(f, ',')
		if j >= 0 {
			f = f[:j]
		}
		if bytes.IndexByte(f, '"') >= 0 {
			return fmt.Sprintf("field %d: quote in an unquoted field", k)
		}
		p.scratch = append(p.scratch, f...)
		p.f.add(len(p.scratch))
		p.f.base = p.scratch
		if j < 0 {
			return ""
		}
		i += j + 1
	}
}

// field returns field k of the current record.
func (p *csvParser) field(k int) []byte { return p.f.field(k) }

// header reads the header record.
func (p *csvParser) header(line int64) error {
	fields := make([][]byte, p.f.n)
	for k := range fields {
		fields[k] = p.field(k)
	}
	h, msg := parseCSVHeader(fields, p.opt)
	if msg != "" {
		p.fail(line, "header: %s", msg)
		return errBadHeader
	}
	p.h = h
	p.cache = make([]dict, len(h.attrs))
	if p.positional {
		p.values = make([]any, len(h.attrs))
	}
	return nil
}

func parseCSVHeader(fields [][]byte, opt Options) (*csvHeader, string) {
	h := &csvHeader{ncols: len(fields)}
	for f := range h.col {
		h.col[f] = -1
	}
	seen := make(map[string]bool, len(fields))
	for k, f := range fields {
		name := string(f)
		if name == "" {
			return nil, fmt.Sprintf("empty column name (column %d)", k+1)
		}
		if seen[name] {
			return nil, fmt.Sprintf("duplicate column %s", quote(f))
		}
		if bytes.IndexByte(f, '\r') >= 0 {
			// A file whose lines end in CR alone (a spreadsheet's "CSV
			// (Macintosh)") is one line: the header runs into the rows.
			return nil, fmt.Sprintf("column %s holds a carriage return: lines that end in CR alone are not line ends in CSV (save the file with LF or CRLF line ends)", quote(f))
		}
		if bad := identProblem(f); bad != "" {
			return nil, fmt.Sprintf("column %s %s", quote(f), bad)
		}
		if f[0] == ' ' || f[len(f)-1] == ' ' {
			// "id, kind": CSV keeps the space after a comma in the
			// field, and an attribute " kind" is not what was meant.
			return nil, fmt.Sprintf("column %s has a space at its start or end (CSV keeps the spaces around a comma in the name)", quote(f))
		}
		seen[name] = true
		if i := fieldIndex(f); i >= 0 && i != fAttrs {
			h.col[i] = k
		} else {
			h.attrs = append(h.attrs, csvAttr{name: name, col: k, typ: opt.Attributes[name]})
		}
	}
	if len(h.attrs) > kpi.MaxEventAttrs {
		return nil, fmt.Sprintf("%d attribute columns (at most %d)", len(h.attrs), kpi.MaxEventAttrs)
	}
	var missing []string
	for _, c := range csvRequired {
		if !seen[c] {
			// A spreadsheet's "ID" or " time": names are case-sensitive.
			missing = append(missing, fmt.Sprintf("%q", c)+suggest.Hint(c, slices.Collect(maps.Keys(seen))))
		}
	}
	var msg string
	switch len(missing) {
	case 0:
		return h, ""
	case 1:
		msg = "missing required column " + missing[0]
	default:
		msg = "missing required columns " + strings.Join(missing, ", ")
	}
	// A file separated by semicolons (as spreadsheets write CSV where the
	// comma is the decimal mark) has a header of one column that holds
	// them all. Tabs are control characters, refused above.
	if len(fields) == 1 {
		for _, sep := range []byte{';', '|'} {
			if bytes.IndexByte(fields[0], sep) >= 0 {
				msg += fmt.Sprintf(" (the header is the one column %s: its fields are separated by %q, and CSV separates them by commas)", quote(fields[0]), string(sep))
				break
			}
		}
	}
	return nil, msg
}

func (p *csvParser) columnName(k int) string {
	for f, c := range p.h.col {
		if c == k {
			return fieldNames[f]
		}
	}
	for _, a := range p.h.attrs {
		if a.col == k {
			return a.name
		}
	}
	return fmt.Sprintf("field %d", k+1)
}

// event turns the fields of a record into an event.
func (p *csvParser) event(line int64) error {
	h := p.h
	if p.f.n != h.ncols {
		p.fail(line, "wrong number of fields: got %d, want %d", p.f.n, h.ncols)
		return nil
	}
	e := p.resetCSV()
	id := p.field(h.col[fID])
	if len(id) == 0 {
		p.fail(line, `missing "id"`)
		return nil
	}
	if bad := identProblem(id); bad != "" {
		p.fail(line, "id: %s %s", quote(id), bad)
		return nil
	}
	if h.col[fDeleted] >= 0 {
		switch d := p.field(h.col[fDeleted]); string(d) {
		case "", "false":
		case "true":
			e.Deleted = true
		default:
			p.fail(line, "deleted: %s is not true or false", quote(d))
			return nil
		}
	}
	if p.positional && p.inData {
		e.ID = unsafe.String(unsafe.SliceData(id), len(id))
	} else {
		e.ID = p.slab.str(id)
	}
	if e.Deleted {
		if p.values != nil {
			clear(p.values)
			return p.deliver(line)
		}
		if p.nattrs > 0 {
			clear(p.attrs)
			p.present, p.nattrs = 0, 0
		}
		return p.deliver(line)
	}
	kind := p.field(h.col[fKind])
	if len(kind) == 0 {
		p.fail(line, `missing "kind"`)
		return nil
	}
	var kslot *dictSlot
	var bad string
	if e.Kind, kslot, bad = p.kinds.internIdent(kind, &p.slab); bad != "" {
		p.fail(line, "kind: %s %s", quote(kind), bad)
		return nil
	}
	tb := p.field(h.col[fTime])
	if len(tb) == 0 {
		p.fail(line, `missing "time"`)
		return nil
	}
	t, tp := eventTime(tb, &p.zones)
	if tp != timeOK {
		p.fail(line, "time: %s %s", quote(tb), tp.describe(tb))
		return nil
	}
	e.Time = t
	actor := p.field(h.col[fActor])
	if len(actor) == 0 {
		p.fail(line, `missing "actor"`)
		return nil
	}
	if string(actor) == org.Everyone {
		p.fail(line, everyoneActor)
		return nil
	}
	var aslot, cslot *dictSlot
	if e.Actor, aslot, bad = p.actors.internIdent(actor, &p.slab); bad != "" {
		p.fail(line, "actor: %s %s", quote(actor), bad)
		return nil
	}
	k := p.coder
	if k != nil {
		k.kind, k.actor, k.cur, k.plain = kslot, aslot, nil, false
	}
	if h.col[fAmount] >= 0 {
		if a := p.field(h.col[fAmount]); len(a) > 0 {
			if k != nil {
				// The digits alone: the decimal is made only if the
				// version is applied rather than coded.
				if k.amount, k.places, k.plain = parsePlain(a); k.plain {
					e.Amount.Valid = true
					goto currency
				}
			}
			d, problem := parseDecimal(a)
			if problem != "" {
				p.fail(line, "amount: %s %s", quote(a), problem)
				return nil
			}
			e.Amount = decimal.NullDecimal{Decimal: d, Valid: true}
		}
	}
currency:
	if h.col[fCurrency] >= 0 {
		if c := p.field(h.col[fCurrency]); len(c) > 0 {
			if !validCurrency(c) {
				p.fail(line, "currency: %s is not 3 upper-case letters", quote(c))
				return nil
			}
			if !e.Amount.Valid {
				p.fail(line, "currency %s without amount", quote(c))
				return nil
			}
			e.Currency, cslot = p.strs.internSlot(c, &p.slab)
			if k != nil {
				k.cur = cslot
			}
		}
	}
	for k := range h.attrs {
		a := &h.attrs[k]
		cell := p.field(a.col)
		if len(cell) == 0 {
			if p.values != nil {
				p.values[k] = nil
				if p.coder != nil {
					p.coder.vals[k] = nil
				}
				continue
			}
			if k < 64 && p.present&(1<<k) != 0 {
				delete(p.attrs, a.name)
				p.present &^= 1 << k
				p.nattrs--
			}
			continue
		}
		var v any
		vs := p.cache[k].lookup(cell)
		if vs != nil {
			v = vs.val
		} else {
			var problem string
			v, problem = p.convert(k, cell, a.typ)
			if problem != "" {
				p.fail(line, "%s: %s %s", a.name, quote(cell), problem)
				return nil
			}
			if p.coder != nil {
				vs = p.cache[k].lookup(cell)
			}
		}
		if p.values != nil {
			p.values[k] = v
			if p.coder != nil {
				p.coder.vals[k] = vs
			}
			continue
		}
		p.attrs[a.name] = v
		if k < 64 && p.present&(1<<k) == 0 {
			p.present |= 1 << k
			p.nattrs++
		}
	}
	return p.deliver(line)
}

// resetCSV prepares the event for the next record. The attributes of the
// last record stay in the map for event to overwrite or delete, unless fn
// changed the map or there are more than 64 attribute columns.
func (p *csvParser) resetCSV() *kpi.Event {
	if p.values != nil {
		p.ev = kpi.Event{}
		return &p.ev
	}
	if len(p.attrs) != p.nattrs || len(p.h.attrs) > 64 {
		clear(p.attrs)
		p.present, p.nattrs = 0, 0
	}
	p.ev = kpi.Event{Attrs: p.attrs}
	return &p.ev
}

// convert reads a CSV cell of attribute k as type t and caches it.
func (p *csvParser) convert(k int, cell []byte, t kpi.AttrType) (any, string) {
	if t == 0 || t == kpi.AttrString {
		return p.cache[k].boxString(cell, &p.slab), ""
	}
	v, problem := convertCell(cell, t, &p.zones)
	if problem == "" {
		p.cache[k].put(cell, v, &p.slab)
	}
	return v, problem
}

func convertCell(cell []byte, t kpi.AttrType, z *zones) (any, string) {
	switch t {
	case kpi.AttrInt:
		if n, ok := parseInt(cell); ok {
			return n, ""
		}
		return nil, "is not an int"
	case kpi.AttrDecimal:
		d, problem := parseDecimal(cell)
		if problem != "" {
			return nil, string(problem)
		}
		return d, ""
	case kpi.AttrBool:
		switch string(cell) {
		case "true":
			return true, ""
		case "false":
			return false, ""
		}
		return nil, "is not true or false"
	case kpi.AttrTime:
		t, tp := parseTime(cell, z)
		if tp != timeOK {
			return nil, tp.describe(cell)
		}
		return t, ""
	}
	return nil, "has an unknown type"
}
