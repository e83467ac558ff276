package colstore

import (
	"fmt"
	"time"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/shopspring/decimal"
)

// valueKey is the comparable identity of an attribute value.
type valueKey struct {
	t byte // 's' string, 'i' int64, 'd' decimal (text and exponent), 'b' bool, 't' time (unix seconds + nanoseconds and offset)
	s string
	i int64
}

// valueDict codes the distinct values of one attribute; code 0 is "absent".
// Strings and integers, the common cases, have maps of their own.
type valueDict struct {
	strs  map[string]uint32
	ints  map[int64]uint32
	codes map[valueKey]uint32
	vals  []any // vals[0] is nil
	cache anyCache
}

func newValueDict() *valueDict {
	return &valueDict{strs: map[string]uint32{}, ints: map[int64]uint32{}, codes: map[valueKey]uint32{}, vals: []any{nil}}
}

// normalize returns the canonical Go value of an attribute and its key.
func normalize(v any) (any, valueKey, error) {
	switch x := v.(type) {
	case string:
		return x, valueKey{t: 's', s: x}, nil
	case int64:
		return x, valueKey{t: 'i', i: x}, nil
	case int:
		return int64(x), valueKey{t: 'i', i: int64(x)}, nil
	case int32:
		return int64(x), valueKey{t: 'i', i: int64(x)}, nil
	case bool:
		k := valueKey{t: 'b'}
		if x {
			k.i = 1
		}
		return x, k, nil
	case decimal.Decimal:
		// Its exponent beside its text, which drops trailing zeros: 0 and
		// 0.0 are equal in value but not the same value, and each reads
		// back as given (the text alone gave 0.0 the code of a 0 coded
		// before it).
		return x, valueKey{t: 'd', s: x.String(), i: int64(x.Exponent())}, nil
	case time.Time:
		_, off := x.Zone()
		// Its seconds and nanoseconds apart: an attribute's time may be
		// outside the years whose UnixNano fits an int64.
		return x, valueKey{t: 't', i: x.Unix(), s: fmt.Sprint(x.Nanosecond(), " ", off)}, nil
	}
	return nil, valueKey{}, fmt.Errorf("unsupported attribute value %s of type %T (want string, int64, decimal.Decimal, bool or time.Time)", ValueText(v), v)
}

// ValueText returns a value a message quotes (an attribute value of a type
// attributes do not take, a value a snapshot holds twice) shortened: a decimal (a *decimal.Decimal, a valid
// decimal.NullDecimal) and any other value whose text is a number longer
// than display.MaxNumber (a *big.Int) as display.Number writes it, other
// text cut to display.MaxQuoted bytes (display.Clip). A *decimal.Decimal of
// 1e-10000 written whole made a message of 10,000 characters; one with an
// exponent near -2^31, of billions.
func ValueText(v any) string {
	switch x := v.(type) {
	case decimal.Decimal:
		return display.Number(x)
	case *decimal.Decimal:
		if x != nil {
			return display.Number(*x)
		}
	case decimal.NullDecimal:
		if x.Valid {
			return display.Number(x.Decimal)
		}
	}
	s := fmt.Sprint(v)
	if len(s) > display.MaxNumber {
		if d, err := decimal.NewFromString(s); err == nil {
			return display.Number(d)
		}
	}
	return display.Clip(s, display.MaxQuoted)
}

func (d *valueDict) code(v any) (uint32, error) {
	if c, ok := d.cache.get(v); ok {
		return c, nil
	}
	return d.codeMissed(v)
}

// codeMissed is code for a value the cache does not hold.
func (d *valueDict) codeMissed(v any) (uint32, error) {
	c, err := d.lookup(v)
	if err == nil {
		d.cache.put(v, c)
	}
	return c, err
}

func (d *valueDict) lookup(v any) (uint32, error) {
	switch x := v.(type) {
	case string:
		c, _ := intern(d.strs, &d.vals, x, v)
		return c, nil
	case int64:
		c, _ := intern(d.ints, &d.vals, x, v)
		return c, nil
	case int:
		return d.lookup(int64(x))
	case int32:
		return d.lookup(int64(x))
	case decimal.Decimal:
		if e := x.Exponent(); e < -MaxExponent || e > MaxExponent {
			return 0, fmt.Errorf("exponent %d is outside ±%d", e, MaxExponent)
		}
	case time.Time:
		if _, off := x.Zone(); !zoneOffsetOK(int64(off)) {
			return 0, fmt.Errorf("a time at offset %d s, outside ±%d s", off, maxZoneOffset)
		}
	}
	nv, k, err := normalize(v)
	if err != nil {
		return 0, err
	}
	c, _ := intern(d.codes, &d.vals, k, nv)
	return c, nil
}

// maxZoneOffset bounds a time attribute's offset from UTC, in seconds: a
// zone no place has (the widest are 14 hours east of UTC and 12 west), yet
// what a time.FixedZone of 32 bits holds, so that a value a table took, a
// snapshot of it reads back (it refused an offset past a day: a tracker
// that took a time at an offset of 26 hours wrote a snapshot it could not
// restore).
const maxZoneOffset = 1<<31 - 1

// zoneOffsetOK reports whether a time attribute's offset is within
// ±maxZoneOffset.
func zoneOffsetOK(off int64) bool { return off >= -maxZoneOffset && off <= maxZoneOffset }
