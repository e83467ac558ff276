package eventfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/internal/jsonstr"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// Writer writes events in the shape Load reads: what a Writer writes reads
// back as the same events when the Options given to Load declare the type of
// every attribute that is not a string (undeclared, an int attribute reads
// back as a decimal from NDJSON and as a string from CSV).
//
// CSV: a header row id,kind,time,actor,amount,currency,deleted followed by
// one column per attribute in the order given to NewWriter (at most
// kpi.MaxEventAttrs of them, as Load reads a header); an event with an
// attribute not in that list is refused, and so is an empty string
// attribute (an empty cell means the attribute is absent) and an attribute
// name with a space at its start or end (Load refuses it in a header). NDJSON: one
// object a line with the fields in the order of FORMATS.md, the amount as a
// JSON string, attributes in the order given and then by name, decimal and
// int attributes as JSON numbers, time attributes as strings.
//
// Times are written in RFC 3339 with their offset (UTC when the offset is
// not a whole number of minutes, or a day or more), with nanoseconds only
// when present. A deleted event is written with its ID alone. An event time
// whose year, as written, is outside 1678–2261 is refused, as Load refuses
// it (an attribute's time may be of any year 0000–9999, as written), and
// so is an id, kind, actor or attribute name with a control character.
//
// An event whose line would be longer than MaxLine is refused too. An event
// Write refuses leaves nothing written. Errors of the underlying
// writer are sticky. Call Flush at the end; for CSV it writes the header
// even when there were no events.
type Writer struct {
	w       *bufio.Writer
	f       Format
	attrs   []string       // the attribute order
	col     map[string]int // CSV: attribute name → column after the standard ones
	started bool
	err     error // sticky: of the writer, or of the attribute list
	line    []byte
}

var csvStandard = []string{"id", "kind", "time", "actor", "amount", "currency", "deleted"}

// NewWriter returns a Writer of format f to w; attrOrder orders the
// attribute columns (CSV) or keys (NDJSON). A nil w, an unknown format or
// a bad attribute list is the error of every Write and of Flush.
func NewWriter(w io.Writer, f Format, attrOrder []string) *Writer {
	wr := &Writer{w: bufio.NewWriterSize(w, 64<<10), f: f, attrs: slices.Clone(attrOrder), col: make(map[string]int)}
	if f != CSV && f != NDJSON {
		wr.err = fmt.Errorf("eventfile: unknown format %v", f)
	}
	if w == nil {
		wr.err = errors.New("eventfile: NewWriter: no io.Writer to write to")
	}
	for i, a := range attrOrder {
		switch {
		case a == "":
			wr.err = errors.New("eventfile: empty attribute name")
		case display.IDProblem(a) != "":
			wr.err = fmt.Errorf("eventfile: attribute name %q %s", a, display.IDProblem(a))
		case f == CSV && (a[0] == ' ' || a[len(a)-1] == ' '):
			// Load refuses such a header name (a space around a comma).
			wr.err = fmt.Errorf("eventfile: attribute %q has a space at its start or end, which a CSV header cannot hold", a)
		case f == CSV && slices.Contains(csvStandard, a):
			wr.err = fmt.Errorf("eventfile: attribute %q has the name of a standard column", a)
		}
		if _, dup := wr.col[a]; dup {
			wr.err = fmt.Errorf("eventfile: attribute %q listed twice", a)
		}
		wr.col[a] = i
	}
	if f == CSV && len(attrOrder) > kpi.MaxEventAttrs {
		// Load refuses such a header, whatever the lines hold.
		wr.err = fmt.Errorf("eventfile: %d attribute columns (at most %d)", len(attrOrder), kpi.MaxEventAttrs)
	}
	return wr
}

// Write writes one event.
func (w *Writer) Write(e *kpi.Event) error {
	if w.err != nil {
		return w.err
	}
	if err := checkEvent(e); err != nil {
		return err
	}
	return w.put(e)
}

// put writes e, which checkEvent accepted.
func (w *Writer) put(e *kpi.Event) error {
	w.line = w.line[:0]
	var err error
	if w.f == CSV {
		w.header()
		err = w.csvLine(e)
	} else {
		err = w.jsonLine(e)
	}
	if err != nil {
		return err
	}
	if n := len(w.line) - 1; n > MaxLine { // without its line end
		return fmt.Errorf("eventfile: event %s: its line of %d bytes is longer than %d, which Load refuses", quoteString(e.ID), n, MaxLine)
	}
	if _, err := w.w.Write(w.line); err != nil {
		w.err = err
	}
	return w.err
}

// Flush writes what is buffered (and the CSV header, if not yet written).
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	if w.f == CSV {
		w.header()
	}
	if err := w.w.Flush(); err != nil {
		w.err = err
	}
	return w.err
}

