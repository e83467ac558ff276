package formula

// Node is a simplified syntax tree of a program, for evaluators that run the
// common shapes natively (vectorised predicates over dictionary-coded event
// columns). Program.Node returns one when the whole formula uses only these
// shapes, after constants are folded:
//
//	Ident    a declared name, read as Ref{Name: Name} and typed Type
//	Const    a constant
//	Compare  L op R with op one of == != < <= > >=; a constant side is on
//	         the right (3 < x becomes x > 3)
//	In       X in List / X not in List, over a list of constants
//	And, Or, Not
//	Arith    L op R with op one of + - * / on numbers
//	Neg      -X on a number
//
// The nodes are plain struct values (not pointers). TryEvalNode is their
// reference interpreter; it has the semantics of Program.Eval, but where
// Eval fails (a number out of range: a CodeLimit error) it reports ok
// false instead of the error, which a caller gets from the Program;
// EvalNode, which has no ok, returns undefined there:
//
//   - Ident: Lookup(Ref{Name}); a value of another type than Type (unless
//     Type is TypeAny) is undefined.
//   - Compare: false when a side is undefined or the sides' types differ,
//     for != too; otherwise the comparison (numbers by value, strings
//     byte-wise, times as instants, bools only == and !=).
//   - In: false when X is undefined, for Not too; otherwise whether X equals
//     an element (as ==), negated when Not.
//   - And, Or, Not: an operand that is not true (undefined included) counts
//     as false; the result is a defined bool. And and Or evaluate R only
//     when L does not decide (L true for And, not true for Or), so a
//     failure in R counts only there, as in Eval.
//   - Arith, Neg: undefined when an operand is undefined or not a number,
//     and for x / 0; otherwise the exact result (division: exact when the
//     quotient has a finite decimal expansion, else DivisionDigits
//     significant digits).
type Node interface{ node() }

// Ident is a declared name.
type Ident struct {
	Name string
	Type Type
}

// Const is a constant value.
type Const struct{ Value Value }

// Compare is a comparison: Op is one of "==", "!=", "<", "<=", ">", ">=".
type Compare struct {
	Op   string
	L, R Node
}

// Holds reports whether the comparison op (==, !=, <, <=, > or >=) holds
// for operands whose order is c, as cmp.Compare gives it: every engine that
// evaluates a Compare outside this package (the native filters, SQL
// pushdown) decides it the same way.
func Holds(op string, c int) bool {
	switch op {
	case "==":
		return c == 0
	case "!=":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	return false
}

// In is X in List (or X not in List when Not).
type In struct {
	X    Node
	List []Value
	Not  bool
}

// And is L && R.
type And struct{ L, R Node }

// Or is L || R.
type Or struct{ L, R Node }

// Not is !X.
type Not struct{ X Node }

// Arith is arithmetic on numbers: Op is one of "+", "-", "*", "/".
type Arith struct {
	Op   string
	L, R Node
}

// Neg is -X on a number.
type Neg struct{ X Node }

func (Ident) node()   {}
func (Const) node()   {}
func (Compare) node() {}
func (In) node()      {}
func (And) node()     {}
func (Or) node()      {}
func (Not) node()     {}
func (Arith) node()   {}
func (Neg) node()     {}

// EvalNode evaluates n with the semantics of Program.Eval (see Node). A nil
// or unknown node is undefined; a nil Scope reads every name as undefined.
// Where Eval would fail with a CodeLimit error (a number out of range),
// EvalNode returns Undefined: an evaluator that must fail there as Eval
// does calls TryEvalNode.
func EvalNode(n Node, s Scope) Value {
	v, _ := TryEvalNode(n, s)
	return v
}

// TryEvalNode is EvalNode that also reports whether Program.Eval of the
// formula n comes from succeeds for s: ok is false, and v undefined, where
// Eval fails with a CodeLimit error (a number out of range). The error
// itself, with its place in the formula, is Eval's to give.
func TryEvalNode(n Node, s Scope) (v Value, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, lim := r.(*evalPanic); !lim {
				panic(r)
			}
			v, ok = Value{}, false
		}
	}()
	if s == nil {
		s = MapScope(nil)
	}
	return evalNode(n, s), true
}

func evalNode(n Node, s Scope) Value {
	switch n := n.(type) {
	case *Ident:
		return evalNode(*n, s)
	case *Const:
		return n.Value
	case *Compare:
		return evalNode(*n, s)
	case *In:
		return evalNode(*n, s)
	case *And:
		return evalNode(*n, s)
	case *Or:
		return evalNode(*n, s)
	case *Not:
		return evalNode(*n, s)
	case *Arith:
		return evalNode(*n, s)
	case *Neg:
		return evalNode(*n, s)
	case Ident:
		v := s.Lookup(Ref{Name: n.Name})
		if n.Type != TypeAny && v.typ != n.Type {
			return Value{}
		}
		return v
	case Const:
		return n.Value
	case Compare:
		o, ok := opByName[n.Op]
		if !ok || o < opEq || o > opGe {
			return Value{}
		}
		return boolVal(compare(o, evalNode(n.L, s), evalNode(n.R, s)))
	case In:
		x := evalNode(n.X, s)
		if !x.Defined() {
			return boolVal(false)
		}
		return boolVal(member(x, n.List) != n.Not)
	case And:
		return boolVal(truthy(evalNode(n.L, s)) && truthy(evalNode(n.R, s)))
	case Or:
		return boolVal(truthy(evalNode(n.L, s)) || truthy(evalNode(n.R, s)))
	case Not:
		return boolVal(!truthy(evalNode(n.X, s)))
	case Arith:
		o, ok := opByName[n.Op]
		if !ok || o > opDiv {
			return Value{}
		}
		return numArith(o, evalNode(n.L, s), evalNode(n.R, s), -1)
	case Neg:
		x := evalNode(n.X, s)
		if x.typ != TypeNumber {
			return Value{}
		}
		return negNum(x, -1)
	}
	return Value{}
}

// Walk calls fn for n and, depth first, for every node below it, in order
// (nodes as Program.Node builds them: values, not pointers).
func Walk(n Node, fn func(Node)) {
	if n == nil {
		return
	}
	fn(n)
	switch x := n.(type) {
	case Compare:
		Walk(x.L, fn)
		Walk(x.R, fn)
	case In:
		Walk(x.X, fn)
	case And:
		Walk(x.L, fn)
		Walk(x.R, fn)
	case Or:
		Walk(x.L, fn)
		Walk(x.R, fn)
	case Not:
		Walk(x.X, fn)
	case Arith:
		Walk(x.L, fn)
		Walk(x.R, fn)
	case Neg:
		Walk(x.X, fn)
	}
}
