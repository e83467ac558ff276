package mapping

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/internal/isodate"
	"github.com/shopspring/decimal"
)

// cell is one parsed value of a row.
type cell struct {
	ok bool // present; an absent value is undefined in formulas
	// out is whether t is outside the years of an event's time (1678–2261
	// in its zone), which a rule's time may not be.
	out bool
	s   string // string; date: YYYY-MM-DD
	v   any    // a kept string (see column.keep), boxed once for attributes
	i   int64  // int; bool: 0 or 1
	d   decimal.Decimal
	t   time.Time // date: the instant it stands for; time
}

// dated is a date's instant, and whether it is outside the years.
type dated struct {
	t   time.Time
	out bool
}

// outsideYears reports whether t is outside the years of an event's time.
func outsideYears(t time.Time) bool {
	return !colstore.InsideYears(t.Unix()) && !colstore.InYears(t) // the first inlined
}

// Limits that keep hostile numbers cheap, as in event files: a decimal has
// at most maxDecimalLen characters and an exponent within ±maxExponent.
const (
	maxDecimalLen = 100
	maxExponent   = 1000
)

// cells parses the values of one load. Its caches belong to one goroutine.
type cells struct {
	cols   []column
	dates  []map[int32]dated // per column: y*10000+m*100+d → instant
	zones  map[int]*time.Location
	intern []map[string]any // per column: repeated strings, kept once, boxed
}

func newCells(cols []column) *cells {
	return &cells{cols: cols, dates: make([]map[int32]dated, len(cols)), zones: map[int]*time.Location{},
		intern: make([]map[string]any, len(cols))}
}

// maxIntern bounds each column's cache of strings.
const maxIntern = 1 << 16

// str returns s, boxed, as a string the row's events may keep: a cached
// copy of a value seen before, or a copy that does not keep the row's text
// alive. Once a column has had maxIntern distinct values, its new values
// are copied each time.
func (p *cells) str(i int, s string) any {
	m := p.intern[i]
	if m == nil {
		m = map[string]any{}
		p.intern[i] = m
	}
	if v, ok := m[s]; ok {
		return v
	}
	c := strings.Clone(s)
	var v any = c
	if len(m) < maxIntern {
		m[c] = v
	}
	return v
}

// text parses the text of column i into c; the message says what is wrong.
// An empty text is an absent value.
func (p *cells) text(i int, s string, c *cell) string {
	*c = cell{}
	if s == "" {
		return ""
	}
	col := &p.cols[i]
	switch col.typ {
	case String:
		if !utf8.ValidString(s) {
			return "is not valid UTF-8"
		}
		c.s = s
		if col.keep {
			c.v = p.str(i, s)
			c.s = c.v.(string)
		}
	case Int:
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
				return "an int out of range " + quote(s)
			}
			return "not an int " + quote(s)
		}
		c.i = v
	case Decimal:
		d, bad := parseDecimal(s)
		if bad != "" {
			return bad + " " + quote(s)
		}
		c.d = d
	case Bool:
		switch s {
		case "true":
			c.i = 1
		case "false":
		default:
			return "not a bool (true or false) " + quote(s)
		}
	case Date:
		y, m, d, ok := parseDate(s)
		if !ok {
			return notDate("not a date", s, s)
		}
		c.s = s
		c.t, c.out = p.date(i, y, m, d)
	case Time:
		t, msg := p.parseTime(col, s)
		if msg != "" {
			return msg
		}
		c.t, c.out = t, outsideYears(t)
	}
	c.ok = true
	return ""
}

// date returns the instant the date y-m-d of column i stands for, and
// whether it is outside the years of an event's time.
func (p *cells) date(i, y, m, d int) (time.Time, bool) {
	k := int32(y*10000 + m*100 + d)
	if v, ok := p.dates[i][k]; ok {
		return v.t, v.out
	}
	if p.dates[i] == nil {
		p.dates[i] = map[int32]dated{}
	}
	col := &p.cols[i]
	t := wallInstant(y, time.Month(m), d, col.tod, 0, col.loc)
	out := outsideYears(t)
	if len(p.dates[i]) < 1<<16 {
		p.dates[i][k] = dated{t, out}
	}
	return t, out
}

// value converts a database value of column i into c: nil is absent, text
// ([]byte, string) is parsed as text is, and the driver's own int64, bool
// and time.Time values are taken as they are where the column's type
// allows. Floating-point values are refused: they are not exact.
func (p *cells) value(i int, v any, c *cell) string {
	col := &p.cols[i]
	*c = cell{}
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return p.text(i, v, c)
	case []byte:
		return p.text(i, string(v), c)
	case int64:
		switch col.typ {
		case String:
			return p.text(i, strconv.FormatInt(v, 10), c)
		case Int:
			c.i = v
		case Decimal:
			c.d = decimal.NewFromInt(v)
		case Bool:
			if v != 0 && v != 1 {
				return fmt.Sprintf("not a bool (0 or 1) %d", v)
			}
			c.i = v
		default:
			return fmt.Sprintf("not a %s: the integer %d", col.typ, v)
		}
	case bool:
		if col.typ != Bool {
			return fmt.Sprintf("not a %s: the bool %t", col.typ, v)
		}
		if v {
			c.i = 1
		}
	case float64:
		return fmt.Sprintf("the floating-point value %s is not exact: select the column as text (CAST(%s AS TEXT)) or as an integer", strconv.FormatFloat(v, 'g', -1, 64), col.header)
	case time.Time:
		switch col.typ {
		case Date:
			h, mi, s := v.Clock()
			if h != 0 || mi != 0 || s != 0 || v.Nanosecond() != 0 {
				return "not a date: the time " + quote(v.Format(time.RFC3339Nano)) + " has a time of day"
			}
			y, m, d := v.Date()
			c.s = fmt.Sprintf("%04d-%02d-%02d", y, int(m), d)
			c.t, c.out = p.date(i, y, int(m), d)
		case Time:
			if col.ownZone && v.Location() == time.UTC {
				// A wall clock, as drivers give a timestamp without
				// time zone; a time at another offset is an instant.
				y, m, d := v.Date()
				h, mi, s := v.Clock()
				v = wallInstant(y, m, d, h*3600+mi*60+s, v.Nanosecond(), col.loc)
			}
			c.t, c.out = v, outsideYears(v)
		default:
			return fmt.Sprintf("not a %s: the time %s", col.typ, quote(v.Format(time.RFC3339Nano)))
		}
	default:
		return fmt.Sprintf("unsupported value of type %T", v)
	}
	c.ok = true
	return ""
}

