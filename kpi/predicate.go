package kpi

import (
	"math/big"
	"slices"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/shopspring/decimal"
)

// The native predicate path. A filter whose formula has a simple shape
// (formula.Program.Node) runs as vector operations over the columns: every
// subtree that reads one dictionary-coded column becomes a truth table over
// that column's codes, computed once per evaluation by the reference
// interpreter, so it has the formula semantics by construction; and, or and
// not combine such vectors with three-valued tables taken from the same
// interpreter. What has no native form is evaluated row by row.

// Truth values of a vector: false, true, undefined, and tvLimit: the
// formula fails on the row (a number out of range), or may, since and and or
// evaluate their right side only when the left does not decide. A filter
// sends its tvLimit rows to the whole program (evalPred at depth 0), which
// decides them and gives the error, so that the native path fails exactly
// where Program.Eval does.
const (
	tvFalse uint8 = 0
	tvTrue  uint8 = 1
	tvUndef uint8 = 2
	tvLimit uint8 = 3
)

func truth(v formula.Value) uint8 {
	if b, ok := v.Bool(); ok {
		if b {
			return tvTrue
		}
		return tvFalse
	}
	return tvUndef
}

// tryTruth is truth of formula.TryEvalNode's result.
func tryTruth(v formula.Value, ok bool) uint8 {
	if !ok {
		return tvLimit
	}
	return truth(v)
}

var tvValues = [3]formula.Value{formula.Bool(false), formula.Bool(true), formula.Undefined()}

// logicTables mirror formula's and, or and not on three-valued inputs,
// indexed a<<2|b; tvLimit on either side gives tvLimit.
type logicTables struct {
	and, or [16]uint8
	not     [4]uint8
}

func newLogicTables() *logicTables {
	var t logicTables
	for i := range t.and {
		t.and[i], t.or[i] = tvLimit, tvLimit
	}
	t.not[tvLimit] = tvLimit
	for a := range 3 {
		for b := range 3 {
			ca, cb := formula.Const{Value: tvValues[a]}, formula.Const{Value: tvValues[b]}
			t.and[a<<2|b] = truth(formula.EvalNode(formula.And{L: ca, R: cb}, nil))
			t.or[a<<2|b] = truth(formula.EvalNode(formula.Or{L: ca, R: cb}, nil))
		}
		t.not[a] = truth(formula.EvalNode(formula.Not{X: formula.Const{Value: tvValues[a]}}, nil))
	}
	return &t
}

type predOp uint8

const (
	opAnd predOp = iota + 1
	opOr
	opNot
	opKind    // a subtree over kind only: constant per segment
	opDict    // a subtree over one dictionary-coded column
	opAmount  // amount compared with a constant
	opRow     // anything else: evaluated row by row
	opProgram // no native form at all: the whole program row by row
)

// predNode is a filter compiled against the shape of the columns; it does not
// depend on a table.
type predNode struct {
	op   predOp
	l, r *predNode
	node formula.Node
	name string // the column of opDict and opAmount
	cmp  string // opAmount: the comparison, with the amount on the left
	c    decimal.Decimal
	// prog is the whole filter: at the root of every filter (which decides
	// its tvLimit rows row by row), and opProgram's.
	prog *formula.Program
}

func nodeVars(n formula.Node, into map[string]bool) {
	formula.Walk(n, func(n formula.Node) {
		if id, ok := n.(formula.Ident); ok {
			into[id.Name] = true
		}
	})
}

// dictColumn reports whether a variable is held dictionary-coded.
func dictColumn(name string) bool {
	switch name {
	case "time", "id", "amount":
		return false
	}
	return true
}

