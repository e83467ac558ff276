package formula

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// The rapid properties of this file generate random trees of the Node
// shapes, write them as formulas, and check that Compile + Eval, EvalNode on
// the generated tree and EvalNode on Program.Node agree on random scopes.

var testTime = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)

var nodeEnv = []Decl{
	{"s1", TypeString}, {"s2", TypeString}, {"n1", TypeNumber}, {"n2", TypeNumber}, {"b1", TypeBool},
}

func genNumConst() *rapid.Generator[Value] {
	return rapid.Custom(func(t *rapid.T) Value {
		c := rapid.Int64Range(-2000, 2000).Draw(t, "c")
		e := rapid.Int32Range(-3, 2).Draw(t, "e")
		// As the formula's text reads it back: 0.000 prints "0", and a
		// number's trailing zeros count towards the digit limits, so a
		// generated constant and the compiled text would meet them apart.
		return Number(decimal.RequireFromString(decimal.New(c, e).String()))
	})
}

func genStrConst() *rapid.Generator[Value] {
	return rapid.Custom(func(t *rapid.T) Value {
		return String(rapid.SampledFrom([]string{"", "a", "b", "web", "Web", "partner"}).Draw(t, "s"))
	})
}

type genNode struct {
	n   Node
	src string
}

// genShape draws which of n shapes to generate, labelled label; once depth
// is spent, only one of the first leaves, the shapes without children.
func genShape(t *rapid.T, depth, n, leaves int, label string) int {
	k := rapid.IntRange(0, n-1).Draw(t, label)
	if depth <= 0 {
		k = rapid.IntRange(0, leaves-1).Draw(t, label+"leaf")
	}
	return k
}

func genNum(t *rapid.T, depth int) genNode {
	switch genShape(t, depth, 4, 2, "num") {
	case 0:
		name := rapid.SampledFrom([]string{"n1", "n2"}).Draw(t, "name")
		return genNode{Ident{Name: name, Type: TypeNumber}, name}
	case 1:
		v := genNumConst().Draw(t, "const")
		return genNode{Const{Value: v}, "(" + v.String() + ")"}
	case 2:
		op := rapid.SampledFrom([]string{"+", "-", "*", "/"}).Draw(t, "op")
		l, r := genNum(t, depth-1), genNum(t, depth-1)
		return genNode{Arith{Op: op, L: l.n, R: r.n}, "(" + l.src + " " + op + " " + r.src + ")"}
	}
	x := genNum(t, depth-1)
	return genNode{Neg{X: x.n}, "-" + x.src}
}

func genStr(t *rapid.T) genNode {
	if rapid.Bool().Draw(t, "strname") {
		name := rapid.SampledFrom([]string{"s1", "s2"}).Draw(t, "name")
		return genNode{Ident{Name: name, Type: TypeString}, name}
	}
	v := genStrConst().Draw(t, "const")
	return genNode{Const{Value: v}, strconv.Quote(v.str())}
}

func genBool(t *rapid.T, depth int) genNode {
	k := genShape(t, depth, 8, 5, "bool")
	switch k {
	case 0:
		return genNode{Ident{Name: "b1", Type: TypeBool}, "b1"}
	case 1:
		b := rapid.Bool().Draw(t, "b")
		return genNode{Const{Value: Bool(b)}, strconv.FormatBool(b)}
	case 2, 3:
		op := rapid.SampledFrom([]string{"==", "!=", "<", "<=", ">", ">="}).Draw(t, "cmp")
		var l, r genNode
		if k == 2 {
			l, r = genNum(t, depth-1), genNum(t, depth-1)
		} else {
			l, r = genStr(t), genStr(t)
		}
		return genNode{Compare{Op: op, L: l.n, R: r.n}, "(" + l.src + " " + op + " " + r.src + ")"}
	case 4:
		var x genNode
		var list []Value
		n := rapid.IntRange(0, 10).Draw(t, "len")
		if rapid.Bool().Draw(t, "instr") {
			x = genStr(t)
			for range n {
				list = append(list, genStrConst().Draw(t, "elem"))
			}
		} else {
			x = genNum(t, depth-1)
			for range n {
				list = append(list, genNumConst().Draw(t, "elem"))
			}
		}
		var elems []string
		for _, v := range list {
			if v.typ == TypeString {
				elems = append(elems, strconv.Quote(v.str()))
			} else {
				elems = append(elems, v.String())
			}
		}
		not := rapid.Bool().Draw(t, "not")
		kw := " in "
		if not {
			kw = " not in "
		}
		return genNode{In{X: x.n, List: list, Not: not}, "(" + x.src + kw + "[" + strings.Join(elems, ", ") + "])"}
	case 5:
		l, r := genBool(t, depth-1), genBool(t, depth-1)
		return genNode{And{L: l.n, R: r.n}, "(" + l.src + " && " + r.src + ")"}
	case 6:
		l, r := genBool(t, depth-1), genBool(t, depth-1)
		return genNode{Or{L: l.n, R: r.n}, "(" + l.src + " or " + r.src + ")"}
	}
	x := genBool(t, depth-1)
	return genNode{Not{X: x.n}, "!" + x.src}
}

