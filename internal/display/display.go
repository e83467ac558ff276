// Package display writes text that came from outside (ids, names, attribute
// values) for people and for spreadsheets: control characters escaped for a
// terminal, formula-leading cells neutralised for CSV and XLSX, numbers
// grouped in thousands for reading, and long numbers shortened in messages.
package display

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

const hex = "0123456789abcdef"

// Text returns s safe to print on a terminal: every control character (C0,
// DEL and C1, so also tab, newline and carriage return), every bidirectional
// formatting character (which reorders what a reader sees) and the line and
// paragraph separators are written as Go escapes (\x1b, \n, \u202e), and each
// byte of invalid UTF-8 as \xNN. Everything else, a backslash included, is
// written as is; s comes back unchanged (and unallocated) when it has none of
// them.
func Text(s string) string {
	i := 0
	for i < len(s) {
		if b := s[i]; b >= 0x20 && b < 0x7f {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if escaped(r, n) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case !escaped(r, n):
			b.WriteString(s[i : i+n])
		case r == utf8.RuneError:
			b.WriteString(`\x`)
			b.WriteByte(hex[s[i]>>4])
			b.WriteByte(hex[s[i]&0xf])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80:
			b.WriteString(`\x`)
			b.WriteByte(hex[r>>4])
			b.WriteByte(hex[r&0xf])
		default:
			b.WriteString(`\u`)
			for sh := 12; sh >= 0; sh -= 4 {
				b.WriteByte(hex[r>>sh&0xf])
			}
		}
		i += n
	}
	return b.String()
}

// escaped reports whether Text escapes the rune r, n bytes long.
func escaped(r rune, n int) bool {
	switch {
	case r == utf8.RuneError && n == 1: // a byte of invalid UTF-8
		return true
	case r < 0x20, r >= 0x7f && r <= 0x9f: // C0, DEL, C1
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, // bidi marks
		r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, // embeddings, overrides, isolates
		r == 0x2028, r == 0x2029: // line and paragraph separators
		return true
	}
	return false
}

// Cell returns s safe as a text cell of a CSV or XLSX file, following the
// OWASP guidance on CSV injection: a cell that starts with =, +, -, @, a tab
// or a carriage return, which a spreadsheet would run as a formula, gets a
// leading single quote (so "=HYPERLINK(…)" is written '=HYPERLINK(…)). Only
// text cells go through Cell: a numeric cell such as -5 must stay a number.
func Cell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// Grouped groups the whole part of a decimal number, as written by
// decimal.Decimal's String or StringFixed, in thousands with spaces:
// 1570500.00 is 1 570 500.00, -12345 is -12 345.
func Grouped(s string) string {
	start := 0
	if s != "" && s[0] == '-' {
		start = 1
	}
	end := strings.IndexByte(s, '.')
	if end < 0 {
		end = len(s)
	}
	digits := end - start
	if digits <= 3 {
		return s
	}
	b := make([]byte, 0, len(s)+(digits-1)/3)
	b = append(b, s[:start]...)
	for i := start; i < end; i++ {
		if i > start && (end-i)%3 == 0 {
			b = append(b, ' ')
		}
		b = append(b, s[i])
	}
	b = append(b, s[end:]...)
	return string(b)
}

// IDProblem says what keeps s from being an identifier (an event's id, kind,
// actor or currency, an attribute name): "has a control character (U+001B)"
// (C0, DEL or C1) or "is not valid UTF-8"; "" when nothing does. Stores call
// it for every event, so printable ASCII is checked eight bytes at a time.
func IDProblem(s string) string {
	if printableASCII(s) {
		return ""
	}
	return idProblem(s)
}

// PrintableASCII reports whether every byte of s is in [0x20, 0x7e]
// (then every substring of s is an identifier IDProblem accepts); it may
// say false for some other strings, never true for one with another byte.
func PrintableASCII(s string) bool { return printableASCII(s) }

