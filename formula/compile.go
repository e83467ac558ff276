package formula

import (
	"fmt"
	"slices"
	"time"

	"github.com/goalkit/goalkit/period"
)

// evalFn evaluates a compiled node. m is nil for programs that build no
// strings.
type evalFn func(s Scope, m *meter) Value

// Program is a compiled formula. It is immutable and safe for concurrent
// use; evaluation never parses.
type Program struct {
	src     string
	typ     Type
	fn      evalFn
	refs    []Ref
	node    Node
	metered bool
	zoned   bool
	budget  int
}

// Compile parses and type-checks src in env and compiles it. want is the
// type the result must have: TypeBool for predicates (an indicator's where),
// TypeNumber for values and formulas, TypeAny to accept any type. A result
// of the wrong type is an error "must be a boolean, got number"; a result
// whose type is only known when the formula runs (a name declared with
// TypeAny) is converted: a value of another type than want becomes
// undefined.
//
// The error is an *Error describing the first problem of the formula, with
// its position. A nil env is an empty environment.
func Compile(src string, env *Env, want Type) (p *Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, newError(src, 0, CodeInternal, "internal error: %v", r)
		}
	}()
	lim := env.getLimits()
	ps, perr := parse(src, lim)
	if perr != nil {
		return nil, perr
	}
	c := &checker{src: src, env: env, lits: ps.lits, aliases: ps.aliases, budget: lim.MemoryBudget}
	n, err := c.expr(ps.root)
	if err != nil {
		return nil, err
	}
	if want != TypeAny && n.typ != want {
		if n.typ != TypeAny {
			return nil, c.errorf(start(ps.root), CodeType, "must be %s, got %s", want.noun(), n.typ)
		}
		n, err = c.fold(&cnode{kind: kCoerce, typ: want, pos: n.pos, args: []*cnode{n}})
		if err != nil {
			return nil, err
		}
	}
	b := &builder{loc: env.Location(), work: env.workCalendar()}
	p = &Program{
		src:    src,
		typ:    n.typ,
		fn:     b.build(n),
		node:   toNode(n),
		budget: lim.MemoryBudget,
	}
	p.metered, p.zoned = b.metered, c.zoned
	p.refs = refs(n, nil)
	slices.SortFunc(p.refs, refLess)
	p.refs = slices.Compact(p.refs)
	return p, nil
}

func refs(n *cnode, acc []Ref) []Ref {
	if n.kind == kLookup {
		acc = append(acc, n.ref)
	}
	for _, a := range n.args {
		acc = refs(a, acc)
	}
	return acc
}

// Source returns the formula's source text.
func (p *Program) Source() string { return p.src }

// Type returns the static type of the result. Eval returns a value of this
// type or undefined (any type when it is TypeAny).
func (p *Program) Type() Type { return p.typ }

// Refs returns every name the program reads, sorted (by name, plain names
// before period helpers, then by Back) and without duplicates: use it for
// dependency order and cycle detection.
func (p *Program) Refs() []Ref { return slices.Clone(p.refs) }

// ReadsZone reports whether the program calls a helper that reads times in
// the Env's zone (WithLocation): year, quarter, month, week, day, weekday,
// hour, minute, days_between or workdays_between. Only then can the zone
// change its value; a host that decides the zone by the times a formula
// reads need not decide it for one that calls none of them.
func (p *Program) ReadsZone() bool { return p.zoned }

// Node returns the simplified syntax tree of the program, or nil when it
// uses anything else than the shapes of Node. The tree is shared by every
// caller: do not modify it (In.List in particular).
func (p *Program) Node() Node { return p.node }

// Eval evaluates the program. Values come from s (a nil Scope reads every
// name as undefined). The result is undefined where the formula has no
// value: x / 0, a missing attribute, prev() of a first period, and
// everything computed from them. Eval fails only when a limit is exceeded
// (a number beyond MaxDigits, the memory budget) or, should it ever happen,
// on an internal panic; the error is an *Error.
func (p *Program) Eval(s Scope) (v Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = Value{}, p.panicError(r)
		}
	}()
	if s == nil {
		s = MapScope(nil)
	}
	var m *meter
	if p.metered {
		m = &meter{left: p.budget}
	}
	return p.fn(s, m), nil
}

// EvalBool evaluates a predicate: it returns true only when the result is
// the bool true (undefined counts as false).
func (p *Program) EvalBool(s Scope) (bool, error) {
	v, err := p.Eval(s)
	return truthy(v), err
}

func (p *Program) panicError(r any) *Error {
	if e, ok := r.(*evalPanic); ok {
		err := newError(p.src, max(e.pos, 0), e.code, "%s", e.msg)
		err.Err = e.err
		return err
	}
	return newError(p.src, 0, CodeInternal, "internal error: %v", r)
}

// String returns the source of the program.
func (p *Program) String() string { return p.src }

// GoString describes the program for debugging.
func (p *Program) GoString() string { return fmt.Sprintf("formula.Program(%q)", p.src) }