var flipped = map[string]string{"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

func compilePredicate(p *formula.Program) *predNode {
	if p == nil {
		return nil
	}
	n := p.Node()
	if n == nil {
		return &predNode{op: opProgram, prog: p}
	}
	root := compileNode(n)
	root.prog = p
	return root
}

func compileNode(n formula.Node) *predNode {
	vars := map[string]bool{}
	nodeVars(n, vars)
	if len(vars) == 1 {
		for v := range vars {
			switch {
			case v == "kind":
				return &predNode{op: opKind, node: n}
			case dictColumn(v):
				return &predNode{op: opDict, node: n, name: v}
			}
		}
	}
	switch x := n.(type) {
	case formula.And:
		return &predNode{op: opAnd, l: compileNode(x.L), r: compileNode(x.R)}
	case formula.Or:
		return &predNode{op: opOr, l: compileNode(x.L), r: compileNode(x.R)}
	case formula.Not:
		return &predNode{op: opNot, l: compileNode(x.X)}
	case formula.Compare:
		id, lok := x.L.(formula.Ident)
		c, rok := x.R.(formula.Const)
		op := x.Op
		if !lok || !rok {
			id, lok = x.R.(formula.Ident)
			c, rok = x.L.(formula.Const)
			op = flipped[x.Op]
		}
		if lok && rok && id.Name == "amount" {
			if d, ok := c.Value.Number(); ok {
				return &predNode{op: opAmount, node: n, cmp: op, c: d}
			}
		}
	}
	return &predNode{op: opRow, node: n}
}

// preparedPred is a predicate bound to one table's dictionaries.
type preparedPred struct {
	*predNode
	l, r  *preparedPred
	table []uint8 // opDict: truth by code
	col   int     // opDict: -1 actor, -2 currency, >= 0 attribute index, -3 attribute the table never saw
	// opAmount: the comparison in the table's minor units
	unscaled int64
	exact    bool // the constant is a whole number of minor units
	fits     bool // ...and fits an int64
	noAmount uint8
	// mayLimit: some row may be tvLimit (arithmetic evaluated row by row,
	// or a dictionary value the program must decide), so the root looks.
	mayLimit bool
}

// arithmetic reports whether n computes numbers (formula.Arith, or a
// negation, which fails on an operand past formula.MaxDigits): where alone
// a number can go out of range on an event. The scan fails there, while
// PushQuery.Where, with formula.EvalNode's semantics, drops the event, and
// a database may compute it: such a filter is not pushed, so that a plan
// has one answer.
func arithmetic(n formula.Node) bool {
	found := false
	formula.Walk(n, func(n formula.Node) {
		switch n.(type) {
		case formula.Arith, formula.Neg:
			found = true
		}
	})
	return found
}

func preparePredicate(p *predNode, tab *colstore.Table) *preparedPred {
	if p == nil {
		return nil
	}
	pp := &preparedPred{predNode: p}
	switch p.op {
	case opAnd, opOr:
		pp.l, pp.r = preparePredicate(p.l, tab), preparePredicate(p.r, tab)
		pp.mayLimit = pp.l.mayLimit || pp.r.mayLimit
	case opNot:
		pp.l = preparePredicate(p.l, tab)
		pp.mayLimit = pp.l.mayLimit
	case opKind, opRow:
		pp.mayLimit = arithmetic(p.node)
	case opDict:
		var dict []formula.Value
		switch p.name {
		case "actor":
			pp.col = -1
			for _, a := range tab.Actors() {
				dict = append(dict, formula.String(a))
			}
			dict[0] = formula.Undefined()
		case "currency":
			pp.col = -2
			for _, c := range tab.Currencies() {
				dict = append(dict, formula.String(c))
			}
			dict[0] = formula.Undefined()
		default:
			i, ok := tab.Attr(p.name)
			if !ok {
				pp.col = -3
				dict = []formula.Value{formula.Undefined()}
				break
			}
			pp.col = i
			for _, v := range tab.AttrValues(i) {
				dict = append(dict, formula.ValueOf(v))
			}
		}
		pp.table = make([]uint8, len(dict))
		for code, v := range dict {
			pp.table[code] = tryTruth(formula.TryEvalNode(p.node, formula.ScopeFunc(func(r formula.Ref) formula.Value {
				if r.Name == p.name && r.Back == 0 && !r.Func {
					return v
				}
				return formula.Undefined()
			})))
		}
		pp.mayLimit = slices.Contains(pp.table, tvLimit)
	case opAmount:
		pp.noAmount = truth(formula.EvalNode(p.node, formula.MapScope{}))
		u := p.c.Shift(tab.Scale)
		pp.exact = u.IsInteger()
		floor := u.Floor().BigInt()
		pp.fits = floor.IsInt64() && floor.CmpAbs(big.NewInt(1e18)) < 0
		if pp.fits {
			pp.unscaled = floor.Int64()
		}
	}
	return pp
}