// Clip shortens text quoted in an error to at most n bytes, cut between
// characters, and an ellipsis; text of n bytes or fewer is returned as it
// is. A negative n is taken as zero.
func Clip(s string, n int) string {
	n = max(n, 0)
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// printable8 reports whether every byte of x is in [0x20, 0x7e]; it may
// say false for some other values, never true for one with another byte.
func printable8(x uint64) bool {
	// A byte with its high bit, below 0x20, or equal to 0x7f.
	del := x ^ 0x7f*lsb
	return (x|(x-0x20*lsb)&^x|(del-lsb)&^del)&msb == 0
}

// printableASCII reports whether every byte of s is in [0x20, 0x7e]; it may
// say false for some other strings, never true for one with another byte.
func printableASCII(s string) bool {
	for len(s) >= 8 {
		_ = s[7]
		x := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		if !printable8(x) {
			return false
		}
		s = s[8:]
	}
	if n := len(s); n >= 4 {
		// The first four bytes and the last four, which overlap unless
		// there are eight: short ids (most are) check at once.
		x := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[n-4])<<32 | uint64(s[n-3])<<40 | uint64(s[n-2])<<48 | uint64(s[n-1])<<56
		return printable8(x)
	}
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 || b >= 0x7f {
			return false
		}
	}
	return true
}

func idProblem(s string) string {
	for i := 0; i < len(s); {
		if b := s[i]; b >= 0x20 && b < 0x7f {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			return "is not valid UTF-8"
		case r < 0x20 || r >= 0x7f && r <= 0x9f:
			return fmt.Sprintf("has a control character (U+%04X)", r)
		}
		i += n
	}
	return ""
}

// MaxQuoted bounds an identifier quoted in an error (an event's or a
// record's id, an attribute's name, a ledger key): an id of 100 KB made an
// error of 100 KB.
const MaxQuoted = 64

// QuoteID quotes an identifier for an error (strconv.Quote), cut to
// MaxQuoted bytes with Clip.
func QuoteID(s string) string { return strconv.Quote(Clip(s, MaxQuoted)) }

// MaxNumber is the longest number a message quotes whole (as
// decimal.Decimal's String writes it); NumberDigits the most significant
// digits of a longer one's scientific form. They are formula's limits on
// the number literals its errors quote.
const (
	MaxNumber    = 40
	NumberDigits = 16
)

// Number returns d as a message quotes it: as its String writes it when
// that is at most MaxNumber bytes; longer, in scientific form, its first
// digit, up to NumberDigits-1 more after a point, … where digits were left
// out, and the exponent of the first digit, as formula's errors quote a
// long literal (1e-10000 written out is 1e-10000; a number of 2,000 digits
// 1.234567890123456…e1999). A number of 10,000 digits made a message of
// 10,000 characters; one with an exponent near ±2^31, of billions.
func Number(d decimal.Decimal) string {
	if d.IsZero() {
		return "0"
	}
	// At most 19 digits and 18 places either way: at most 39 bytes.
	if e := d.Exponent(); e >= -18 && e <= 18 && d.NumDigits() <= 19 {
		return d.String()
	}
	digits := new(big.Int).Abs(d.Coefficient()).Text(10)
	last := strings.TrimRight(digits, "0")
	exp := int64(d.Exponent()) + int64(len(digits)-len(last)) // the last digit's
	// The length of String's text: the digits and exp zeros, or the
	// digits and a point, or 0. and -exp places.
	n := int64(len(last)) + max(exp, 0)
	if exp < 0 {
		n = max(int64(len(last))+1, 2-exp)
	}
	if d.Sign() < 0 {
		n++
	}
	if n <= MaxNumber {
		return d.String()
	}
	sci := Scientific(last, strconv.FormatInt(exp+int64(len(last))-1, 10))
	if d.Sign() < 0 {
		return "-" + sci
	}
	return sci
}

// Scientific writes a number's significant digits (no leading or trailing
// zeros) in scientific form: the first digit, up to NumberDigits-1 more
// after a point, … where digits were left out, e and exp, the exponent of
// the first digit written in decimal: ("1234", "-7") is 1.234e-7. Number
// quotes a long decimal with it, as formula's errors quote a long literal.
func Scientific(digits, exp string) string {
	var b strings.Builder
	b.WriteString(digits[:1])
	if rest := digits[1:]; rest != "" {
		b.WriteByte('.')
		if len(rest) > NumberDigits-1 {
			b.WriteString(rest[:NumberDigits-1])
			b.WriteString("…")
		} else {
			b.WriteString(rest)
		}
	}
	b.WriteByte('e')
	b.WriteString(exp)
	return b.String()
}
