package formula

import (
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/internal/suggest"
	"github.com/shopspring/decimal"
)

// The checker turns expr's syntax tree into a typed tree of cnodes, with
// constants folded. It reports the first problem in a formula.

type kind uint8

const (
	kConst   kind = iota // val
	kLookup              // ref, read from the Scope
	kNeg                 // -args[0]
	kNot                 // !args[0]
	kArith               // args[0] op args[1], op + - * / %
	kPow                 // args[0] ** n
	kCompare             // args[0] op args[1], op == != < <= > >=
	kAnd                 // args[0] && args[1]
	kOr                  // args[0] || args[1]
	kIn                  // args[0] in args[1]; not: not in
	kStrTest             // args[0] op args[1], op contains startsWith endsWith; not: negated
	kCond                // args[0] ? args[1] : args[2]
	kCall                // fn(args...)
	kList                // [args...]
	kCoerce              // args[0] if it has type typ, else undefined
)

type cnode struct {
	kind kind
	typ  Type
	elem Type // lists: the element type (TypeAny when unknown)
	pos  int  // rune offset of the operator, name or literal
	op   op
	not  bool
	n    int // kPow: the exponent
	val  Value
	ref  Ref
	fn   *funcSpec
	args []*cnode
}

// MaxPower is the largest exponent (in absolute value) of x ** n.
const MaxPower = 100

// MaxBack is the largest n of prev(id, n).
const MaxBack = 1000

type checker struct {
	src     string
	env     *Env
	lits    map[int]string
	aliases map[int]bool // where parse turned an operator word into a name
	budget  int
	zoned   bool // a call reads times in the Env's zone
}

func (c *checker) errorf(pos int, code Code, format string, args ...any) error {
	return newError(c.src, pos, code, format, args...)
}

// start returns the rune offset where the expression of n begins.
func start(n ast.Node) int {
	pos := n.Location().From
	if _, ok := n.(*ast.ConditionalNode); ok {
		pos = 1 << 30 // expr puts a ternary at the token after it
	}
	child := func(m ast.Node) {
		if m != nil {
			pos = min(pos, start(m))
		}
	}
	switch n := n.(type) {
	case *ast.UnaryNode:
		child(n.Node)
	case *ast.BinaryNode:
		child(n.Left)
	case *ast.CallNode:
		for _, a := range n.Arguments {
			child(a)
		}
	case *ast.ConditionalNode:
		child(n.Cond)
	case *ast.MemberNode:
		child(n.Node)
	case *ast.ChainNode:
		child(n.Node)
	case *ast.SliceNode:
		child(n.Node)
	case *ast.SequenceNode:
		if len(n.Nodes) > 0 {
			child(n.Nodes[0])
		}
	}
	return pos
}

func (c *checker) expr(n ast.Node) (*cnode, error) {
	pos := n.Location().From
	switch n := n.(type) {
	case *ast.IdentifierNode:
		if lit, ok := c.lits[pos]; ok && strings.HasPrefix(n.Value, "$") {
			return c.number(lit, pos)
		}
		t, ok := c.env.Lookup(n.Value)
		if !ok {
			return nil, c.unknownName(n.Value, pos)
		}
		return &cnode{kind: kLookup, typ: t, pos: pos, ref: Ref{Name: n.Value}}, nil
	case *ast.IntegerNode:
		return constNode(Int(int64(n.Value)), pos), nil
	case *ast.BoolNode:
		return constNode(Bool(n.Value), pos), nil
	case *ast.StringNode:
		return constNode(String(n.Value), pos), nil
	case *ast.NilNode:
		return nil, c.errorf(pos, CodeUnsupported, "nil is not supported (test a missing value with defined(x))")
	case *ast.UnaryNode:
		return c.unary(n)
	case *ast.BinaryNode:
		return c.binary(n, false)
	case *ast.ConditionalNode:
		return c.cond(n.Cond, n.Exp1, n.Exp2, start(n.Cond))
	case *ast.CallNode:
		return c.call(n)
	case *ast.BuiltinNode:
		return c.call(&ast.CallNode{Callee: &ast.IdentifierNode{Value: n.Name}, Arguments: n.Arguments})
	case *ast.ArrayNode:
		return c.list(n)
	case *ast.MemberNode, *ast.ChainNode:
		if r := []rune(c.src); pos < len(r) && r[pos] == '[' {
			return nil, c.errorf(pos, CodeUnsupported, "indexing and slicing are not supported")
		}
		return nil, c.errorf(pos, CodeUnsupported, "field access with . is not supported")
	case *ast.SliceNode:
		return nil, c.errorf(pos, CodeUnsupported, "indexing and slicing are not supported")
	case *ast.MapNode, *ast.PairNode:
		return nil, c.errorf(pos, CodeUnsupported, "maps are not supported")
	case *ast.BytesNode:
		return nil, c.errorf(pos, CodeUnsupported, "byte strings are not supported")
	case *ast.VariableDeclaratorNode:
		return nil, c.errorf(pos, CodeUnsupported, "let is not supported")
	case *ast.SequenceNode:
		return nil, c.errorf(pos, CodeUnsupported, "a formula is one expression: ; is not supported")
	case *ast.PredicateNode, *ast.PointerNode:
		return nil, c.errorf(pos, CodeUnsupported, "# is not supported")
	}
	return nil, c.errorf(pos, CodeUnsupported, "unsupported expression %s", n.String())
}

