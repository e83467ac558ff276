package formula

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/expr-lang/expr/ast"
	"github.com/rickb777/date/v2"
)

// funcSpec is a function of the language.
type funcSpec struct {
	min, max int  // number of arguments; max < 0: any number
	period   bool // a period helper: only workdays() and elapsed(), which take no arguments
	zoned    bool // reads times in the Env's zone (Program.ReadsZone)
	// check validates the (checked) arguments and sets the result type.
	check func(k *callCheck) error
	build buildFunc
}

// buildFunc returns the closure of a call, given its compiled arguments.
type buildFunc func(b *builder, n *cnode, args []evalFn) evalFn

type callCheck struct {
	c    *checker
	name string
	call *cnode
	asts []ast.Node
}

func (k *callCheck) arg(i int) *cnode { return k.call.args[i] }

// want checks that argument i has one of the types ts (or type any).
func (k *callCheck) want(i int, ts ...Type) error {
	t := k.arg(i).typ
	if t == TypeAny {
		return nil
	}
	for _, w := range ts {
		if t == w {
			return nil
		}
	}
	var names []string
	for _, w := range ts {
		names = append(names, w.noun())
	}
	return k.c.errorf(start(k.asts[i]), CodeType, "%s must be %s, got %s", k.argName(i), strings.Join(names, " or "), t)
}

func (k *callCheck) argName(i int) string {
	if len(k.call.args) == 1 {
		return "the argument of " + k.name
	}
	return "argument " + strconv.Itoa(i+1) + " of " + k.name
}

// wantList checks that argument i is a list whose elements may be of type
// elem (TypeAny: any elements).
func (k *callCheck) wantList(i int, elem Type) error {
	a := k.arg(i)
	if a.typ != TypeList && a.typ != TypeAny {
		return k.c.errorf(start(k.asts[i]), CodeType, "%s must be a list, got %s", k.argName(i), a.typ)
	}
	if a.typ == TypeList && elem != TypeAny && a.elem != TypeAny && a.elem != elem {
		return k.c.errorf(start(k.asts[i]), CodeType, "%s must be a list of %ss, got a list of %ss", k.argName(i), elem, a.elem)
	}
	return nil
}

func returns(t Type, args ...Type) func(k *callCheck) error {
	return func(k *callCheck) error {
		for i := range k.call.args {
			if err := k.want(i, args[min(i, len(args)-1)]); err != nil {
				return err
			}
		}
		k.call.typ = t
		return nil
	}
}

// unary builds a function of one argument of type t, undefined for
// anything else; f gets the argument and the position of the call.
// timePart, durationIn and round(x) have the same shape but write their
// conversion into the closure: through unary it would cost an indirect call
// on every evaluation, about 7% of hours(time - created_at).
func unary(t Type, f func(x Value, pos int) Value) buildFunc {
	return func(_ *builder, n *cnode, args []evalFn) evalFn {
		a, pos := args[0], n.pos
		return func(s Scope, m *meter) Value {
			x := a(s, m)
			if x.typ != t {
				return Value{}
			}
			return f(x, pos)
		}
	}
}

// str1 builds a function from a string to a string, charging the memory
// budget for the result.
func str1(f func(string) string) buildFunc {
	return func(b *builder, n *cnode, args []evalFn) evalFn {
		b.metered = true
		a, pos := args[0], n.pos
		return func(s Scope, m *meter) Value {
			x := a(s, m)
			if x.typ != TypeString {
				return Value{}
			}
			// What it builds, which may be longer than what it read:
			// "ȿ" is "Ȿ" in upper case, 2 bytes then 3, and a byte that
			// is not UTF-8 becomes U+FFFD, 3 bytes.
			r := f(x.str())
			m.charge(len(r), pos)
			return String(r)
		}
	}
}

// timePart builds a function from a time to a number, in the Env's zone.
func timePart(f func(t time.Time) int) buildFunc {
	return func(b *builder, _ *cnode, args []evalFn) evalFn {
		a, loc := args[0], b.loc
		return func(s Scope, m *meter) Value {
			x := a(s, m)
			if x.typ != TypeTime {
				return Value{}
			}
			return small(int64(f(x.time().In(loc))), 0)
		}
	}
}