func (w *Writer) header() {
	if w.started {
		return
	}
	w.started = true
	var b []byte
	for i, c := range csvStandard {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, c...)
	}
	for _, a := range w.attrs {
		b = append(b, ',')
		b = appendCSVField(b, a)
	}
	b = append(b, '\n')
	if _, err := w.w.Write(b); err != nil {
		w.err = err
	}
}

// checkEvent refuses events that would not read back as they are.
func checkEvent(e *kpi.Event) error {
	if e.ID == "" {
		return errors.New("eventfile: event without an id")
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("eventfile: event %s: %s", quoteString(e.ID), fmt.Sprintf(format, args...))
	}
	if p := display.IDProblem(e.ID); p != "" {
		return bad("id %s", p)
	}
	if e.Deleted {
		return nil
	}
	for _, f := range [...]struct{ name, v string }{{"kind", e.Kind}, {"actor", e.Actor}} {
		if f.v == "" {
			return bad("empty %s", f.name)
		}
		if p := display.IDProblem(f.v); p != "" {
			return bad("%s %s", f.name, p)
		}
	}
	if !colstore.InYears(written(e.Time)) {
		return bad("time %s is outside the years %d–%d", shownTime(e.Time), minEventYear, maxEventYear)
	}
	if e.Amount.Valid {
		if err := checkDecimal(e.Amount.Decimal); err != nil {
			return bad("amount %v", err)
		}
	}
	if e.Currency != "" {
		if !validCurrency([]byte(e.Currency)) {
			return bad("currency %s is not 3 upper-case letters", quoteString(e.Currency))
		}
		if !e.Amount.Valid {
			return bad("currency %s without amount", quoteString(e.Currency))
		}
	}
	if len(e.Attrs) > kpi.MaxEventAttrs {
		return bad("%d attributes (at most %d)", len(e.Attrs), kpi.MaxEventAttrs)
	}
	// Of several bad attributes the least name is told, whatever the
	// map's order: the same event gives the same error every time.
	var badKey, badMsg string
	for k, v := range e.Attrs {
		if msg := attrProblem(k, v); msg != "" && (badMsg == "" || k < badKey) {
			badKey, badMsg = k, msg
		}
	}
	if badMsg != "" {
		return bad("%s", badMsg)
	}
	return nil
}

// attrProblem says what keeps attribute k of value v from being written,
// or "".
func attrProblem(k string, v any) string {
	if k == "" {
		return "empty attribute name"
	}
	if p := display.IDProblem(k); p != "" {
		return fmt.Sprintf("attribute name %s %s", quoteString(k), p)
	}
	switch v := v.(type) {
	case string:
		if !utf8.ValidString(v) {
			return fmt.Sprintf("attribute %s is not valid UTF-8", quoteString(k))
		}
	case int, int32, int64, bool:
	case decimal.Decimal:
		if err := checkDecimal(v); err != nil {
			return fmt.Sprintf("attribute %s %v", quoteString(k), err)
		}
	case time.Time:
		// The year as written, as Load reads it.
		if y := written(v).Year(); y < 0 || y > 9999 {
			return fmt.Sprintf("attribute %s: time %s is outside the years 0000 to 9999", quoteString(k), shownTime(v))
		}
	default:
		return fmt.Sprintf("attribute %s has unsupported type %T", quoteString(k), v)
	}
	return ""
}

// quoteString quotes s for an error as quote does, cut short.
func quoteString(s string) string { return quote([]byte(s)) }

// decimalText writes a decimal in plain notation keeping its exponent
// ("100.00" stays "100.00"), or as COEFFICIENTeEXPONENT when the plain text
// would be longer than maxDecimalLen: what Load accepts, Writer writes back.
func decimalText(d decimal.Decimal) string {
	e := d.Exponent()
	if e >= -maxDecimalLen && e <= maxDecimalLen {
		var s string
		if e < 0 {
			s = d.StringFixed(-e)
		} else {
			s = d.String()
		}
		if len(s) <= maxDecimalLen {
			return s
		}
	}
	return d.Coefficient().String() + "e" + strconv.Itoa(int(e))
}

// checkDecimal refuses decimals Load would refuse.
func checkDecimal(d decimal.Decimal) error {
	if e := d.Exponent(); e > maxExponent || e < -maxExponent {
		return fmt.Errorf("exponent %d is outside ±%d", e, maxExponent)
	}
	if len(decimalText(d)) > maxDecimalLen {
		return fmt.Errorf("has more than %d characters", maxDecimalLen)
	}
	return nil
}

// written returns t as the file spells it: in its own zone, or in UTC when
// its offset is not whole minutes within ±23:59, which RFC 3339 cannot
// spell. A reader judges an event time's year as spelled (eventTime).
func written(t time.Time) time.Time {
	if _, off := t.Zone(); off%60 != 0 || off <= -24*3600 || off >= 24*3600 {
		return t.UTC()
	}
	return t
}