func constNode(v Value, pos int) *cnode {
	n := &cnode{kind: kConst, typ: v.typ, val: v, pos: pos}
	if v.typ == TypeList {
		n.elem = TypeAny
	}
	return n
}

// number reads a number literal exactly.
func (c *checker) number(lit string, pos int) (*cnode, error) {
	text := strings.ReplaceAll(lit, "_", "")
	lower := strings.ToLower(text)
	if strings.HasPrefix(lower, "0x") || strings.HasPrefix(lower, "0o") || strings.HasPrefix(lower, "0b") {
		// Any size, as decimal literals: 0xFFFFFFFFFFFFFFFFF is past int64.
		i, ok := new(big.Int).SetString(lit, 0)
		if !ok {
			return nil, c.errorf(pos, CodeSyntax, "bad number %s", quoteNumber(lit))
		}
		v := bigNum(decimal.NewFromBigInt(i, 0))
		if outside(v) {
			return nil, c.errorf(pos, CodeLimit, "number %s out of range (limit: %d digits)", quoteNumber(lit), MaxDigits)
		}
		return constNode(v, pos), nil
	}
	if strings.HasSuffix(text, ".") {
		text += "0"
	}
	if strings.HasPrefix(text, ".") {
		text = "0" + text
	}
	d, err := decimal.NewFromString(text)
	if err != nil {
		if strings.ContainsAny(lower, "e") && !strings.HasSuffix(lower, "e") {
			return nil, c.errorf(pos, CodeLimit, "number %s out of range (limit: %d digits)", quoteNumber(lit), MaxDigits)
		}
		return nil, c.errorf(pos, CodeSyntax, "bad number %s", quoteNumber(lit))
	}
	v := bigNum(d)
	if outside(v) {
		return nil, c.errorf(pos, CodeLimit, "number %s out of range (limit: %d digits)", quoteNumber(lit), MaxDigits)
	}
	return constNode(v, pos), nil
}

func (c *checker) unknownName(name string, pos int) error {
	if (name == "days" || name == "workdays" || name == "elapsed") && c.env.hasPeriod() {
		return c.errorf(pos, CodeUnknownName, "unknown name %s (did you mean %q?)", display.QuoteID(name), name+"()")
	}
	var names []string
	for _, d := range c.env.Decls() {
		names = append(names, d.Name)
	}
	if s := suggest.Closest(name, names); s != "" {
		return c.errorf(pos, CodeUnknownName, "unknown name %s (did you mean %q?)", display.QuoteID(name), s)
	}
	return c.errorf(pos, CodeUnknownName, "unknown name %s", display.QuoteID(name))
}

