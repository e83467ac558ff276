package formula

import (
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Numbers are exact decimals. A number Value holds either a small form, a
// coefficient |i| < 10^18 with an exponent e (value i·10^e), or a
// decimal.Decimal when the coefficient is larger. Operations on small forms
// are done in integer arithmetic and give the same values as shopspring
// decimal arithmetic (results equal by value); anything that does not fit
// falls back to decimal or math/big.

const (
	tenPow18 = 1_000_000_000_000_000_000

	// MaxDigits is the largest number of significant digits, of digits
	// before the decimal point and of digits after it, that a computed
	// number may have, counted on its value (100.00 has 1 significant
	// digit and none after the point, however a decimal holds it). An
	// operation whose result (or operand) is beyond it fails with a
	// CodeLimit error.
	MaxDigits = 1000

	// DivisionDigits is the number of significant digits a division keeps
	// when the exact quotient has no finite decimal expansion.
	DivisionDigits = 16
)

var pow10u = [20]uint64{
	1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000,
	1_000_000_000, 10_000_000_000, 100_000_000_000, 1_000_000_000_000,
	10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
	10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000,
	10_000_000_000_000_000_000,
}

// evalPanic is raised (and recovered by Eval) when an evaluation must stop:
// a limit is exceeded, or a date is outside the working-day calendar.
type evalPanic struct {
	code Code
	msg  string
	pos  int   // rune offset in the source, -1 when unknown
	err  error // the cause, if any
}

func limitPanic(pos int, msg string) {
	panic(&evalPanic{code: CodeLimit, msg: msg, pos: pos})
}

func numberRangePanic(pos int) {
	limitPanic(pos, "number out of range (limit: "+strconv.Itoa(MaxDigits)+" digits)")
}

func small(c int64, e int32) Value {
	if c == 0 {
		e = 0
	}
	return mk(TypeNumber, e, c)
}

// fromU returns ±u·10^e, or panics with a limit error when e does not fit.
func fromU(neg bool, u uint64, e int64, pos int) Value {
	if e < math.MinInt32 || e > math.MaxInt32 {
		numberRangePanic(pos)
	}
	if u < tenPow18 {
		c := int64(u)
		if neg {
			c = -c
		}
		return small(c, int32(e))
	}
	b := new(big.Int).SetUint64(u)
	if neg {
		b.Neg(b)
	}
	return bigVal(decimal.NewFromBigInt(b, int32(e)))
}

// fromBig returns c·10^e (c is not retained), checking e.
func fromBig(c *big.Int, e int64, pos int) Value {
	if e < math.MinInt32 || e > math.MaxInt32 {
		numberRangePanic(pos)
	}
	if c.IsInt64() {
		if x := c.Int64(); x > -tenPow18 && x < tenPow18 {
			return small(x, int32(e))
		}
	}
	return bigVal(decimal.NewFromBigInt(c, int32(e)))
}

// bigNum converts a decimal to a number Value, in the small form when it fits.
func bigNum(d decimal.Decimal) Value {
	if d.NumDigits() <= 18 {
		return small(d.CoefficientInt64(), d.Exponent())
	}
	return bigVal(d)
}

func (v Value) dec() decimal.Decimal {
	if v.p != nil {
		return v.ext().d
	}
	return decimal.New(v.i, v.e)
}

func abs64(i int64) uint64 {
	if i < 0 {
		return uint64(-i)
	}
	return uint64(i)
}

// digitsU returns the number of decimal digits of u (1 for 0).
func digitsU(u uint64) int {
	// bits.Len64(u)·1233/4096 is floor(log10(2^len)): the digit count or
	// one less.
	n := bits.Len64(u) * 1233 >> 12
	if n < len(pow10u) && u >= pow10u[n] {
		n++
	}
	return max(n, 1)
}

func digitsBig(x *big.Int) int {
	if x.IsUint64() {
		return digitsU(x.Uint64())
	}
	if x.Sign() < 0 {
		x = new(big.Int).Abs(x)
	}
	// 30103/100000 < log10(2): n ≤ the digit count, and at most 1 less.
	n := x.BitLen() * 30103 / 100000
	if n < 1 {
		n = 1
	}
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
	for x.Cmp(p) >= 0 {
		n++
		p.Mul(p, big.NewInt(10))
	}
	return n
}

func pow10Big(n int64) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(n), nil)
}

// shape returns the number of digits of v's coefficient and its exponent.
func shape(v Value) (digits int, exp int64) {
	if v.p == nil {
		return digitsU(abs64(v.i)), int64(v.e)
	}
	return v.ext().d.NumDigits(), int64(v.ext().d.Exponent())
}