// builder compiles checked nodes into closures.
type builder struct {
	loc     *time.Location
	work    *period.WorkCalendar // workdays_between; nil: Monday to Friday
	metered bool                 // a closure charges the memory budget
}

func (b *builder) build(n *cnode) evalFn {
	if b.loc == nil {
		b.loc = time.UTC
	}
	switch n.kind {
	case kConst:
		v := n.val
		return func(Scope, *meter) Value { return v }
	case kLookup:
		r, t := n.ref, n.typ
		if t == TypeAny {
			return func(s Scope, _ *meter) Value { return s.Lookup(r) }
		}
		return func(s Scope, _ *meter) (v Value) {
			v = s.Lookup(r)
			if v.typ != t {
				v = Value{}
			}
			return
		}
	case kCoerce:
		x, t := b.build(n.args[0]), n.typ
		return func(s Scope, m *meter) Value {
			if v := x(s, m); v.typ == t {
				return v
			}
			return Value{}
		}
	case kNeg:
		x, pos := b.build(n.args[0]), n.pos
		return func(s Scope, m *meter) Value { return negate(x(s, m), pos) }
	case kNot:
		x := b.build(n.args[0])
		return func(s Scope, m *meter) Value { return boolVal(!truthy(x(s, m))) }
	case kAnd:
		l, r := b.build(n.args[0]), b.build(n.args[1])
		return func(s Scope, m *meter) Value {
			if !truthy(l(s, m)) {
				return boolVal(false)
			}
			return boolVal(truthy(r(s, m)))
		}
	case kOr:
		l, r := b.build(n.args[0]), b.build(n.args[1])
		return func(s Scope, m *meter) Value {
			if truthy(l(s, m)) {
				return boolVal(true)
			}
			return boolVal(truthy(r(s, m)))
		}
	case kArith:
		return b.arith(n)
	case kPow:
		x, e, pos := b.build(n.args[0]), n.n, n.pos
		return func(s Scope, m *meter) Value {
			v := x(s, m)
			if v.typ != TypeNumber {
				return Value{}
			}
			return powNum(v, e, pos)
		}
	case kCompare:
		return b.compare(n)
	case kIn:
		return b.in(n)
	case kStrTest:
		l, r, o, not := b.build(n.args[0]), b.build(n.args[1]), n.op, n.not
		return func(s Scope, m *meter) Value {
			x, y := l(s, m), r(s, m)
			if x.typ != TypeString || y.typ != TypeString {
				return boolVal(false)
			}
			return boolVal(strTest(o, x, y) != not)
		}
	case kCond:
		c, x, y := b.build(n.args[0]), b.build(n.args[1]), b.build(n.args[2])
		return func(s Scope, m *meter) Value {
			if truthy(c(s, m)) {
				return x(s, m)
			}
			return y(s, m)
		}
	case kCall:
		return n.fn.build(b, n, b.buildAll(n.args))
	case kList:
		elems := b.buildAll(n.args)
		return func(s Scope, m *meter) Value {
			vs := make([]Value, len(elems))
			for i, e := range elems {
				vs[i] = e(s, m)
			}
			return listOf(vs)
		}
	}
	panic(fmt.Sprintf("formula: unknown node kind %d", n.kind))
}

// buildAll builds each of ns.
func (b *builder) buildAll(ns []*cnode) []evalFn {
	fs := make([]evalFn, len(ns))
	for i, n := range ns {
		fs[i] = b.build(n)
	}
	return fs
}

func (b *builder) arith(n *cnode) evalFn {
	l, r, o, pos := b.build(n.args[0]), b.build(n.args[1]), n.op, n.pos
	lt, rt := n.args[0].typ, n.args[1].typ
	if lt == TypeNumber && rt == TypeNumber {
		var f func(a, b Value, pos int) Value
		switch o {
		case opAdd:
			f = addNum
		case opSub:
			f = subNum
		case opMul:
			f = mulNum
		case opDiv:
			f = divNum
		default:
			f = modNum
		}
		// Both operands are evaluated, whatever the first gives, as
		// arith does for operands of other types: an operand out of the
		// number limits fails the formula even beside an undefined one, so
		// that the outcome does not depend on the operands' static types
		// (and EvalNode, which evaluates both, agrees).
		return func(s Scope, m *meter) Value {
			x, y := l(s, m), r(s, m)
			if x.typ != TypeNumber || y.typ != TypeNumber {
				return Value{}
			}
			return f(x, y, pos)
		}
	}
	if lt == TypeString || rt == TypeString || lt == TypeAny || rt == TypeAny {
		b.metered = true // string + string builds a string
	}
	return func(s Scope, m *meter) Value { return arith(o, l(s, m), r(s, m), pos, m) }
}

