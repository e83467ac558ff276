package eventfile

import (
	"math"

	"github.com/shopspring/decimal"
)

// Limits that keep hostile numbers cheap: a decimal has at most
// maxDecimalLen characters and an exponent of at most maxExponent in
// magnitude, so no later operation on it can blow up.
const (
	maxDecimalLen = 100
	maxExponent   = 1000
)

// decimalProblem says why a text is not a decimal ("" when it is one).
type decimalProblem string

const (
	notDecimal    decimalProblem = "is not a decimal"
	decimalRange  decimalProblem = "is out of range"
	decimalLength decimalProblem = "has too many characters"
)

// parseDecimal parses [+-]digits[.digits][(e|E)[+-]digits] exactly. Plain
// numbers of up to 18 digits take a fast path without a second scan; the
// result equals decimal.NewFromString's, exponent included.
func parseDecimal(b []byte) (decimal.Decimal, decimalProblem) {
	if v, scale, ok := parsePlain(b); ok {
		return decimal.New(v, -scale), ""
	}
	return parseDecimalSlow(b)
}

// parsePlain parses [+-]d+(.d+)? with at most 18 digits into its digits
// and the number of them after the point, which is the decimal
// parseDecimal gives; ok is false for anything else.
func parsePlain(b []byte) (v int64, scale int32, ok bool) {
	i := 0
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		i = 1
	}
	digits := 0
	start := i
	for i < len(b) && isDigit(b[i]) {
		v = v*10 + int64(b[i]-'0')
		i++
	}
	digits = i - start
	if digits > 0 && i < len(b) && b[i] == '.' {
		i++
		fs := i
		for i < len(b) && isDigit(b[i]) {
			v = v*10 + int64(b[i]-'0')
			i++
		}
		scale = int32(i - fs)
		if scale == 0 {
			return 0, 0, false
		}
		digits += int(scale)
	}
	if digits == 0 || i != len(b) || digits > 18 {
		return 0, 0, false
	}
	if neg {
		v = -v
	}
	return v, scale, true
}

func parseDecimalSlow(b []byte) (decimal.Decimal, decimalProblem) {
	if !validDecimal(b) {
		return decimal.Decimal{}, notDecimal
	}
	if len(b) > maxDecimalLen {
		return decimal.Decimal{}, decimalLength
	}
	s := string(b)
	if s[0] == '+' {
		s = s[1:]
	}
	d, err := decimal.NewFromString(s)
	if err != nil { // the grammar is right, so the exponent is too large
		return decimal.Decimal{}, decimalRange
	}
	if e := d.Exponent(); e > maxExponent || e < -maxExponent {
		return decimal.Decimal{}, decimalRange
	}
	return d, ""
}

// validDecimal reports whether b is [+-]digits[.digits][(e|E)[+-]digits].
func validDecimal(b []byte) bool {
	i := 0
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		i++
	}
	n := digitRun(b[i:])
	if n == 0 {
		return false
	}
	i += n
	if i < len(b) && b[i] == '.' {
		i++
		n = digitRun(b[i:])
		if n == 0 {
			return false
		}
		i += n
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '-' || b[i] == '+') {
			i++
		}
		n = digitRun(b[i:])
		if n == 0 {
			return false
		}
		i += n
	}
	return i == len(b)
}

func digitRun(b []byte) int {
	n := 0
	for n < len(b) && isDigit(b[n]) {
		n++
	}
	return n
}

// parseInt parses [+-]digits into an int64.
func parseInt(b []byte) (int64, bool) {
	i := 0
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		i = 1
	}
	if i == len(b) {
		return 0, false
	}
	var u uint64
	for ; i < len(b); i++ {
		c := b[i]
		if !isDigit(c) {
			return 0, false
		}
		if u > (math.MaxUint64-9)/10 {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
		if u > 1<<63 {
			return 0, false
		}
	}
	if neg {
		return -int64(u), true // -(1<<63) wraps to itself, which is right
	}
	if u > math.MaxInt64 {
		return 0, false
	}
	return int64(u), true
}

var (
	minInt64 = decimal.NewFromInt(math.MinInt64)
	maxInt64 = decimal.NewFromInt(math.MaxInt64)
)

// decimalToInt converts an integral decimal in the int64 range.
func decimalToInt(d decimal.Decimal) (int64, bool) {
	if !d.IsInteger() || d.Cmp(minInt64) < 0 || d.Cmp(maxInt64) > 0 {
		return 0, false
	}
	return d.IntPart(), true
}