func isZeroNum(v Value) bool {
	if v.p != nil {
		return v.ext().d.IsZero()
	}
	return v.i == 0
}

func signNum(v Value) int {
	if v.p != nil {
		return v.ext().d.Sign()
	}
	switch {
	case v.i < 0:
		return -1
	case v.i > 0:
		return 1
	}
	return 0
}

func inRange(digits int, exp int64) bool {
	return digits <= MaxDigits && exp >= -MaxDigits && int64(digits)+exp <= MaxDigits
}

// outside reports whether the number v is beyond MaxDigits, without the
// panic of check: for the functions that must look at every operand before
// they fail (an undefined one makes the result undefined, as for the
// arithmetic). The limit is on the value: the trailing zeros of a
// coefficient count neither as significant digits nor as digits after the
// point (1e999 is in range when it is held as 100…0e-2, as a table of
// amounts at scale 2 holds it).
func outside(v Value) bool {
	if fast(v) || isZeroNum(v) {
		return false
	}
	d, e := shape(v)
	if inRange(d, e) {
		return false
	}
	if int64(d)+e > MaxDigits {
		return true // the leading digit's place, whatever the zeros
	}
	d, e = trimmedShape(v)
	return !inRange(d, e)
}

// trimmedShape is shape without the coefficient's trailing zeros: the
// digits of v's value and the exponent of its last nonzero digit. v is not
// zero.
func trimmedShape(v Value) (digits int, exp int64) {
	digits, exp = shape(v)
	if v.p == nil {
		u := abs64(v.i)
		for u%10 == 0 {
			u /= 10
			digits--
			exp++
		}
		return digits, exp
	}
	z := trimZeros(v.ext().d.Coefficient())
	return digits - int(z), exp + z
}

// zeroSteps are the powers of ten trimZeros divides by: 10^1000, 10^10, 10
// (read only).
var zeroSteps = [...]*big.Int{pow10Big(1000), pow10Big(10), big.NewInt(10)}

// trimZeros divides c by 10 as long as it ends in a zero and returns how
// many times it did (c is not zero).
func trimZeros(c *big.Int) (zeros int64) {
	if c.Bit(0) != 0 {
		return 0 // odd: the common case of a quotient's dividend
	}
	q, r := new(big.Int), new(big.Int)
	// By the thousand, then by the ten, then one by one: a coefficient may
	// end in tens of thousands of zeros.
	for i, k := range [...]int64{1000, 10, 1} {
		p := zeroSteps[i]
		for {
			q.QuoRem(c, p, r)
			if r.Sign() != 0 {
				break
			}
			c.Set(q)
			zeros += k
		}
	}
	return zeros
}

// check panics with a limit error when v is out of range.
func check(v Value, pos int) Value {
	if !fast(v) && outside(v) {
		numberRangePanic(pos)
	}
	return v
}

// fast reports whether v is a small form whose exponent keeps it within
// MaxDigits whatever its coefficient: the common case, which the
// operations test before they take a shortcut of the small form.
func fast(v Value) bool {
	// -MaxDigits ≤ e ≤ MaxDigits-18 in one comparison.
	return v.p == nil && uint32(v.e+MaxDigits) <= 2*MaxDigits-18
}

// operands panics with a limit error when an operand is beyond MaxDigits,
// in either form: a small form's shortcut (x × 0, x / x) must not give a
// value where the same number in the big form fails. The operations call
// it only when fast fails for one of them, so that the common case costs
// no call.
func operands(a, b Value, pos int) {
	check(a, pos)
	check(b, pos)
}

// mulPow10 returns c·10^k when it is still a small coefficient.
func mulPow10(c int64, k int64) (int64, bool) {
	if k < 0 || k > 18 {
		return 0, false
	}
	u := abs64(c)
	hi, lo := bits.Mul64(u, pow10u[k])
	if hi != 0 || lo >= tenPow18 {
		return 0, false
	}
	if c < 0 {
		return -int64(lo), true
	}
	return int64(lo), true
}