func (b *builder) compare(n *cnode) evalFn {
	ln, rn, o := n.args[0], n.args[1], n.op
	if ln.kind == kConst && rn.kind != kConst {
		ln, rn, o = rn, ln, o.mirror()
	}
	l := b.build(ln)
	if rn.kind == kConst {
		c := rn.val
		switch {
		case c.typ == TypeString && o == opEq:
			cs := c.str()
			return func(s Scope, m *meter) Value {
				v := l(s, m)
				return boolVal(v.typ == TypeString && v.str() == cs)
			}
		case c.typ == TypeString && o == opNe:
			cs := c.str()
			return func(s Scope, m *meter) Value {
				v := l(s, m)
				return boolVal(v.typ == TypeString && v.str() != cs)
			}
		case c.typ == TypeNumber:
			return func(s Scope, m *meter) Value {
				v := l(s, m)
				return boolVal(v.typ == TypeNumber && cmpResult(o, cmpNum(v, c)))
			}
		}
	}
	r := b.build(rn)
	return func(s Scope, m *meter) Value { return boolVal(compare(o, l(s, m), r(s, m))) }
}

// smallSet is the size up to which a constant string list is searched
// linearly rather than through a map.
const smallSet = 8

func (b *builder) in(n *cnode) evalFn {
	x, ln, not := b.build(n.args[0]), n.args[1], n.not
	switch ln.kind {
	case kConst:
		vals := ln.val.list()
		if ln.val.typ != TypeList {
			return func(Scope, *meter) Value { return boolVal(false) }
		}
		strs := make([]string, 0, len(vals))
		for _, v := range vals {
			if v.typ == TypeString {
				strs = append(strs, v.str())
			}
		}
		if len(strs) == len(vals) && len(vals) > 0 {
			if len(strs) <= smallSet {
				return func(s Scope, m *meter) Value {
					v := x(s, m)
					if v.typ != TypeString {
						return boolVal(false)
					}
					for _, e := range strs {
						if v.str() == e {
							return boolVal(!not)
						}
					}
					return boolVal(not)
				}
			}
			set := make(map[string]struct{}, len(strs))
			for _, e := range strs {
				set[e] = struct{}{}
			}
			return func(s Scope, m *meter) Value {
				v := x(s, m)
				if v.typ != TypeString {
					return boolVal(false)
				}
				_, ok := set[v.str()]
				return boolVal(ok != not)
			}
		}
		return func(s Scope, m *meter) Value {
			v := x(s, m)
			if !v.Defined() {
				return boolVal(false)
			}
			return boolVal(member(v, vals) != not)
		}
	case kList:
		elems := b.buildAll(ln.args)
		return func(s Scope, m *meter) Value {
			v := x(s, m)
			if !v.Defined() {
				return boolVal(false)
			}
			for _, e := range elems {
				if compare(opEq, v, e(s, m)) {
					return boolVal(!not)
				}
			}
			return boolVal(not)
		}
	}
	lf := b.build(ln)
	return func(s Scope, m *meter) Value {
		v := x(s, m)
		if !v.Defined() {
			return boolVal(false)
		}
		l := lf(s, m)
		if l.typ != TypeList {
			return boolVal(false)
		}
		return boolVal(member(v, l.list()) != not)
	}
}

// toNode returns the simplified tree of n, or nil.
func toNode(n *cnode) Node {
	switch n.kind {
	case kConst:
		return Const{Value: n.val}
	case kLookup:
		if n.ref.Back == 0 && !n.ref.Func {
			return Ident{Name: n.ref.Name, Type: n.typ}
		}
	case kCompare:
		l, r := toNode(n.args[0]), toNode(n.args[1])
		if l == nil || r == nil {
			return nil
		}
		o := n.op
		_, lc := l.(Const)
		_, rc := r.(Const)
		if lc && !rc {
			l, r, o = r, l, o.mirror()
		}
		return Compare{Op: o.String(), L: l, R: r}
	case kIn:
		x := toNode(n.args[0])
		if x == nil || n.args[1].kind != kConst || n.args[1].val.typ != TypeList {
			return nil
		}
		list, _ := n.args[1].val.List()
		return In{X: x, List: list, Not: n.not}
	case kAnd, kOr:
		l, r := toNode(n.args[0]), toNode(n.args[1])
		if l == nil || r == nil {
			return nil
		}
		if n.kind == kAnd {
			return And{L: l, R: r}
		}
		return Or{L: l, R: r}
	case kNot:
		if x := toNode(n.args[0]); x != nil {
			return Not{X: x}
		}
	case kArith:
		if n.op > opDiv || n.args[0].typ != TypeNumber || n.args[1].typ != TypeNumber {
			return nil
		}
		l, r := toNode(n.args[0]), toNode(n.args[1])
		if l == nil || r == nil {
			return nil
		}
		return Arith{Op: n.op.String(), L: l, R: r}
	case kNeg:
		if n.args[0].typ != TypeNumber {
			return nil
		}
		if x := toNode(n.args[0]); x != nil {
			return Neg{X: x}
		}
	}
	return nil
}
