package formula

import (
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/shopspring/decimal"
)

// Value is one value of the language: undefined, or a bool, an exact decimal
// number, a string, a time instant, a duration or a list. The zero Value is
// undefined. Values are small and immutable; copy them freely.
//
// A time Value is an instant: the time zone of the time.Time it was made from
// is not kept (the Env's location decides what hour(t) or day(t) return).
//
// Compare values with Equal, not ==: == compares representations.
type Value struct {
	meta
	i int64          // number: small coefficient (|i| < 10^18); bool: 0 or 1; duration: nanoseconds; time: Unix seconds
	p unsafe.Pointer // string: its bytes; number: *ext when not small; list: *ext
	n int            // string: its length
}

// A Value is 32 bytes of at most 4 fields, so the compiler keeps Values in
// registers through the closures of a compiled program. A string is held as
// its data pointer and length (unsafe.StringData / unsafe.String), and the
// rare large parts (big numbers, lists) behind a pointer to ext; p is a
// real pointer in both cases, seen by the garbage collector.
type meta struct {
	typ Type
	e   int32 // number: exponent of the small form (value i·10^e); time: nanoseconds
}

// ext holds the rarer, larger parts of a Value.
type ext struct {
	d decimal.Decimal
	l []Value
}

func mk(t Type, e int32, i int64) Value { return Value{meta: meta{typ: t, e: e}, i: i} }

func listOf(vs []Value) Value {
	return Value{meta: meta{typ: TypeList}, p: unsafe.Pointer(&ext{l: vs})}
}

func (v Value) ext() *ext { return (*ext)(v.p) }

func (v Value) str() string {
	if v.n == 0 {
		return ""
	}
	return unsafe.String((*byte)(v.p), v.n)
}

func bigVal(d decimal.Decimal) Value {
	return Value{meta: meta{typ: TypeNumber}, p: unsafe.Pointer(&ext{d: d})}
}

// Undefined returns the undefined value: a missing attribute, x / 0, the avg
// of nothing, prev() of a first period.
func Undefined() Value { return Value{} }

// Bool returns a bool value.
func Bool(b bool) Value {
	if b {
		return mk(TypeBool, 0, 1)
	}
	return mk(TypeBool, 0, 0)
}

// Number returns an exact decimal value.
func Number(d decimal.Decimal) Value { return bigNum(d) }

// ValueOf converts an event attribute's Go value to a value: a string,
// an int64 (or int, int32), a decimal.Decimal, a bool or a time.Time;
// anything else, nil included, is undefined.
func ValueOf(v any) Value {
	switch x := v.(type) {
	case string:
		return String(x)
	case int64:
		return Int(x)
	case int:
		return Int(int64(x))
	case int32:
		return Int(int64(x))
	case bool:
		return Bool(x)
	case decimal.Decimal:
		return Number(x)
	case time.Time:
		return Time(x)
	}
	return Undefined()
}

// NullNumber returns the number d holds, or undefined when it holds none.
func NullNumber(d decimal.NullDecimal) Value {
	if !d.Valid {
		return Undefined()
	}
	return Number(d.Decimal)
}

// Int returns an integer number value.
func Int(i int64) Value {
	if i > -tenPow18 && i < tenPow18 {
		return mk(TypeNumber, 0, i)
	}
	return bigVal(decimal.NewFromInt(i))
}

// String returns a string value.
func String(s string) Value {
	return Value{meta: meta{typ: TypeString}, p: unsafe.Pointer(unsafe.StringData(s)), n: len(s)}
}

// Time returns a time value: the instant t. Its location and monotonic clock
// reading are dropped.
func Time(t time.Time) Value {
	return mk(TypeTime, int32(t.Nanosecond()), t.Unix())
}

// Duration returns a duration value.
func Duration(d time.Duration) Value { return mk(TypeDuration, 0, int64(d)) }

// List returns a list of the given values (copied).
func List(vs ...Value) Value {
	c := make([]Value, len(vs))
	copy(c, vs)
	return listOf(c)
}

// Type returns the type of v; TypeAny when v is undefined.
func (v Value) Type() Type { return v.typ }

// Defined reports whether v is not the undefined value.
func (v Value) Defined() bool { return v.typ != TypeAny }