// durationIn builds a function giving a duration in units of unit.
func durationIn(unit time.Duration) buildFunc {
	return func(_ *builder, n *cnode, args []evalFn) evalFn {
		a, pos := args[0], n.pos
		u := small(int64(unit), 0)
		return func(s Scope, m *meter) Value {
			x := a(s, m)
			if x.typ != TypeDuration {
				return Value{}
			}
			return divNum(Int(x.i), u, pos)
		}
	}
}

// between builds a function of two times, given their local dates in the
// Env's zone; it is undefined unless both are times.
func between(f func(b *builder, from, to date.Date, pos int) Value) buildFunc {
	return func(b *builder, n *cnode, args []evalFn) evalFn {
		x, y, pos := args[0], args[1], n.pos
		return func(s Scope, m *meter) Value {
			a, c := x(s, m), y(s, m)
			if a.typ != TypeTime || c.typ != TypeTime {
				return Value{}
			}
			return f(b, date.NewAt(a.time().In(b.loc)), date.NewAt(c.time().In(b.loc)), pos)
		}
	}
}

// daysBetween is the number of local calendar days from a to b.
func daysBetween(_ *builder, a, b date.Date, _ int) Value {
	return small(int64(b-a), 0)
}

// workdaysBetween is the number of working days among the local dates
// [a, b), negative when b is before a. A date outside the working-day
// calendar's years stops the evaluation with its *period.OutsideError.
func workdaysBetween(bl *builder, a, b date.Date, pos int) Value {
	sign := int64(1)
	if b < a {
		a, b, sign = b, a, -1
	}
	if err := bl.work.Check(a, b); err != nil {
		panic(&evalPanic{code: CodeCalendar, msg: "workdays_between: " + err.Error(), pos: pos, err: err})
	}
	return small(sign*int64(bl.work.CountWorkdays(a, b)), 0)
}

func strTestFunc(o op) buildFunc {
	return func(_ *builder, _ *cnode, args []evalFn) evalFn {
		a, c := args[0], args[1]
		return func(s Scope, m *meter) Value {
			return boolVal(strTest(o, a(s, m), c(s, m)))
		}
	}
}

// aggregate folds the defined elements of a list of numbers; an element of
// another type makes the result undefined, and otherwise an element beyond
// MaxDigits is a limit error at pos, whatever its place and however many
// elements there are (the sum of one element is that element, never added).
func aggregate(list Value, pos int, f func(acc, x Value) Value) (acc Value, n int) {
	xs := list.list()
	if numberOutside(xs) {
		for _, x := range xs {
			if x.typ != TypeAny && x.typ != TypeNumber {
				return Value{}, -1
			}
		}
		numberRangePanic(pos)
	}
	for _, x := range xs {
		switch x.typ {
		case TypeAny:
			continue
		case TypeNumber:
		default:
			return Value{}, -1
		}
		if n == 0 {
			acc = x
		} else {
			acc = f(acc, x)
		}
		n++
	}
	return acc, n
}

// numberOutside reports whether one of xs is a number beyond MaxDigits.
func numberOutside(xs []Value) bool {
	for i := range xs {
		if !fast(xs[i]) && xs[i].typ == TypeNumber && outside(xs[i]) {
			return true
		}
	}
	return false
}