// genScope gives each name a value of its type, undefined, or (rarely) a
// value of another type.
func genScope(t *rapid.T) MapScope {
	s := MapScope{}
	for _, d := range nodeEnv {
		switch rapid.IntRange(0, 9).Draw(t, d.Name) {
		case 0, 1:
			// undefined
		case 2:
			s[d.Name] = Bool(true) // wrong type for most names
		default:
			switch d.Type {
			case TypeString:
				s[d.Name] = genStrConst().Draw(t, d.Name+"=")
			case TypeNumber:
				s[d.Name] = genNumConst().Draw(t, d.Name+"=")
				if rapid.IntRange(0, 9).Draw(t, d.Name+"huge") == 0 {
					// 1000 digits: any growth goes past the number limit.
					s[d.Name] = Number(decimal.New(rapid.SampledFrom([]int64{1, -9}).Draw(t, d.Name+"sign"), 999))
				}
			case TypeBool:
				s[d.Name] = Bool(rapid.Bool().Draw(t, d.Name+"="))
			}
		}
	}
	return s
}

func TestNodeEvalMatchesProgram(t *testing.T) {
	env := NewEnv(nodeEnv...)
	rapid.Check(t, func(t *rapid.T) {
		var g genNode
		if rapid.Bool().Draw(t, "predicate") {
			g = genBool(t, 4)
		} else {
			g = genNum(t, 4)
		}
		p, err := Compile(g.src, env, TypeAny)
		if err != nil {
			t.Fatalf("Compile(%s): %v", g.src, err)
		}
		if p.Node() == nil {
			t.Fatalf("Compile(%s).Node() = nil", g.src)
		}
		for range 4 {
			s := genScope(t)
			v, err := p.Eval(s)
			var fe *Error
			if err != nil && (!errors.As(err, &fe) || fe.Code != CodeLimit) {
				t.Fatalf("Eval(%s): %v", g.src, err)
			}
			// Where Eval fails, TryEvalNode says so and EvalNode is
			// undefined.
			for name, n := range map[string]Node{"generated": g.n, "Program.Node": p.Node()} {
				w, ok := TryEvalNode(n, s)
				if ok != (err == nil) || !w.Equal(v) {
					t.Fatalf("%s with %v: Eval = %v, %v; TryEvalNode(%s) = %v, %v", g.src, s, v, err, name, w, ok)
				}
				if w := EvalNode(n, s); !w.Equal(v) {
					t.Fatalf("%s with %v: Eval = %v, EvalNode(%s) = %v", g.src, s, v, name, w)
				}
			}
			if v.Defined() && v.Type() != p.Type() {
				t.Fatalf("%s: value %v of static type %v", g.src, v, p.Type())
			}
		}
	})
}

// strictNum generates number formulas made of operators and functions that
// propagate undefined, with the names they use.
func strictNum(t *rapid.T, depth int) string {
	k := genShape(t, depth, 10, 2, "k")
	sub := func() string { return strictNum(t, depth-1) }
	switch k {
	case 0:
		return rapid.SampledFrom([]string{"n1", "n2"}).Draw(t, "name")
	case 1:
		return "(" + genNumConst().Draw(t, "c").String() + ")"
	case 2:
		op := rapid.SampledFrom([]string{"+", "-", "*", "/", "%"}).Draw(t, "op")
		return "(" + sub() + " " + op + " " + sub() + ")"
	case 3:
		return "-" + sub()
	case 4:
		f := rapid.SampledFrom([]string{"abs", "floor", "ceil", "round"}).Draw(t, "f1")
		return f + "(" + sub() + ")"
	case 5:
		return "round(" + sub() + ", " + strconv.Itoa(rapid.IntRange(-2, 4).Draw(t, "places")) + ")"
	case 6:
		f := rapid.SampledFrom([]string{"min", "max"}).Draw(t, "fn")
		return f + "(" + sub() + ", " + sub() + ")"
	case 7:
		return "clamp(" + sub() + ", " + sub() + ", " + sub() + ")"
	case 8:
		return "(" + sub() + " ** " + strconv.Itoa(rapid.IntRange(-2, 3).Draw(t, "pow")) + ")"
	}
	return "hours(time - created_at + " + "(time - time)) * 0 + " + sub()
}