// Bool returns the value of a bool and true, or false, false when v is not a
// (defined) bool.
func (v Value) Bool() (bool, bool) {
	if v.typ != TypeBool {
		return false, false
	}
	return v.i != 0, true
}

// Number returns the value of a number and true, or zero and false when v is
// not a (defined) number.
func (v Value) Number() (decimal.Decimal, bool) {
	if v.typ != TypeNumber {
		return decimal.Decimal{}, false
	}
	return v.dec(), true
}

// Str returns the value of a string and true, or "", false.
func (v Value) Str() (string, bool) {
	if v.typ != TypeString {
		return "", false
	}
	return v.str(), true
}

// Time returns the instant of a time value, in UTC, and true, or the zero
// time and false.
func (v Value) Time() (time.Time, bool) {
	if v.typ != TypeTime {
		return time.Time{}, false
	}
	return v.time().UTC(), true
}

// Duration returns the value of a duration and true, or 0, false.
func (v Value) Duration() (time.Duration, bool) {
	if v.typ != TypeDuration {
		return 0, false
	}
	return time.Duration(v.i), true
}

// List returns a copy of the elements of a list and true, or nil, false.
func (v Value) List() ([]Value, bool) {
	if v.typ != TypeList {
		return nil, false
	}
	c := make([]Value, len(v.ext().l))
	copy(c, v.ext().l)
	return c, true
}

func (v Value) time() time.Time { return time.Unix(v.i, int64(v.e)) }

func (v Value) list() []Value {
	if v.p == nil {
		return nil
	}
	return v.ext().l
}

// Equal reports whether v and w are the same value: the same type and an
// equal value (numbers compare by value, so 1.50 equals 1.5; times compare
// as instants). Two undefined values are equal. Equal is for tests and
// tools: the language's == is false whenever a side is undefined.
func (v Value) Equal(w Value) bool {
	if v.typ != w.typ {
		return false
	}
	switch v.typ {
	case TypeAny:
		return true
	case TypeNumber:
		return cmpNum(v, w) == 0
	case TypeString:
		return v.str() == w.str()
	case TypeList:
		a, b := v.list(), w.list()
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if !a[i].Equal(b[i]) {
				return false
			}
		}
		return true
	}
	return v.i == w.i && v.e == w.e
}

// String formats v for debugging and explanations: 12.5, "web" (quoted),
// true, 2025-03-01T10:00:00Z, 1h30m0s, [1, 2], undefined. Numbers are
// written in full, without an exponent and without trailing zeros.
func (v Value) String() string {
	switch v.typ {
	case TypeBool:
		return strconv.FormatBool(v.i != 0)
	case TypeNumber:
		return formatNum(v)
	case TypeString:
		return strconv.Quote(v.str())
	case TypeTime:
		return v.time().UTC().Format(time.RFC3339Nano)
	case TypeDuration:
		return time.Duration(v.i).String()
	case TypeList:
		return joinList("[", v.list(), Value.String, "]")
	}
	return "undefined"
}

// joinList writes the elements of list with format, separated by commas,
// between open and close.
func joinList(open string, list []Value, format func(Value) string, close string) string {
	var b strings.Builder
	b.WriteString(open)
	for i, e := range list {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(format(e))
	}
	b.WriteString(close)
	return b.String()
}

// truthy reports whether v is the bool true: undefined and every other
// value count as false where a condition is expected.
func truthy(v Value) bool { return v.typ == TypeBool && v.i != 0 }

func boolVal(b bool) Value {
	var i int64
	if b {
		i = 1
	}
	return mk(TypeBool, 0, i)
}

// GoString shows v as the constructor call that makes it (numbers, times
// and durations in their String form), for %#v.
func (v Value) GoString() string {
	switch v.typ {
	case TypeAny:
		return "formula.Undefined()"
	case TypeBool:
		return "formula.Bool(" + v.String() + ")"
	case TypeNumber:
		return "formula.Number(" + v.String() + ")"
	case TypeString:
		return "formula.String(" + v.String() + ")"
	case TypeTime:
		return "formula.Time(" + v.String() + ")"
	case TypeDuration:
		return "formula.Duration(" + v.String() + ")"
	}
	return joinList("formula.List(", v.list(), Value.GoString, ")")
}