func extremum(sign int) *funcSpec {
	return &funcSpec{
		min: 1, max: -1,
		check: func(k *callCheck) error {
			if len(k.call.args) == 1 {
				if err := k.wantList(0, TypeNumber); err != nil {
					return err
				}
				k.call.typ = TypeNumber
				return nil
			}
			t := TypeAny
			for i, a := range k.call.args {
				if err := k.want(i, TypeNumber, TypeDuration, TypeTime, TypeString); err != nil {
					return err
				}
				if a.typ == TypeAny {
					continue
				}
				if t != TypeAny && a.typ != t {
					return k.c.errorf(start(k.asts[i]), CodeType, "%s must be %s like the others, got %s", k.argName(i), t.noun(), a.typ)
				}
				t = a.typ
			}
			k.call.typ = t
			return nil
		},
		build: func(_ *builder, n *cnode, args []evalFn) evalFn {
			pos := n.pos
			if len(args) == 1 {
				a := args[0]
				return func(s Scope, m *meter) Value {
					x := a(s, m)
					if x.typ != TypeList {
						return Value{}
					}
					r, cnt := aggregate(x, pos, func(acc, x Value) Value {
						if cmpNum(x, acc)*sign > 0 {
							return x
						}
						return acc
					})
					if cnt <= 0 {
						return Value{}
					}
					return r
				}
			}
			// Every argument is computed, as both operands of an
			// arithmetic operator are: one that fails fails the call even
			// beside an undefined one. An undefined argument, or one of
			// another type, makes the result undefined; otherwise a number
			// beyond MaxDigits is a limit error, wherever it stands.
			if n.typ == TypeNumber {
				// Numbers (the common case), compared without order's switch.
				return func(s Scope, m *meter) Value {
					var r Value
					for i, a := range args {
						x := a(s, m)
						if x.typ != TypeNumber {
							return undefinedAfter(args[i+1:], s, m)
						}
						if !fast(x) && outside(x) {
							return beyondAfter(args[i+1:], s, m, pos)
						}
						if i == 0 || cmpNum(x, r)*sign > 0 {
							r = x
						}
					}
					return r
				}
			}
			return func(s Scope, m *meter) Value {
				var r Value
				for i, a := range args {
					x := a(s, m)
					if x.typ == TypeAny || i > 0 && x.typ != r.typ {
						return undefinedAfter(args[i+1:], s, m)
					}
					if !fast(x) && x.typ == TypeNumber && outside(x) {
						return beyondAfter(args[i+1:], s, m, pos)
					}
					if i == 0 {
						r = x
						continue
					}
					c, ok := order(x, r)
					if !ok {
						return undefinedAfter(args[i+1:], s, m)
					}
					if c*sign > 0 {
						r = x
					}
				}
				return r
			}
		},
	}
}

// undefinedAfter computes the arguments rest, which a call whose result is
// already undefined does not need, for the limit errors they may raise, and
// returns undefined.
func undefinedAfter(rest []evalFn, s Scope, m *meter) Value {
	for _, a := range rest {
		a(s, m)
	}
	return Value{}
}

// beyondAfter computes the arguments rest of a call of numbers, one of which
// was beyond MaxDigits: the result is undefined when one of rest is not a
// number, and otherwise a limit error at pos.
func beyondAfter(rest []evalFn, s Scope, m *meter, pos int) Value {
	undef := false
	for _, a := range rest {
		undef = a(s, m).typ != TypeNumber || undef
	}
	if !undef {
		numberRangePanic(pos)
	}
	return Value{}
}