func (c *checker) unknownFunction(name string, pos int) error {
	if _, ok := c.env.Lookup(name); ok {
		return c.errorf(pos, CodeUnknownFunction, "%s is not a function", name)
	}
	switch name {
	case "now", "date", "time", "today", "duration":
		return c.errorf(pos, CodeUnknownFunction, "unknown function %q (formulas cannot read the clock or build times)", name)
	}
	if s, ok := functionHints[strings.ToLower(name)]; ok {
		return c.errorf(pos, CodeUnknownFunction, "unknown function %s (did you mean %q?)", display.QuoteID(name), s)
	}
	if s := suggest.Closest(name, c.functionNames()); s != "" {
		return c.errorf(pos, CodeUnknownFunction, "unknown function %s (did you mean %q?)", display.QuoteID(name), s)
	}
	return c.errorf(pos, CodeUnknownFunction, "unknown function %s", display.QuoteID(name))
}

// functionHints are functions of other languages (spreadsheets, SQL) and
// what to use instead.
var functionHints = map[string]string{
	"mean": "avg", "average": "avg", "iif": "if", "ifelse": "if", "ifnull": "coalesce",
	"nvl": "coalesce", "isnull": "defined", "lowercase": "lower", "uppercase": "upper",
	"length": "len", "weekofyear": "week", "dayofweek": "weekday", "roundup": "ceil", "rounddown": "floor",
}

