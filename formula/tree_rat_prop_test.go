package formula

import (
	"errors"
	"math/big"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// ratVal is a value of the reference evaluator: a number as a big.Rat, a
// bool, or undefined (neither).
type ratVal struct {
	num  *big.Rat
	b    bool
	isB  bool
	huge bool // a number on the way had more than about 900 digits
}

// ratScope holds the values of the names n1, n2, n3 (numbers) and b1 (a
// bool); a name missing is undefined.
type ratScope struct {
	nums map[string]*big.Rat
	bool map[string]bool
}

// ratTree is a generated formula: its text and its value computed by the
// reference, with big.Rat, from the rules of docs/formulas.md.
type ratTree struct {
	src  string
	eval func(s ratScope) ratVal
}

var ratTen = big.NewInt(10)

// ratPow10 is 10^n as a big.Rat, n of any sign.
func ratPow10(n int) *big.Rat {
	p := new(big.Int).Exp(ratTen, big.NewInt(int64(max(n, -n))), nil)
	if n < 0 {
		return new(big.Rat).SetFrac(big.NewInt(1), p)
	}
	return new(big.Rat).SetInt(p)
}

// terminates reports whether r has a finite decimal expansion: its
// denominator in lowest terms has no prime factor but 2 and 5.
func terminates(r *big.Rat) bool {
	d := new(big.Int).Set(r.Denom())
	m := new(big.Int)
	for _, p := range []int64{2, 5} {
		bp := big.NewInt(p)
		for {
			q, rem := new(big.Int).QuoRem(d, bp, m)
			if rem.Sign() != 0 {
				break
			}
			d = q
		}
	}
	return d.Cmp(big.NewInt(1)) == 0
}

// ratRoundHalfAway rounds r to a whole multiple of 10^-places, half away
// from zero.
func ratRoundHalfAway(r *big.Rat, places int) *big.Rat {
	scaled := new(big.Rat).Mul(new(big.Rat).Abs(r), ratPow10(places))
	// floor(scaled + 1/2)
	scaled.Add(scaled, big.NewRat(1, 2))
	q := new(big.Int).Quo(scaled.Num(), scaled.Denom())
	out := new(big.Rat).SetInt(q)
	out.Quo(out, ratPow10(places))
	if r.Sign() < 0 {
		out.Neg(out)
	}
	return out
}

// ratFloor is the largest whole number at or below r.
func ratFloor(r *big.Rat) *big.Rat {
	// Euclidean division is the floor for a positive denominator.
	q, _ := new(big.Int).DivMod(r.Num(), r.Denom(), new(big.Int))
	return new(big.Rat).SetInt(q)
}

// ratDiv is a / b as formulas divide: undefined by zero, exact when the
// quotient terminates, else to 16 significant digits (to nearest: a
// non-terminating quotient has no tie).
func ratDiv(a, b *big.Rat) *big.Rat {
	if b.Sign() == 0 {
		return nil
	}
	q := new(big.Rat).Quo(a, b)
	if q.Sign() == 0 || terminates(q) {
		return q
	}
	// L = floor(log10 |q|), by comparing with powers of ten.
	abs := new(big.Rat).Abs(q)
	L := len(abs.Num().String()) - len(abs.Denom().String())
	for abs.Cmp(ratPow10(L)) < 0 {
		L--
	}
	for abs.Cmp(ratPow10(L+1)) >= 0 {
		L++
	}
	return ratRoundHalfAway(q, DivisionDigits-1-L)
}

// ratOf reads a number Value as a big.Rat.
func ratOf(d decimal.Decimal) *big.Rat {
	r, ok := new(big.Rat).SetString(d.String())
	if !ok {
		panic("unreadable decimal " + d.String())
	}
	return r
}

func numV(r *big.Rat, huge bool) ratVal {
	if r == nil {
		return ratVal{huge: huge}
	}
	return ratVal{num: r, huge: huge || r.Num().BitLen() > 3000 || r.Denom().BitLen() > 3000}
}

func boolV(b bool, huge bool) ratVal { return ratVal{b: b, isB: true, huge: huge} }

// genRatNum draws a number formula of at most depth levels.
func genRatNum(t *rapid.T, depth int) ratTree {
	k := rapid.IntRange(0, 15).Draw(t, "num")
	if depth <= 0 {
		k = rapid.IntRange(0, 1).Draw(t, "num leaf")
	}
	sub := func() ratTree { return genRatNum(t, depth-1) }
	switch k {
	case 0:
		name := rapid.SampledFrom([]string{"n1", "n2", "n3"}).Draw(t, "name")
		return ratTree{name, func(s ratScope) ratVal {
			if r, ok := s.nums[name]; ok {
				return numV(new(big.Rat).Set(r), false)
			}
			return ratVal{}
		}}
	case 1:
		c := rapid.Int64Range(-2000, 2000).Draw(t, "c")
		e := rapid.IntRange(-3, 2).Draw(t, "e")
		d := decimal.New(c, int32(e))
		text := d.String()
		r := ratOf(d)
		return ratTree{"(" + text + ")", func(ratScope) ratVal { return numV(new(big.Rat).Set(r), false) }}
	case 2, 3:
		op := rapid.SampledFrom([]string{"+", "-", "*", "/", "%"}).Draw(t, "op")
		a, b := sub(), sub()
		return ratTree{"(" + a.src + " " + op + " " + b.src + ")", func(s ratScope) ratVal {
			x, y := a.eval(s), b.eval(s)
			huge := x.huge || y.huge
			if x.num == nil || y.num == nil {
				return ratVal{huge: huge}
			}
			switch op {
			case "+":
				return numV(new(big.Rat).Add(x.num, y.num), huge)
			case "-":
				return numV(new(big.Rat).Sub(x.num, y.num), huge)
			case "*":
				return numV(new(big.Rat).Mul(x.num, y.num), huge)
			case "/":
				return numV(ratDiv(x.num, y.num), huge)
			}
			if y.num.Sign() == 0 {
				return ratVal{huge: huge}
			}
			// a - b·trunc(a/b): the sign of a.
			q := new(big.Rat).Quo(x.num, y.num)
			tr := new(big.Rat).SetInt(new(big.Int).Quo(q.Num(), q.Denom()))
			return numV(new(big.Rat).Sub(x.num, new(big.Rat).Mul(y.num, tr)), huge)
		}}
	case 4:
		a := sub()
		return ratTree{"-" + a.src, func(s ratScope) ratVal {
			x := a.eval(s)
			if x.num == nil {
				return x
			}
			return numV(new(big.Rat).Neg(x.num), x.huge)
		}}
	case 5:
		f := rapid.SampledFrom([]string{"abs", "floor", "ceil", "round"}).Draw(t, "f1")
		a := sub()
		return ratTree{f + "(" + a.src + ")", func(s ratScope) ratVal {
			x := a.eval(s)
			if x.num == nil {
				return x
			}
			switch f {
			case "abs":
				return numV(new(big.Rat).Abs(x.num), x.huge)
			case "floor":
				return numV(ratFloor(x.num), x.huge)
			case "ceil":
				return numV(new(big.Rat).Neg(ratFloor(new(big.Rat).Neg(x.num))), x.huge)
			}
			return numV(ratRoundHalfAway(x.num, 0), x.huge)
		}}
	case 6:
		a := sub()
		p := rapid.IntRange(-3, 5).Draw(t, "places")
		return ratTree{"round(" + a.src + ", " + strconv.Itoa(p) + ")", func(s ratScope) ratVal {
			x := a.eval(s)
			if x.num == nil {
				return x
			}
			return numV(ratRoundHalfAway(x.num, p), x.huge)
		}}
	case 7:
		// Computed places (never a constant, which must be whole when
		// compiled): undefined unless a whole number within ±1000.
		a, p := sub(), sub()
		return ratTree{"round(" + a.src + ", " + p.src + " + 0 * n3)", func(s ratScope) ratVal {
			x, y := a.eval(s), p.eval(s)
			huge := x.huge || y.huge
			if _, ok := s.nums["n3"]; !ok {
				return ratVal{huge: huge}
			}
			if x.num == nil || y.num == nil || !y.num.IsInt() || y.num.Num().CmpAbs(big.NewInt(MaxDigits)) > 0 {
				return ratVal{huge: huge}
			}
			return numV(ratRoundHalfAway(x.num, int(y.num.Num().Int64())), huge)
		}}
	case 8:
		f := rapid.SampledFrom([]string{"min", "max"}).Draw(t, "extremum")
		args, srcs := genRatArgs(t, depth-1, rapid.IntRange(2, 3).Draw(t, "args"))
		return ratTree{f + "(" + srcs + ")", func(s ratScope) ratVal {
			vals, huge := ratEvalAll(args, s)
			if len(vals) < len(args) {
				return ratVal{huge: huge} // undefined if one is
			}
			return numV(ratExtremum(f, vals), huge)
		}}
	case 9:
		a, lo, hi := sub(), sub(), sub()
		return ratTree{"clamp(" + a.src + ", " + lo.src + ", " + hi.src + ")", func(s ratScope) ratVal {
			x, l, h := a.eval(s), lo.eval(s), hi.eval(s)
			huge := x.huge || l.huge || h.huge
			if x.num == nil || l.num == nil || h.num == nil || l.num.Cmp(h.num) > 0 {
				return ratVal{huge: huge}
			}
			switch {
			case x.num.Cmp(l.num) < 0:
				return numV(l.num, huge)
			case x.num.Cmp(h.num) > 0:
				return numV(h.num, huge)
			}
			return numV(x.num, huge)
		}}
	case 10:
		a := sub()
		n := rapid.IntRange(-3, 3).Draw(t, "power")
		op := rapid.SampledFrom([]string{"**", "^"}).Draw(t, "power op")
		// The power binds tighter than a sign: the base in parentheses.
		return ratTree{"((" + a.src + ") " + op + " " + strconv.Itoa(n) + ")", func(s ratScope) ratVal {
			x := a.eval(s)
			if x.num == nil {
				return x
			}
			p := big.NewRat(1, 1)
			for range max(n, -n) {
				p.Mul(p, x.num)
			}
			if n < 0 {
				return numV(ratDiv(big.NewRat(1, 1), p), x.huge)
			}
			return numV(p, x.huge)
		}}
	case 11:
		c, a, b := genRatBool(t, depth-1), sub(), sub()
		src := "(" + c.src + " ? " + a.src + " : " + b.src + ")"
		if rapid.Bool().Draw(t, "if form") {
			src = "if(" + c.src + ", " + a.src + ", " + b.src + ")"
		}
		return ratTree{src, func(s ratScope) ratVal {
			// Only the branch taken is computed.
			if x := c.eval(s); x.isB && x.b {
				return a.eval(s)
			}
			return b.eval(s)
		}}
	case 12:
		a, b := sub(), sub()
		src := "coalesce(" + a.src + ", " + b.src + ")"
		if rapid.Bool().Draw(t, "?? form") {
			// ?? takes no other operator beside it unparenthesized.
			src = "((" + a.src + ") ?? (" + b.src + "))"
		}
		return ratTree{src, func(s ratScope) ratVal {
			if x := a.eval(s); x.num != nil {
				return x
			}
			return b.eval(s)
		}}
	case 13:
		// sum, avg, count, min and max of a list skip its undefined
		// elements.
		f := rapid.SampledFrom([]string{"sum", "avg", "count", "min", "max"}).Draw(t, "aggregate")
		args, srcs := genRatArgs(t, depth-1, rapid.IntRange(1, 3).Draw(t, "elements"))
		return ratTree{f + "([" + srcs + "])", func(s ratScope) ratVal {
			vals, huge := ratEvalAll(args, s)
			sum := new(big.Rat)
			for _, v := range vals {
				sum.Add(sum, v)
			}
			switch f {
			case "sum":
				return numV(sum, huge)
			case "count":
				return numV(big.NewRat(int64(len(vals)), 1), huge)
			case "avg":
				if len(vals) == 0 {
					return ratVal{huge: huge}
				}
				return numV(ratDiv(sum, big.NewRat(int64(len(vals)), 1)), huge)
			}
			if len(vals) == 0 {
				return ratVal{huge: huge}
			}
			return numV(ratExtremum(f, vals), huge)
		}}
	}
	// A sign before a term.
	a := sub()
	return ratTree{"+" + a.src, a.eval}
}

// genRatArgs draws n number formulas of at most depth levels, and their
// texts joined by commas.
func genRatArgs(t *rapid.T, depth, n int) ([]ratTree, string) {
	var args []ratTree
	var srcs []string
	for range n {
		a := genRatNum(t, depth)
		args, srcs = append(args, a), append(srcs, a.src)
	}
	return args, strings.Join(srcs, ", ")
}

// ratEvalAll evaluates every formula of args, returning the defined
// values and whether a number grew huge on the way.
func ratEvalAll(args []ratTree, s ratScope) (vals []*big.Rat, huge bool) {
	for _, a := range args {
		x := a.eval(s)
		huge = huge || x.huge
		if x.num != nil {
			vals = append(vals, x.num)
		}
	}
	return vals, huge
}

// ratExtremum is the smallest (f "min") or largest of vals.
func ratExtremum(f string, vals []*big.Rat) *big.Rat {
	best := vals[0]
	for _, v := range vals[1:] {
		if c := v.Cmp(best); f == "min" && c < 0 || f == "max" && c > 0 {
			best = v
		}
	}
	return best
}

// genRatBool draws a bool formula over number formulas.
func genRatBool(t *rapid.T, depth int) ratTree {
	k := rapid.IntRange(0, 6).Draw(t, "bool")
	if depth <= 0 {
		k = rapid.IntRange(0, 1).Draw(t, "bool leaf")
	}
	switch k {
	case 0:
		return ratTree{"b1", func(s ratScope) ratVal {
			if b, ok := s.bool["b1"]; ok {
				return boolV(b, false)
			}
			return ratVal{}
		}}
	case 1, 2:
		op := rapid.SampledFrom([]string{"==", "!=", "<", "<=", ">", ">="}).Draw(t, "cmp")
		a, b := genRatNum(t, depth-1), genRatNum(t, depth-1)
		return ratTree{"(" + a.src + " " + op + " " + b.src + ")", func(s ratScope) ratVal {
			x, y := a.eval(s), b.eval(s)
			huge := x.huge || y.huge
			if x.num == nil || y.num == nil {
				return boolV(false, huge) // false, for != too
			}
			return boolV(Holds(op, x.num.Cmp(y.num)), huge)
		}}
	case 3:
		op := rapid.SampledFrom([]string{"&&", "and", "||", "or"}).Draw(t, "logic")
		a, b := genRatBool(t, depth-1), genRatBool(t, depth-1)
		return ratTree{"(" + a.src + " " + op + " " + b.src + ")", func(s ratScope) ratVal {
			x := a.eval(s)
			xt := x.isB && x.b
			if op == "&&" || op == "and" {
				if !xt {
					return boolV(false, x.huge)
				}
				y := b.eval(s)
				return boolV(y.isB && y.b, x.huge || y.huge)
			}
			if xt {
				return boolV(true, x.huge)
			}
			y := b.eval(s)
			return boolV(y.isB && y.b, x.huge || y.huge)
		}}
	case 4:
		op := rapid.SampledFrom([]string{"!", "not "}).Draw(t, "not")
		a := genRatBool(t, depth-1)
		return ratTree{op + "(" + a.src + ")", func(s ratScope) ratVal {
			x := a.eval(s)
			return boolV(!(x.isB && x.b), x.huge)
		}}
	case 5:
		a := genRatNum(t, depth-1)
		return ratTree{"defined(" + a.src + ")", func(s ratScope) ratVal {
			x := a.eval(s)
			return boolV(x.num != nil, x.huge)
		}}
	}
	// x in / not in a list of constants: false when x is undefined.
	a := genRatNum(t, depth-1)
	not := rapid.Bool().Draw(t, "not in")
	var list []*big.Rat
	var srcs []string
	for range rapid.IntRange(1, 3).Draw(t, "list") {
		d := decimal.New(rapid.Int64Range(-20, 20).Draw(t, "elem"), int32(rapid.IntRange(-1, 0).Draw(t, "elem e")))
		list, srcs = append(list, ratOf(d)), append(srcs, d.String())
	}
	op := " in "
	if not {
		op = " not in "
	}
	return ratTree{"(" + a.src + op + "[" + strings.Join(srcs, ", ") + "])", func(s ratScope) ratVal {
		x := a.eval(s)
		if x.num == nil {
			return boolV(false, x.huge)
		}
		found := false
		for _, e := range list {
			found = found || e.Cmp(x.num) == 0
		}
		return boolV(found != not, x.huge)
	}}
}

// genRatInput draws a value for a name: often small, sometimes a
// coefficient of 18 to 25 digits (the big form), sometimes undefined.
func genRatInput(t *rapid.T, name string) (decimal.Decimal, bool) {
	if rapid.IntRange(0, 5).Draw(t, name+" undefined") == 0 {
		return decimal.Decimal{}, false
	}
	var c *big.Int
	switch rapid.IntRange(0, 3).Draw(t, name+" size") {
	case 0:
		c = big.NewInt(rapid.Int64Range(-10, 10).Draw(t, name+" tiny"))
	case 1, 2:
		c = big.NewInt(rapid.Int64Range(-1_000_000, 1_000_000).Draw(t, name+" c"))
	default:
		s := rapid.StringMatching(`-?[1-9][0-9]{17,24}`).Draw(t, name+" digits")
		c, _ = new(big.Int).SetString(s, 10)
	}
	return decimal.NewFromBigInt(c, int32(rapid.IntRange(-6, 3).Draw(t, name+" exp"))), true
}

// Random trees of arithmetic, rounding, extrema, clamp, powers,
// conditions, coalesce, list aggregates, comparisons and logic evaluate to
// what a reference written with big.Rat from docs/formulas.md computes:
// exact arithmetic, division exact when it terminates and else to 16
// significant digits, x / 0 and x % 0 undefined, rounding half away from
// zero, undefined propagating through arithmetic and functions, false in
// comparisons and conditions, skipped in list aggregates. A formula whose
// numbers grow past about 900 digits on the way may fail with the limit
// error instead.
func TestTreeAgainstRatProp(t *testing.T) {
	env := NewEnv(Decl{"n1", TypeNumber}, Decl{"n2", TypeNumber}, Decl{"n3", TypeNumber}, Decl{"b1", TypeBool})
	rapid.Check(t, func(t *rapid.T) {
		var tree ratTree
		want := TypeNumber
		if rapid.IntRange(0, 3).Draw(t, "predicate") == 0 {
			tree, want = genRatBool(t, 4), TypeBool
		} else {
			tree = genRatNum(t, 4)
		}
		p, err := Compile(tree.src, env, want)
		if err != nil {
			t.Fatalf("Compile(%s): %v", tree.src, err)
		}
		for i := range 3 {
			s := MapScope{}
			rs := ratScope{nums: map[string]*big.Rat{}, bool: map[string]bool{}}
			for _, name := range []string{"n1", "n2", "n3"} {
				if d, ok := genRatInput(t, name+strconv.Itoa(i)); ok {
					s[name] = Number(d)
					rs.nums[name] = ratOf(d)
				}
			}
			if rapid.IntRange(0, 3).Draw(t, "b1 undefined") > 0 {
				b := rapid.Bool().Draw(t, "b1")
				s["b1"] = Bool(b)
				rs.bool["b1"] = b
			}
			ref := tree.eval(rs)
			got, err := p.Eval(s)
			if err != nil {
				var fe *Error
				if ref.huge && errors.As(err, &fe) && fe.Code == CodeLimit {
					continue
				}
				t.Fatalf("%s with %v: %v; want %s", tree.src, s, err, ratText(ref))
			}
			if want == TypeBool {
				b, ok := got.Bool()
				if ok != ref.isB || b != ref.b {
					t.Fatalf("%s with %v = %v, want %s", tree.src, s, got, ratText(ref))
				}
				continue
			}
			d, ok := got.Number()
			if ok != (ref.num != nil) || ok && ratOf(d).Cmp(ref.num) != 0 {
				t.Fatalf("%s with %v = %v, want %s", tree.src, s, got, ratText(ref))
			}
		}
	})
}

func ratText(v ratVal) string {
	switch {
	case v.isB:
		return strconv.FormatBool(v.b)
	case v.num != nil:
		if terminates(v.num) {
			// The exact decimal.
			return v.num.FloatString(60) + " (" + v.num.RatString() + ")"
		}
		return v.num.RatString()
	}
	return "undefined"
}