// funcs are the functions of the language. prev and the period helpers
// without arguments (days(), workdays(), elapsed()) are handled by the
// checker as lookups.
var funcs = map[string]*funcSpec{
	"abs":   {min: 1, max: 1, check: returns(TypeNumber, TypeNumber), build: unary(TypeNumber, absNum)},
	"floor": {min: 1, max: 1, check: returns(TypeNumber, TypeNumber), build: unary(TypeNumber, floorNum)},
	"ceil":  {min: 1, max: 1, check: returns(TypeNumber, TypeNumber), build: unary(TypeNumber, ceilNum)},
	"round": {
		min: 1, max: 2,
		check: func(k *callCheck) error {
			if err := returns(TypeNumber, TypeNumber)(k); err != nil {
				return err
			}
			if len(k.call.args) == 2 && k.arg(1).kind == kConst {
				if _, ok := places(k.arg(1).val); !ok {
					return k.c.errorf(start(k.asts[1]), CodeArgument, "the places of round must be a whole number from %d to %d", -MaxDigits, MaxDigits)
				}
			}
			return nil
		},
		build: func(_ *builder, n *cnode, args []evalFn) evalFn {
			a, pos := args[0], n.pos
			if len(args) == 1 {
				return func(s Scope, m *meter) Value {
					x := a(s, m)
					if x.typ != TypeNumber {
						return Value{}
					}
					return roundNum(x, 0, pos)
				}
			}
			p := args[1]
			return func(s Scope, m *meter) Value {
				x := a(s, m)
				if x.typ != TypeNumber {
					return Value{}
				}
				d, ok := places(p(s, m))
				if !ok {
					return Value{}
				}
				return roundNum(x, d, pos)
			}
		},
	},
	"clamp": {
		min: 3, max: 3, check: returns(TypeNumber, TypeNumber),
		build: func(_ *builder, n *cnode, args []evalFn) evalFn {
			pos := n.pos
			return func(s Scope, m *meter) Value {
				x, lo, hi := args[0](s, m), args[1](s, m), args[2](s, m)
				// lo > hi is undefined whatever the numbers, as x / 0 is.
				if x.typ != TypeNumber || lo.typ != TypeNumber || hi.typ != TypeNumber || cmpNum(lo, hi) > 0 {
					return Value{}
				}
				if !fast(x) || !fast(lo) || !fast(hi) {
					if outside(x) || outside(lo) || outside(hi) {
						numberRangePanic(pos)
					}
				}
				switch {
				case cmpNum(x, lo) < 0:
					return lo
				case cmpNum(x, hi) > 0:
					return hi
				}
				return x
			}
		},
	},
	"min": extremum(-1),
	"max": extremum(1),
	"sum": {
		min: 1, max: 1,
		check: func(k *callCheck) error { k.call.typ = TypeNumber; return k.wantList(0, TypeNumber) },
		build: unary(TypeList, func(list Value, pos int) Value {
			r, n := aggregate(list, pos, func(acc, x Value) Value { return addNum(acc, x, pos) })
			switch {
			case n < 0:
				return Value{}
			case n == 0:
				return small(0, 0)
			}
			return r
		}),
	},
	"avg": {
		min: 1, max: 1,
		check: func(k *callCheck) error { k.call.typ = TypeNumber; return k.wantList(0, TypeNumber) },
		build: unary(TypeList, func(list Value, pos int) Value {
			r, n := aggregate(list, pos, func(acc, x Value) Value { return addNum(acc, x, pos) })
			if n <= 0 {
				return Value{}
			}
			return divNum(r, small(int64(n), 0), pos)
		}),
	},
	"count": {
		min: 1, max: 1,
		check: func(k *callCheck) error { k.call.typ = TypeNumber; return k.wantList(0, TypeAny) },
		build: unary(TypeList, func(list Value, _ int) Value {
			n := 0
			for _, x := range list.list() {
				if x.Defined() {
					n++
				}
			}
			return small(int64(n), 0)
		}),
	},
	"len": {
		min: 1, max: 1,
		check: func(k *callCheck) error { k.call.typ = TypeNumber; return k.want(0, TypeString, TypeList) },
		build: func(_ *builder, _ *cnode, args []evalFn) evalFn {
			a := args[0]
			return func(s Scope, m *meter) Value {
				switch x := a(s, m); x.typ {
				case TypeString:
					return small(int64(utf8.RuneCountInString(x.str())), 0)
				case TypeList:
					return small(int64(len(x.list())), 0)
				}
				return Value{}
			}
		},
	},
	"lower":      {min: 1, max: 1, check: returns(TypeString, TypeString), build: str1(strings.ToLower)},
	"upper":      {min: 1, max: 1, check: returns(TypeString, TypeString), build: str1(strings.ToUpper)},
	"trim":       {min: 1, max: 1, check: returns(TypeString, TypeString), build: str1(strings.TrimSpace)},
	"contains":   {min: 2, max: 2, check: returns(TypeBool, TypeString), build: strTestFunc(opContains)},
	"startsWith": {min: 2, max: 2, check: returns(TypeBool, TypeString), build: strTestFunc(opStartsWith)},
	"endsWith":   {min: 2, max: 2, check: returns(TypeBool, TypeString), build: strTestFunc(opEndsWith)},
	"year":       {min: 1, max: 1, check: returns(TypeNumber, TypeTime), zoned: true, build: timePart(time.Time.Year)},
	"quarter": {min: 1, max: 1, check: returns(TypeNumber, TypeTime), zoned: true, build: timePart(func(t time.Time) int {
		return (int(t.Month())-1)/3 + 1
	})},
	"month": {min: 1, max: 1, check: returns(TypeNumber, TypeTime), zoned: true, build: timePart(func(t time.Time) int { return int(t.Month()) })},
	"week": {min: 1, max: 1, check: returns(TypeNumber, TypeTime), zoned: true, build: timePart(func(t time.Time) int {
		_, w := t.ISOWeek()
		return w
	})},
	"day": {min: 1, max: 1, check: returns(TypeNumber, TypeTime), zoned: true, build: timePart(time.Time.Day)},
	"weekday": {min: 1, max: 1, check: returns(TypeNumber, TypeTime), zoned: true, build: timePart(func(t time.Time) int {
		if wd := int(t.Weekday()); wd != 0 {
			return wd
		}
		return 7
	})},
	"hour":             {min: 1, max: 1, check: returns(TypeNumber, TypeTime), zoned: true, build: timePart(time.Time.Hour)},
	"minute":           {min: 1, max: 1, check: returns(TypeNumber, TypeTime), zoned: true, build: timePart(time.Time.Minute)},
	"seconds":          {min: 1, max: 1, check: returns(TypeNumber, TypeDuration), build: durationIn(time.Second)},
	"minutes":          {min: 1, max: 1, check: returns(TypeNumber, TypeDuration), build: durationIn(time.Minute)},
	"hours":            {min: 1, max: 1, check: returns(TypeNumber, TypeDuration), build: durationIn(time.Hour)},
	"days":             {min: 1, max: 1, check: returns(TypeNumber, TypeDuration), build: durationIn(24 * time.Hour)},
	"days_between":     {min: 2, max: 2, check: returns(TypeNumber, TypeTime), zoned: true, build: between(daysBetween)},
	"workdays_between": {min: 2, max: 2, check: returns(TypeNumber, TypeTime), zoned: true, build: between(workdaysBetween)},
	"workdays":         {min: 0, max: 0, period: true},
	"elapsed":          {min: 0, max: 0, period: true},
	"defined": {
		min: 1, max: 1,
		check: func(k *callCheck) error { k.call.typ = TypeBool; return nil },
		build: func(_ *builder, _ *cnode, args []evalFn) evalFn {
			a := args[0]
			return func(s Scope, m *meter) Value { return boolVal(a(s, m).Defined()) }
		},
	},
	"coalesce": {
		min: 2, max: -1,
		check: func(k *callCheck) error {
			t, elem, known := TypeAny, TypeAny, false
			for i, a := range k.call.args {
				if a.typ == TypeAny {
					continue
				}
				if known && a.typ != t {
					return k.c.errorf(start(k.asts[i]), CodeType, "%s must be %s like the others, got %s", k.argName(i), t.noun(), a.typ)
				}
				t, elem, known = a.typ, a.elem, true
			}
			for _, a := range k.call.args {
				if a.typ == TypeAny {
					t = TypeAny
				}
			}
			k.call.typ, k.call.elem = t, elem
			return nil
		},
		build: func(_ *builder, _ *cnode, args []evalFn) evalFn {
			return func(s Scope, m *meter) Value {
				for _, a := range args {
					if x := a(s, m); x.Defined() {
						return x
					}
				}
				return Value{}
			}
		},
	},
	"if": {
		min: 3, max: 3,
		check: func(k *callCheck) error {
			if err := k.c.wantBool(k.arg(0), start(k.asts[0])); err != nil {
				return err
			}
			t, ok := unify(k.arg(1).typ, k.arg(2).typ)
			if !ok {
				return k.c.errorf(start(k.asts[2]), CodeType, "both results of if must have the same type: %s and %s", k.arg(1).typ, k.arg(2).typ)
			}
			k.call.typ = t
			if t == TypeList {
				k.call.elem, _ = unify(k.arg(1).elem, k.arg(2).elem)
			}
			return nil
		},
		build: func(_ *builder, _ *cnode, args []evalFn) evalFn {
			c, a, b := args[0], args[1], args[2]
			return func(s Scope, m *meter) Value {
				if truthy(c(s, m)) {
					return a(s, m)
				}
				return b(s, m)
			}
		},
	},
}

// places reads the places argument of round.
func places(v Value) (int, bool) {
	if v.typ != TypeNumber {
		return 0, false
	}
	p, ok := wholeInt(v)
	return p, ok && p >= -MaxDigits && p <= MaxDigits
}