func cmp64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpNum compares two numbers by value. It never allocates for small forms
// and never scales a number by more than its own digit count.
func cmpNum(a, b Value) int {
	if a.p == nil && b.p == nil {
		if a.e == b.e {
			return cmp64(a.i, b.i)
		}
		sa, sb := signNum(a), signNum(b)
		if sa != sb {
			return cmp64(int64(sa), int64(sb))
		}
		if sa == 0 {
			return 0
		}
		if a.e > b.e {
			if x, ok := mulPow10(a.i, int64(a.e)-int64(b.e)); ok {
				return cmp64(x, b.i)
			}
			// |a| ≥ 10^18 > |b|
			return sa
		}
		if y, ok := mulPow10(b.i, int64(b.e)-int64(a.e)); ok {
			return cmp64(a.i, y)
		}
		return -sb
	}
	sa, sb := signNum(a), signNum(b)
	if sa != sb {
		return cmp64(int64(sa), int64(sb))
	}
	if sa == 0 {
		return 0
	}
	da, ea := shape(a)
	db, eb := shape(b)
	la, lb := int64(da)+ea, int64(db)+eb // position above the leading digit
	if la != lb {
		if la > lb {
			return sa
		}
		return -sa
	}
	// Same leading position: the exponents differ by at most the digit counts.
	return a.dec().Cmp(b.dec())
}

// negNum is -v, or a limit error when v is beyond MaxDigits, as for the
// arithmetic.
func negNum(v Value, pos int) Value {
	if !fast(v) {
		check(v, pos)
	}
	if v.p == nil {
		return small(-v.i, v.e)
	}
	return bigNum(v.ext().d.Neg())
}

// absNum is |v|, or a limit error when v is beyond MaxDigits, as for the
// arithmetic.
func absNum(v Value, pos int) Value {
	if !fast(v) {
		check(v, pos)
	}
	if v.p == nil {
		if v.i < 0 {
			return small(-v.i, v.e)
		}
		return v
	}
	return bigNum(v.ext().d.Abs())
}

func addNum(a, b Value, pos int) Value {
	if !fast(a) || !fast(b) {
		operands(a, b, pos)
	}
	if a.p == nil && b.p == nil {
		switch {
		case a.e == b.e:
			return fromSum(a.i+b.i, a.e, pos)
		case a.e > b.e:
			if x, ok := mulPow10(a.i, int64(a.e)-int64(b.e)); ok {
				return fromSum(x+b.i, b.e, pos)
			}
		default:
			if y, ok := mulPow10(b.i, int64(b.e)-int64(a.e)); ok {
				return fromSum(a.i+y, a.e, pos)
			}
		}
	}
	return check(bigNum(a.dec().Add(b.dec())), pos)
}

// fromSum returns s·10^e for |s| < 2·10^18, or panics with a limit error
// when it has more than MaxDigits digits before the decimal point (a carry
// past 10^1000).
func fromSum(s int64, e int32, pos int) Value {
	small18 := s > -tenPow18 && s < tenPow18
	if small18 && e <= MaxDigits-18 {
		return small(s, e)
	}
	if small18 {
		return check(small(s, e), pos)
	}
	return check(bigVal(decimal.New(s, e)), pos)
}

func subNum(a, b Value, pos int) Value { return addNum(a, negNum(b, pos), pos) }

func mulNum(a, b Value, pos int) Value {
	if !fast(a) || !fast(b) {
		operands(a, b, pos)
	}
	if a.p == nil && b.p == nil {
		hi, lo := bits.Mul64(abs64(a.i), abs64(b.i))
		if hi == 0 {
			return check(fromU((a.i < 0) != (b.i < 0), lo, int64(a.e)+int64(b.e), pos), pos)
		}
	}
	return check(bigNum(a.dec().Mul(b.dec())), pos)
}

// divNum divides exactly when the quotient has a finite decimal expansion,
// and otherwise rounds it to DivisionDigits significant digits (half away
// from zero; a tie cannot happen then). Division by zero is undefined.
func divNum(a, b Value, pos int) Value {
	if isZeroNum(b) {
		return Value{} // never an error, whatever a is
	}
	// The divisor is checked before 0 / b gives 0, as 0 * b checks it.
	if !fast(a) || !fast(b) {
		operands(a, b, pos)
	}
	if isZeroNum(a) {
		return small(0, 0)
	}
	if a.p == nil && b.p == nil {
		if v, ok := divSmall(a, b, pos); ok {
			return check(v, pos)
		}
	}
	return check(divBig(a.dec(), b.dec(), pos), pos)
}

func gcd(a, b uint64) uint64 {
	if a == 0 {
		return b
	}
	if b == 0 {
		return a
	}
	shift := bits.TrailingZeros64(a | b)
	a >>= bits.TrailingZeros64(a)
	for b != 0 {
		b >>= bits.TrailingZeros64(b)
		if a > b {
			a, b = b, a
		}
		b -= a
	}
	return a << shift
}