func (c *checker) functionNames() []string {
	var names []string
	for name := range funcs {
		if name == "prev" && !c.env.hasPrev() || (name == "workdays" || name == "elapsed") && !c.env.hasPeriod() {
			continue
		}
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// fold evaluates n at compile time when all its operands are constants.
func (c *checker) fold(n *cnode) (*cnode, error) {
	switch n.kind {
	case kConst, kLookup:
		return n, nil
	}
	for _, a := range n.args {
		if a.kind != kConst {
			return n, nil
		}
	}
	fn := (&builder{loc: c.env.Location(), work: c.env.workCalendar()}).build(n)
	v, perr := run(fn, nil, &meter{left: c.budget})
	if perr != nil {
		return nil, c.errorf(max(perr.pos, 0), perr.code, "%s", perr.msg)
	}
	return &cnode{kind: kConst, typ: n.typ, elem: n.elem, pos: n.pos, val: v}, nil
}

// run evaluates fn, turning a limit panic into an evalPanic result.
func run(fn evalFn, s Scope, m *meter) (v Value, perr *evalPanic) {
	defer func() {
		if r := recover(); r != nil {
			p, ok := r.(*evalPanic)
			if !ok {
				panic(r)
			}
			perr = p
		}
	}()
	return fn(s, m), nil
}

func (c *checker) wantBool(n *cnode, pos int) error {
	if n.typ != TypeBool && n.typ != TypeAny {
		return c.errorf(pos, CodeType, "expected bool, got %s", n.typ)
	}
	return nil
}

func negatable(op string) bool {
	switch op {
	case "in", "contains", "startsWith", "endsWith", "matches":
		return true
	}
	return false
}

func (c *checker) unary(n *ast.UnaryNode) (*cnode, error) {
	pos := n.Location().From
	switch n.Operator {
	case "not", "!":
		// expr parses "x not in y" as not(x in y), both at the "in" token.
		if b, ok := n.Node.(*ast.BinaryNode); ok && n.Operator == "not" && negatable(b.Operator) && b.Location().From == pos {
			return c.binary(b, true)
		}
		x, err := c.expr(n.Node)
		if err != nil {
			return nil, err
		}
		if x.typ != TypeBool && x.typ != TypeAny {
			hint := "!(a == b)"
			if n.Operator == "not" {
				hint = "not (a == b)"
			}
			return nil, c.errorf(start(n.Node), CodeType, "expected bool, got %s (%s applies before comparisons: write %s)", x.typ, n.Operator, hint)
		}
		return c.fold(&cnode{kind: kNot, typ: TypeBool, pos: pos, args: []*cnode{x}})
	case "-", "+":
		x, err := c.expr(n.Node)
		if err != nil {
			return nil, err
		}
		switch x.typ {
		case TypeNumber, TypeDuration, TypeAny:
		default:
			return nil, c.errorf(pos, CodeType, "cannot apply %s to %s", n.Operator, x.typ)
		}
		if n.Operator == "+" {
			return x, nil
		}
		return c.fold(&cnode{kind: kNeg, typ: x.typ, pos: pos, args: []*cnode{x}})
	}
	return nil, c.errorf(pos, CodeUnsupported, "operator %s is not supported", n.Operator)
}

func (c *checker) binary(n *ast.BinaryNode, not bool) (*cnode, error) {
	pos := n.Location().From
	switch n.Operator {
	case "matches":
		return nil, c.errorf(pos, CodeUnsupported, "matches (regular expressions) is not supported: use contains, startsWith or endsWith")
	case "..":
		return nil, c.errorf(pos, CodeUnsupported, "ranges (..) are not supported")
	case "??":
		return c.callSpec(funcs["coalesce"], "??", pos, []ast.Node{n.Left, n.Right})
	}
	l, err := c.expr(n.Left)
	if err != nil {
		return nil, err
	}
	r, err := c.expr(n.Right)
	if err != nil {
		return nil, err
	}
	switch n.Operator {
	case "and", "&&", "or", "||":
		if err := c.wantBool(l, start(n.Left)); err != nil {
			return nil, err
		}
		if err := c.wantBool(r, start(n.Right)); err != nil {
			return nil, err
		}
		k := kAnd
		if n.Operator == "or" || n.Operator == "||" {
			k = kOr
		}
		return c.fold(&cnode{kind: k, typ: TypeBool, pos: pos, args: []*cnode{l, r}})
	case "in":
		return c.in(l, r, pos, not)
	}
	o, ok := opByName[n.Operator]
	if !ok {
		return nil, c.errorf(pos, CodeUnsupported, "operator %s is not supported", n.Operator)
	}
	switch {
	case o == opPow:
		if l.typ != TypeNumber && l.typ != TypeAny {
			return nil, c.errorf(pos, CodeType, "cannot apply %s to %s", n.Operator, l.typ)
		}
		p, ok := wholeInt(r.val)
		if r.kind != kConst || r.val.typ != TypeNumber || !ok || p < -MaxPower || p > MaxPower {
			return nil, c.errorf(start(n.Right), CodeArgument, "the exponent of %s must be a whole-number constant from %d to %d", n.Operator, -MaxPower, MaxPower)
		}
		return c.fold(&cnode{kind: kPow, typ: TypeNumber, pos: pos, n: p, args: []*cnode{l}})
	case o <= opMod:
		t, ok := arithType(o, l.typ, r.typ)
		if !ok {
			return nil, c.errorf(pos, CodeType, "cannot apply %s to %s and %s", n.Operator, l.typ, r.typ)
		}
		return c.fold(&cnode{kind: kArith, typ: t, pos: pos, op: o, args: []*cnode{l, r}})
	case o <= opGe:
		if l.typ != TypeAny && r.typ != TypeAny {
			if l.typ != r.typ {
				return nil, c.errorf(pos, CodeType, "cannot compare %s with %s", l.typ, r.typ)
			}
			if l.typ == TypeList {
				return nil, c.errorf(pos, CodeType, "cannot compare lists")
			}
			if l.typ == TypeBool && o != opEq && o != opNe {
				return nil, c.errorf(pos, CodeType, "cannot compare bools with %s", n.Operator)
			}
		}
		return c.fold(&cnode{kind: kCompare, typ: TypeBool, pos: pos, op: o, args: []*cnode{l, r}})
	default: // contains, startsWith, endsWith
		for i, x := range []*cnode{l, r} {
			if x.typ != TypeString && x.typ != TypeAny {
				side := n.Left
				if i == 1 {
					side = n.Right
				}
				return nil, c.errorf(start(side), CodeType, "%s expects strings, got %s", n.Operator, x.typ)
			}
		}
		return c.fold(&cnode{kind: kStrTest, typ: TypeBool, pos: pos, op: o, not: not, args: []*cnode{l, r}})
	}
}

// arithType returns the type of a + - * / % b. With an operand of type any,
// the result type is the only one the operation can have, or any.
func arithType(o op, l, r Type) (Type, bool) {
	if l == TypeAny || r == TypeAny {
		other := l
		if l == TypeAny {
			other = r
		}
		switch other {
		case TypeAny:
			if o == opMul || o == opDiv || o == opMod {
				return TypeNumber, true
			}
			return TypeAny, true
		case TypeNumber:
			return TypeNumber, true
		case TypeString:
			return TypeString, o == opAdd
		case TypeTime:
			switch {
			case o == opAdd:
				return TypeTime, true
			case o == opSub && r == TypeTime:
				return TypeDuration, true
			case o == opSub:
				return TypeAny, true
			}
		case TypeDuration:
			if o == opAdd || o == opSub {
				return TypeAny, true
			}
		}
		return TypeAny, false
	}
	switch {
	case l == TypeNumber && r == TypeNumber:
		return TypeNumber, true
	case o == opAdd && l == TypeString && r == TypeString:
		return TypeString, true
	case o == opSub && l == TypeTime && r == TypeTime:
		return TypeDuration, true
	case (o == opAdd || o == opSub) && l == TypeTime && r == TypeDuration,
		o == opAdd && l == TypeDuration && r == TypeTime:
		return TypeTime, true
	case (o == opAdd || o == opSub) && l == TypeDuration && r == TypeDuration:
		return TypeDuration, true
	}
	return TypeAny, false
}

func (c *checker) in(x, list *cnode, pos int, not bool) (*cnode, error) {
	if list.typ != TypeList && list.typ != TypeAny {
		return nil, c.errorf(pos, CodeType, "in expects a list on the right, got %s", list.typ)
	}
	if list.typ == TypeList && list.elem != TypeAny && x.typ != TypeAny && list.elem != x.typ {
		return nil, c.errorf(pos, CodeType, "cannot look for %s in a list of %ss", x.typ.noun(), list.elem)
	}
	if x.typ == TypeList {
		return nil, c.errorf(pos, CodeType, "cannot look for a list in a list")
	}
	return c.fold(&cnode{kind: kIn, typ: TypeBool, pos: pos, not: not, args: []*cnode{x, list}})
}

func (c *checker) list(n *ast.ArrayNode) (*cnode, error) {
	ln := &cnode{kind: kList, typ: TypeList, elem: TypeAny, pos: n.Location().From}
	var known bool
	for _, e := range n.Nodes {
		x, err := c.expr(e)
		if err != nil {
			return nil, err
		}
		switch {
		case x.typ == TypeList:
			return nil, c.errorf(start(e), CodeType, "lists cannot hold lists")
		case x.typ == TypeAny:
		case !known:
			ln.elem, known = x.typ, true
		case x.typ != ln.elem:
			return nil, c.errorf(start(e), CodeType, "list elements must have the same type: %s and %s", ln.elem, x.typ)
		}
		ln.args = append(ln.args, x)
	}
	return c.fold(ln)
}

// unify returns the type of a value that is either of type a or of type b.
func unify(a, b Type) (Type, bool) {
	switch {
	case a == b:
		return a, true
	case a == TypeAny || b == TypeAny:
		return TypeAny, true
	}
	return TypeAny, false
}

func (c *checker) cond(cond, a, b ast.Node, pos int) (*cnode, error) {
	cn, err := c.expr(cond)
	if err != nil {
		return nil, err
	}
	if err := c.wantBool(cn, start(cond)); err != nil {
		return nil, err
	}
	an, err := c.expr(a)
	if err != nil {
		return nil, err
	}
	bn, err := c.expr(b)
	if err != nil {
		return nil, err
	}
	t, ok := unify(an.typ, bn.typ)
	if !ok {
		return nil, c.errorf(start(b), CodeType, "both results of a condition must have the same type: %s and %s", an.typ, bn.typ)
	}
	n := &cnode{kind: kCond, typ: t, pos: pos, args: []*cnode{cn, an, bn}}
	if t == TypeList {
		n.elem, _ = unify(an.elem, bn.elem)
	}
	return c.fold(n)
}

func (c *checker) call(n *ast.CallNode) (*cnode, error) {
	callee, ok := n.Callee.(*ast.IdentifierNode)
	if !ok {
		return nil, c.errorf(n.Callee.Location().From, CodeUnsupported, "methods are not supported: write f(x), not x.f()")
	}
	pos := callee.Location().From
	name := callee.Value
	if _, ok := c.lits[pos]; ok && strings.HasPrefix(name, "$") {
		return nil, c.errorf(pos, CodeSyntax, "a number cannot be called: unexpected \"(\" after %s", quoteNumber(c.lits[pos]))
	}
	if real, ok := funcAliases[name]; ok && c.aliases[pos] {
		name = real
	}
	if name == "prev" {
		return c.prev(n.Arguments, pos)
	}
	if len(n.Arguments) == 0 && (name == "days" || name == "workdays" || name == "elapsed") {
		if !c.env.hasPeriod() {
			return nil, c.errorf(pos, CodeUnknownFunction, "%s() is not available in this formula", name)
		}
		return &cnode{kind: kLookup, typ: TypeNumber, pos: pos, ref: Ref{Name: name, Func: true}}, nil
	}
	f, ok := funcs[name]
	if !ok || f.period {
		if ok && !c.env.hasPeriod() {
			return nil, c.errorf(pos, CodeUnknownFunction, "%s() is not available in this formula", name)
		}
		if !ok {
			return nil, c.unknownFunction(name, pos)
		}
	}
	return c.callSpec(f, name, pos, n.Arguments)
}

func (c *checker) callSpec(f *funcSpec, name string, pos int, args []ast.Node) (*cnode, error) {
	if len(args) < f.min || f.max >= 0 && len(args) > f.max {
		return nil, c.errorf(pos, CodeArgument, "%s expects %s, got %d", name, arity(f.min, f.max), len(args))
	}
	call := &cnode{kind: kCall, fn: f, pos: pos}
	c.zoned = c.zoned || f.zoned
	for _, a := range args {
		x, err := c.expr(a)
		if err != nil {
			return nil, err
		}
		call.args = append(call.args, x)
	}
	if err := f.check(&callCheck{c: c, name: name, call: call, asts: args}); err != nil {
		return nil, err
	}
	return c.fold(call)
}

func arity(lo, hi int) string {
	plural := func(n int) string {
		if n == 1 {
			return "1 argument"
		}
		return strconv.Itoa(n) + " arguments"
	}
	switch {
	case hi < 0:
		return "at least " + plural(lo)
	case lo == hi && lo == 0:
		return "no arguments"
	case lo == hi:
		return plural(lo)
	case hi == lo+1:
		return strconv.Itoa(lo) + " or " + plural(hi)
	}
	return strconv.Itoa(lo) + " to " + plural(hi)
}

func (c *checker) prev(args []ast.Node, pos int) (*cnode, error) {
	if !c.env.hasPrev() {
		return nil, c.errorf(pos, CodeUnknownFunction, "prev is not available in this formula")
	}
	if len(args) < 1 || len(args) > 2 {
		return nil, c.errorf(pos, CodeArgument, "prev expects %s, got %d", arity(1, 2), len(args))
	}
	id, ok := args[0].(*ast.IdentifierNode)
	if _, lit := c.lits[args[0].Location().From]; !ok || lit {
		return nil, c.errorf(start(args[0]), CodeArgument, "the first argument of prev must be a name, as in prev(revenue)")
	}
	t, ok := c.env.Lookup(id.Value)
	if !ok {
		return nil, c.unknownName(id.Value, id.Location().From)
	}
	if t != TypeNumber {
		return nil, c.errorf(id.Location().From, CodeType, "prev needs a number, %s is a %s", id.Value, t)
	}
	back := 1
	if len(args) == 2 {
		x, err := c.expr(args[1])
		if err != nil {
			return nil, err
		}
		n, ok := wholeInt(x.val)
		if x.kind != kConst || x.val.typ != TypeNumber || !ok || n < 1 || n > MaxBack {
			return nil, c.errorf(start(args[1]), CodeArgument, "the second argument of prev must be a whole-number constant from 1 to %d", MaxBack)
		}
		back = n
	}
	return &cnode{kind: kLookup, typ: TypeNumber, pos: pos, ref: Ref{Name: id.Value, Back: back}}, nil
}