// parseDate parses YYYY-MM-DD, a date of a year from 0001 that exists
// (2017-02-29 does not).
func parseDate(s string) (y, m, d int, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || d < 1 || d > isodate.DaysIn(y, m) {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// notDate is the message of a cell s whose date (s itself, or a time's
// first ten bytes) parseDate refuses, with isodate's words for a date that
// does not exist, as every other reader of a date says it: `not a date
// "2017-02-29": February 2017 has 28 days`.
func notDate(what, s, day string) string {
	msg := what + " " + quote(s)
	if y, m, d, ok := isodate.Fields(day); ok {
		if why := isodate.Problem(y, m, d); why != "" {
			msg += ": " + why
		}
	}
	return msg
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// parseTime parses YYYY-MM-DD(T| )HH:MM:SS[.fraction][Z|±HH:MM]. A time
// with an offset is that instant, shown at the offset; one without is a
// wall-clock time in the column's zone, and an error if it has none.
func (p *cells) parseTime(col *column, s string) (time.Time, string) {
	bad := func() (time.Time, string) { return time.Time{}, "not a time " + quote(s) }
	if len(s) < 19 || s[10] != 'T' && s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return bad()
	}
	y, m, d, ok := parseDate(s[:10])
	if !ok {
		return time.Time{}, notDate("not a time", s, s[:10])
	}
	h, ok1 := digits(s[11:13])
	mi, ok2 := digits(s[14:16])
	sec, ok3 := digits(s[17:19])
	if !ok1 || !ok2 || !ok3 || h > 23 || mi > 59 || sec > 59 {
		return bad()
	}
	rest := s[19:]
	nsec := 0
	if len(rest) > 0 && rest[0] == '.' {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 1 || n > 10 {
			return bad()
		}
		f, _ := digits(rest[1:n])
		for k := n; k < 10; k++ {
			f *= 10
		}
		nsec, rest = f, rest[n:]
	}
	switch {
	case rest == "":
		if col.loc == nil {
			return time.Time{}, "not a time with an offset " + quote(s) + ": set the column's zone (or the mapping's timezone) to read wall-clock times"
		}
		return wallInstant(y, time.Month(m), d, h*3600+mi*60+sec, nsec, col.loc), ""
	case rest == "Z":
		return time.Date(y, time.Month(m), d, h, mi, sec, nsec, time.UTC), ""
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := digits(rest[1:3])
		om, ok2 := digits(rest[4:6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return bad()
		}
		off := oh*3600 + om*60
		if rest[0] == '-' {
			off = -off
		}
		loc := p.zones[off]
		if loc == nil {
			loc = time.FixedZone("", off)
			if len(p.zones) < 64 {
				p.zones[off] = loc
			}
		}
		utc := time.Date(y, time.Month(m), d, h, mi, sec, nsec, time.UTC).Add(-time.Duration(off) * time.Second)
		return utc.In(loc), ""
	}
	return bad()
}

// parseDecimal parses [+-]digits[.digits][(e|E)[+-]digits] exactly; the
// message says what is wrong.
func parseDecimal(s string) (decimal.Decimal, string) {
	// Fast path: [+-]d+(.d+)? with at most 18 digits.
	i, neg := 0, false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg, i = s[0] == '-', 1
	}
	var v int64
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		v = v*10 + int64(s[i]-'0')
		i++
	}
	n, scale := i-start, 0
	if n > 0 && i < len(s) && s[i] == '.' {
		i++
		fs := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			v = v*10 + int64(s[i]-'0')
			i++
		}
		scale = i - fs
		n += scale
		if scale == 0 {
			return decimal.Decimal{}, "not a decimal"
		}
	}
	if n > 0 && i == len(s) && n <= 18 {
		if neg {
			v = -v
		}
		return decimal.New(v, int32(-scale)), ""
	}
	if !validDecimal(s) {
		return decimal.Decimal{}, "not a decimal"
	}
	if len(s) > maxDecimalLen {
		return decimal.Decimal{}, "a decimal of more than 100 characters"
	}
	d, err := decimal.NewFromString(strings.TrimPrefix(s, "+"))
	if err != nil || d.Exponent() > maxExponent || d.Exponent() < -maxExponent {
		return decimal.Decimal{}, "a decimal out of range"
	}
	return d, ""
}

// validDecimal reports whether s is [+-]digits[.digits][(e|E)[+-]digits].
func validDecimal(s string) bool {
	i := 0
	run := func() bool {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i > j
	}
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	if !run() {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if !run() {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		if !run() {
			return false
		}
	}
	return i == len(s)
}

// quote quotes a value for a message, shortened when long as the engine's
// event errors shorten theirs (display.QuoteID); control characters are
// escaped.
func quote(s string) string { return display.QuoteID(s) }