func TestUndefinedPropagates(t *testing.T) {
	env := NewEnv(Decl{"n1", TypeNumber}, Decl{"n2", TypeNumber}, Decl{"time", TypeTime}, Decl{"created_at", TypeTime})
	rapid.Check(t, func(t *rapid.T) {
		src := strictNum(t, 4)
		p, err := Compile(src, env, TypeNumber)
		if err != nil {
			t.Fatalf("Compile(%s): %v", src, err)
		}
		s := MapScope{"n1": genNumConst().Draw(t, "n1"), "n2": genNumConst().Draw(t, "n2"), "time": Time(testTime), "created_at": Time(testTime)}
		for _, r := range p.Refs() {
			missing := MapScope{}
			for k, v := range s {
				if k != r.Name {
					missing[k] = v
				}
			}
			v, err := p.Eval(missing)
			if err != nil {
				t.Fatalf("Eval(%s): %v", src, err)
			}
			if v.Defined() {
				t.Fatalf("%s without %s = %v, want undefined", src, r.Name, v)
			}
			// Comparisons with it are false, for != too; defined() and
			// coalesce() see it.
			for _, cmp := range []string{"==", "!=", "<", "<=", ">", ">="} {
				q, err := Compile("("+src+") "+cmp+" 0", env, TypeBool)
				if err != nil {
					t.Fatal(err)
				}
				if b, _ := q.Eval(missing); b != Bool(false) {
					t.Fatalf("(%s) %s 0 without %s = %v, want false", src, cmp, r.Name, b)
				}
			}
			q, _ := Compile("!defined("+src+") && coalesce("+src+", 42) == 42", env, TypeBool)
			if b, _ := q.Eval(missing); b != Bool(true) {
				t.Fatalf("defined/coalesce of %s without %s = %v", src, r.Name, b)
			}
		}
	})
}

func TestEvalNodeEdgeCases(t *testing.T) {
	s := MapScope{"x": Int(1)}
	for _, c := range []struct {
		n    Node
		want Value
	}{
		{nil, Undefined()},
		{Compare{Op: "~", L: Const{Int(1)}, R: Const{Int(1)}}, Undefined()},
		{Arith{Op: "%", L: Const{Int(1)}, R: Const{Int(1)}}, Undefined()},
		{&Compare{Op: "==", L: &Ident{Name: "x", Type: TypeNumber}, R: &Const{Int(1)}}, Bool(true)},
		{&Neg{X: &Arith{Op: "+", L: Ident{Name: "x", Type: TypeNumber}, R: Const{Int(1)}}}, Int(-2)},
		{&Not{X: &Or{L: &And{L: Const{Bool(true)}, R: Const{Undefined()}}, R: &In{X: Ident{Name: "x"}, List: []Value{Int(1)}}}}, Bool(false)},
		{Ident{Name: "x", Type: TypeString}, Undefined()},
		{Ident{Name: "x"}, Int(1)},
		{Arith{Op: "*", L: Const{Number(decimal.New(1, 900))}, R: Const{Number(decimal.New(1, 900))}}, Undefined()},
	} {
		if got := EvalNode(c.n, s); !got.Equal(c.want) {
			t.Errorf("EvalNode(%s) = %v, want %v", fmt.Sprint(c.n), got, c.want)
		}
	}
	if v := EvalNode(Ident{Name: "x"}, nil); v.Defined() {
		t.Errorf("nil scope: %v", v)
	}
}

// TestArithEvaluatesBothOperands: an operand out of the number limits fails
// the formula beside an undefined one, whichever side it is on and whatever
// the operands' static types; the number path of Eval stopped at an
// undefined first operand where EvalNode and the path of other types went on
// to the second, so one formula failed or not by how it was evaluated.
func TestArithEvaluatesBothOperands(t *testing.T) {
	env := NewEnv(nodeEnv...)
	huge := MapScope{"n1": Number(decimal.New(-9, 999))} // n2 undefined
	for _, src := range []string{"n2 + 173400 / n1", "173400 / n1 + n2", "n2 * (n1 * n1)", "(n2 - n1 * 10) - n2"} {
		p, err := Compile(src, env, TypeAny)
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.Eval(huge)
		var fe *Error
		if !errors.As(err, &fe) || fe.Code != CodeLimit {
			t.Errorf("Eval(%s) = %v, want a limit error", src, err)
		}
		if _, ok := TryEvalNode(p.Node(), huge); ok {
			t.Errorf("TryEvalNode(%s) = ok, want a limit failure", src)
		}
	}
}
