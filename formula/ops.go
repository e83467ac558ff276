package formula

import (
	"math"
	"strings"
)

// op is an operator of the language.
type op uint8

const (
	opAdd op = iota + 1
	opSub
	opMul
	opDiv
	opMod
	opPow
	opEq
	opNe
	opLt
	opLe
	opGt
	opGe
	opContains
	opStartsWith
	opEndsWith
)

var opNames = [...]string{
	opAdd: "+", opSub: "-", opMul: "*", opDiv: "/", opMod: "%", opPow: "**",
	opEq: "==", opNe: "!=", opLt: "<", opLe: "<=", opGt: ">", opGe: ">=",
	opContains: "contains", opStartsWith: "startsWith", opEndsWith: "endsWith",
}

func (o op) String() string { return opNames[o] }

var opByName = map[string]op{
	"+": opAdd, "-": opSub, "*": opMul, "/": opDiv, "%": opMod, "**": opPow, "^": opPow,
	"==": opEq, "!=": opNe, "<": opLt, "<=": opLe, ">": opGt, ">=": opGe,
	"contains": opContains, "startsWith": opStartsWith, "endsWith": opEndsWith,
}

// mirror returns the comparison with its sides swapped: a < b ⇔ b > a.
func (o op) mirror() op {
	switch o {
	case opLt:
		return opGt
	case opLe:
		return opGe
	case opGt:
		return opLt
	case opGe:
		return opLe
	}
	return o
}

// meter counts the bytes of strings one evaluation builds.
type meter struct{ left int }

func (m *meter) charge(n int, pos int) {
	if m == nil {
		return
	}
	m.left -= n
	if m.left < 0 {
		limitPanic(pos, "memory budget of one evaluation exceeded")
	}
}

// numArith applies an arithmetic operator to two numbers; anything else,
// undefined included, gives undefined.
func numArith(o op, a, b Value, pos int) Value {
	if a.typ != TypeNumber || b.typ != TypeNumber {
		return Value{}
	}
	switch o {
	case opAdd:
		return addNum(a, b, pos)
	case opSub:
		return subNum(a, b, pos)
	case opMul:
		return mulNum(a, b, pos)
	case opDiv:
		return divNum(a, b, pos)
	case opMod:
		return modNum(a, b, pos)
	}
	return Value{}
}

// arith applies + - * / % to any two values. Undefined operands and type
// combinations the language does not define give undefined.
func arith(o op, a, b Value, pos int, m *meter) Value {
	switch {
	case a.typ == TypeNumber && b.typ == TypeNumber:
		return numArith(o, a, b, pos)
	case a.typ == TypeString && b.typ == TypeString && o == opAdd:
		m.charge(len(a.str())+len(b.str()), pos)
		return String(a.str() + b.str())
	case a.typ == TypeTime && b.typ == TypeTime && o == opSub:
		return timeSub(a, b)
	case a.typ == TypeTime && b.typ == TypeDuration && (o == opAdd || o == opSub):
		d, ok := signed(o, b.i)
		if !ok {
			return Value{}
		}
		return timeAdd(a, d)
	case a.typ == TypeDuration && b.typ == TypeTime && o == opAdd:
		return timeAdd(b, a.i)
	case a.typ == TypeDuration && b.typ == TypeDuration && (o == opAdd || o == opSub):
		d, ok := signed(o, b.i)
		if !ok {
			return Value{}
		}
		s, ok := addInt64(a.i, d)
		if !ok {
			return Value{}
		}
		return mk(TypeDuration, 0, s)
	}
	return Value{}
}

// signed is the duration d adds under o: d, or -d for a subtraction; false
// when -d does not fit.
func signed(o op, d int64) (int64, bool) {
	if o != opSub {
		return d, true
	}
	if d == math.MinInt64 {
		return 0, false
	}
	return -d, true
}

func addInt64(a, b int64) (int64, bool) {
	s := a + b
	if (s > a) != (b > 0) {
		return 0, false
	}
	return s, true
}

// timeSub returns a - b as a duration, undefined when it does not fit
// (about 292 years).
func timeSub(a, b Value) Value {
	const maxSec = math.MaxInt64/1_000_000_000 - 1
	ds, ok := addInt64(a.i, -b.i)
	if !ok || b.i == math.MinInt64 || ds > maxSec || ds < -maxSec {
		return Value{}
	}
	return mk(TypeDuration, 0, ds*1e9+int64(a.e)-int64(b.e))
}

func timeAdd(t Value, d int64) Value {
	sec, ns := d/1e9, d%1e9
	n := int64(t.e) + ns
	if n < 0 {
		n += 1e9
		sec--
	} else if n >= 1e9 {
		n -= 1e9
		sec++
	}
	s, ok := addInt64(t.i, sec)
	if !ok {
		return Value{}
	}
	return mk(TypeTime, int32(n), s)
}

func negate(v Value, pos int) Value {
	switch v.typ {
	case TypeNumber:
		return negNum(v, pos)
	case TypeDuration:
		if v.i == math.MinInt64 {
			return Value{}
		}
		return mk(TypeDuration, 0, -v.i)
	}
	return Value{}
}

// order compares two defined values of the same orderable type.
func order(a, b Value) (int, bool) {
	switch a.typ {
	case TypeNumber:
		return cmpNum(a, b), true
	case TypeString:
		return strings.Compare(a.str(), b.str()), true
	case TypeTime:
		if a.i != b.i {
			return cmp64(a.i, b.i), true
		}
		return cmp64(int64(a.e), int64(b.e)), true
	case TypeDuration:
		return cmp64(a.i, b.i), true
	}
	return 0, false
}

// compare applies a comparison. It is false whenever a side is undefined or
// the sides have different types, for != too.
func compare(o op, a, b Value) bool {
	if a.typ != b.typ || a.typ == TypeAny {
		return false
	}
	if a.typ == TypeBool || a.typ == TypeList {
		switch o {
		case opEq:
			return a.Equal(b)
		case opNe:
			return !a.Equal(b)
		}
		return false
	}
	c, _ := order(a, b)
	return cmpResult(o, c)
}

func cmpResult(o op, c int) bool {
	switch o {
	case opEq:
		return c == 0
	case opNe:
		return c != 0
	case opLt:
		return c < 0
	case opLe:
		return c <= 0
	case opGt:
		return c > 0
	case opGe:
		return c >= 0
	}
	return false
}

// member reports whether x is defined and equal to an element of list.
func member(x Value, list []Value) bool {
	if x.typ == TypeAny {
		return false
	}
	for _, e := range list {
		if compare(opEq, x, e) {
			return true
		}
	}
	return false
}

// strTest applies contains, startsWith or endsWith; false unless both sides
// are strings.
func strTest(o op, s, t Value) bool {
	if s.typ != TypeString || t.typ != TypeString {
		return false
	}
	switch o {
	case opContains:
		return strings.Contains(s.str(), t.str())
	case opStartsWith:
		return strings.HasPrefix(s.str(), t.str())
	case opEndsWith:
		return strings.HasSuffix(s.str(), t.str())
	}
	return false
}