// shownTime shows t in a message, and the time the file would spell
// when that is in UTC (written), whose year may be another: "1678-01-01
// 00:00:10 +0000 +0000 (written 1677-12-31T23:59:40Z)".
func shownTime(t time.Time) string {
	if w := written(t); w.Location() != t.Location() {
		return fmt.Sprintf("%v (written %s)", t, w.Format(time.RFC3339Nano))
	}
	return t.String()
}

func appendTime(b []byte, t time.Time) []byte {
	return written(t).AppendFormat(b, time.RFC3339Nano)
}

// attrText writes an attribute value as text; strings stay as they are.
func attrText(b []byte, v any) []byte {
	switch v := v.(type) {
	case string:
		return append(b, v...)
	case int:
		return strconv.AppendInt(b, int64(v), 10)
	case int32:
		return strconv.AppendInt(b, int64(v), 10)
	case int64:
		return strconv.AppendInt(b, v, 10)
	case bool:
		return strconv.AppendBool(b, v)
	case decimal.Decimal:
		return append(b, decimalText(v)...)
	case time.Time:
		return appendTime(b, v)
	}
	return b
}

func (w *Writer) csvLine(e *kpi.Event) error {
	// Of several attributes refused the least name is told, whatever the
	// map's order.
	var badKey, badMsg string
	for k, v := range e.Attrs {
		if e.Deleted {
			break
		}
		msg := ""
		if _, ok := w.col[k]; !ok {
			msg = "is not a column of the writer"
		} else if s, ok := v.(string); ok && s == "" {
			msg = "is an empty string, which CSV cannot tell from no attribute"
		}
		if msg != "" && (badMsg == "" || k < badKey) {
			badKey, badMsg = k, msg
		}
	}
	if badMsg != "" {
		return fmt.Errorf("eventfile: event %s: attribute %s %s", quoteString(e.ID), quoteString(badKey), badMsg)
	}
	b := appendCSVField(w.line, e.ID)
	if e.Deleted {
		b = append(b, ",,,,,,true"...)
		for range w.attrs {
			b = append(b, ',')
		}
		w.line = append(b, '\n')
		return nil
	}
	b = append(b, ',')
	b = appendCSVField(b, e.Kind)
	b = append(b, ',')
	b = appendTime(b, e.Time)
	b = append(b, ',')
	b = appendCSVField(b, e.Actor)
	b = append(b, ',')
	if e.Amount.Valid {
		b = append(b, decimalText(e.Amount.Decimal)...)
	}
	b = append(b, ',')
	b = append(b, e.Currency...)
	b = append(b, ',')
	var cell []byte
	for _, a := range w.attrs {
		b = append(b, ',')
		if v, ok := e.Attrs[a]; ok {
			cell = attrText(cell[:0], v)
			b = appendCSVField(b, string(cell))
		}
	}
	w.line = append(b, '\n')
	return nil
}

// appendCSVField quotes a field when it holds a comma, a quote or a line
// end.
func appendCSVField(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

func (w *Writer) jsonLine(e *kpi.Event) error {
	b := append(w.line, `{"id":`...)
	b = jsonstr.Append(b, e.ID)
	if e.Deleted {
		w.line = append(b, ",\"deleted\":true}\n"...)
		return nil
	}
	b = append(b, `,"kind":`...)
	b = jsonstr.Append(b, e.Kind)
	b = append(b, `,"time":"`...)
	b = appendTime(b, e.Time)
	b = append(b, `","actor":`...)
	b = jsonstr.Append(b, e.Actor)
	if e.Amount.Valid {
		b = append(b, `,"amount":"`...)
		b = append(b, decimalText(e.Amount.Decimal)...)
		b = append(b, '"')
	}
	if e.Currency != "" {
		b = append(b, `,"currency":"`...)
		b = append(b, e.Currency...)
		b = append(b, '"')
	}
	if len(e.Attrs) > 0 {
		b = append(b, `,"attrs":{`...)
		first := true
		put := func(k string, v any) {
			if !first {
				b = append(b, ',')
			}
			first = false
			b = jsonstr.Append(b, k)
			b = append(b, ':')
			switch v := v.(type) {
			case string:
				b = jsonstr.Append(b, v)
			case time.Time:
				b = append(b, '"')
				b = appendTime(b, v)
				b = append(b, '"')
			default:
				b = attrText(b, v)
			}
		}
		for _, a := range w.attrs {
			if v, ok := e.Attrs[a]; ok {
				put(a, v)
			}
		}
		var rest []string
		for k := range e.Attrs {
			if _, ok := w.col[k]; !ok {
				rest = append(rest, k)
			}
		}
		slices.Sort(rest)
		for _, k := range rest {
			put(k, e.Attrs[k])
		}
		b = append(b, '}')
	}
	w.line = append(b, "}\n"...)
	return nil
}