func divSmall(a, b Value, pos int) (Value, bool) {
	neg := (a.i < 0) != (b.i < 0)
	A, B := abs64(a.i), abs64(b.i)
	e := int64(a.e) - int64(b.e)
	g := gcd(A, B)
	A, B = A/g, B/g
	// Terminating when B = 2^t·5^f.
	t := bits.TrailingZeros64(B)
	r := B >> t
	f := 0
	for r%5 == 0 {
		r /= 5
		f++
	}
	if r == 1 {
		k := max(t, f)
		c := A
		if bits.LeadingZeros64(c) < k-t {
			return Value{}, false
		}
		c <<= k - t
		for i := f; i < k; i++ {
			if c > math.MaxUint64/5 {
				return Value{}, false
			}
			c *= 5
		}
		return fromU(neg, c, e-int64(k), pos), true
	}
	// Not terminating: round to DivisionDigits significant digits.
	// L = floor(log10(A/B)); A < 10^18 and B < 10^18, so -18 < L < 18.
	L := digitsU(A) - digitsU(B)
	var ge bool
	if L >= 0 {
		hi, lo := bits.Mul64(B, pow10u[L])
		ge = hi == 0 && A >= lo
	} else {
		hi, lo := bits.Mul64(A, pow10u[-L])
		ge = hi > 0 || lo >= B
	}
	if !ge {
		L--
	}
	s := DivisionDigits - 1 - L
	var q, rem, d uint64
	if s >= 0 {
		// A·10^s < B·10^DivisionDigits < 2^118: two 64-bit multiplications.
		hi, lo := uint64(0), A
		for k := s; k > 0; {
			step := min(k, 19)
			h1, l1 := bits.Mul64(lo, pow10u[step])
			_, l2 := bits.Mul64(hi, pow10u[step])
			hi, lo = h1+l2, l1
			k -= step
		}
		if hi >= B {
			return Value{}, false
		}
		q, rem = bits.Div64(hi, lo, B)
		d = B
	} else {
		d = B * pow10u[-s] // B < 10^2 here
		q, rem = A/d, A%d
	}
	if rem >= d-rem {
		q++
	}
	return fromU(neg, q, e-int64(s), pos), true
}

func divBig(a, b decimal.Decimal, pos int) Value {
	A := a.Coefficient()
	B := b.Coefficient()
	neg := A.Sign() != B.Sign()
	A.Abs(A)
	B.Abs(B)
	e := int64(a.Exponent()) - int64(b.Exponent())
	g := new(big.Int).GCD(nil, nil, A, B)
	A.Quo(A, g)
	B.Quo(B, g)
	// A's trailing zeros go to the exponent, so that the bound below is on
	// the value's digits (1e-992 held as 10^2518·10^-3510, over 1).
	if A.Sign() != 0 {
		e += trimZeros(A)
	}
	t := int(B.TrailingZeroBits())
	r := new(big.Int).Rsh(B, uint(t))
	f := 0
	five := big.NewInt(5)
	q, m := new(big.Int), new(big.Int)
	for {
		q.QuoRem(r, five, m)
		if m.Sign() != 0 {
			break
		}
		r.Set(q)
		f++
	}
	sign := func(x *big.Int) *big.Int {
		if neg {
			x.Neg(x)
		}
		return x
	}
	if r.IsInt64() && r.Int64() == 1 {
		k := max(t, f)
		if digitsBig(A)+k > 2*MaxDigits {
			numberRangePanic(pos)
		}
		c := new(big.Int).Lsh(A, uint(k-t))
		c.Mul(c, new(big.Int).Exp(five, big.NewInt(int64(k-f)), nil))
		return fromBig(sign(c), e-int64(k), pos)
	}
	L := digitsBig(A) - digitsBig(B)
	var ge bool
	if L >= 0 {
		ge = A.Cmp(new(big.Int).Mul(B, pow10Big(int64(L)))) >= 0
	} else {
		ge = new(big.Int).Mul(A, pow10Big(int64(-L))).Cmp(B) >= 0
	}
	if !ge {
		L--
	}
	s := DivisionDigits - 1 - L
	N, D := A, B
	if s >= 0 {
		N = new(big.Int).Mul(A, pow10Big(int64(s)))
	} else {
		D = new(big.Int).Mul(B, pow10Big(int64(-s)))
	}
	q.QuoRem(N, D, m)
	m.Lsh(m, 1)
	if m.Cmp(D) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	return fromBig(sign(q), e-int64(s), pos)
}

// modNum is the remainder of truncated division: a - b·trunc(a/b), with the
// sign of a. x % 0 is undefined.
func modNum(a, b Value, pos int) Value {
	if isZeroNum(b) {
		return Value{} // never an error, whatever a is
	}
	if !fast(a) || !fast(b) {
		operands(a, b, pos)
	}
	if a.p == nil && b.p == nil && a.e == b.e {
		return small(a.i%b.i, a.e)
	}
	return check(bigNum(a.dec().Mod(b.dec())), pos)
}

// powNum raises x to a whole power n (|n| ≤ MaxPower).
func powNum(x Value, n int, pos int) Value {
	if !fast(x) {
		check(x, pos)
	}
	if n == 0 {
		return small(1, 0)
	}
	if n < 0 {
		return divNum(small(1, 0), powNum(x, -n, pos), pos)
	}
	if isZeroNum(x) {
		return small(0, 0)
	}
	// x^n has at least (d-1)·n+1 digits, d those of x's value.
	if d, e := shape(x); !inRange((d-1)*n+1, e*int64(n)) {
		if d, e = trimmedShape(x); !inRange((d-1)*n+1, e*int64(n)) {
			numberRangePanic(pos)
		}
	}
	r, base := small(1, 0), x
	for {
		if n&1 != 0 {
			r = mulNum(r, base, pos)
		}
		n >>= 1
		if n == 0 {
			return r
		}
		base = mulNum(base, base, pos)
	}
}

// roundNum rounds x to places digits after the decimal point (before it
// when places is negative), half away from zero.
func roundNum(x Value, places int, pos int) Value {
	if !fast(x) {
		check(x, pos)
	}
	if x.p == nil {
		k := int64(-places) - int64(x.e)
		if k <= 0 {
			return x
		}
		if k > 18 {
			return small(0, 0)
		}
		p := int64(pow10u[k])
		q, r := x.i/p, x.i%p
		if 2*abs64(r) >= uint64(p) {
			if x.i < 0 {
				q--
			} else {
				q++
			}
		}
		// A carry may reach 10^1000: round(9.5e999, -999).
		return check(small(q, int32(-places)), pos)
	}
	return check(bigNum(x.ext().d.Round(int32(places))), pos)
}

func floorNum(x Value, pos int) Value { return toWhole(x, pos, -1) }

func ceilNum(x Value, pos int) Value { return toWhole(x, pos, 1) }

// toWhole is x rounded to a whole number toward minus infinity (dir -1:
// floor) or plus infinity (dir 1: ceil).
func toWhole(x Value, pos int, dir int64) Value {
	if !fast(x) {
		check(x, pos)
	}
	if x.p == nil {
		if x.e >= 0 {
			return x
		}
		// Past 18 places |x| < 1: the whole number beside it on dir's
		// side is dir where x lies on that side, else 0.
		k := -int64(x.e)
		if k > 18 {
			if x.i != 0 && (x.i < 0) == (dir < 0) {
				return small(dir, 0)
			}
			return small(0, 0)
		}
		p := int64(pow10u[k])
		q, r := x.i/p, x.i%p
		if r != 0 && (r < 0) == (dir < 0) {
			q += dir
		}
		return small(q, 0)
	}
	if dir < 0 {
		return bigNum(x.ext().d.Floor())
	}
	return bigNum(x.ext().d.Ceil())
}

// wholeInt reports whether x is an integer small enough for an int, and
// returns it.
func wholeInt(x Value) (int, bool) {
	if x.p == nil {
		if x.e >= 0 {
			c, ok := mulPow10(x.i, int64(x.e))
			if !ok {
				return 0, false
			}
			return int(c), true
		}
		k := -int64(x.e)
		if k > 18 {
			return 0, x.i == 0
		}
		p := int64(pow10u[k])
		if x.i%p != 0 {
			return 0, false
		}
		return int(x.i / p), true
	}
	return 0, false
}

// formatNum writes a number in full, without exponent or trailing zeros.
// Numbers far out of range use an exponent rather than a million zeros.
func formatNum(v Value) string {
	var digits string
	var exp int64
	if v.p == nil {
		digits = strconv.FormatInt(v.i, 10)
		exp = int64(v.e)
	} else {
		digits = v.ext().d.Coefficient().String()
		exp = int64(v.ext().d.Exponent())
	}
	neg := strings.HasPrefix(digits, "-")
	digits = strings.TrimPrefix(digits, "-")
	if digits == "0" {
		return "0"
	}
	for len(digits) > 1 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
		exp++
	}
	var s string
	switch {
	case exp > MaxDigits || exp < -2*MaxDigits:
		s = digits + "e" + strconv.FormatInt(exp, 10)
	case exp >= 0:
		s = digits + strings.Repeat("0", int(exp))
	case int64(len(digits)) > -exp:
		cut := len(digits) + int(exp)
		s = digits[:cut] + "." + digits[cut:]
	default:
		s = "0." + strings.Repeat("0", int(-exp)-len(digits)) + digits
	}
	if neg {
		return "-" + s
	}
	return s
}
