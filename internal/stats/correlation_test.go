package stats

import (
	"errors"
	"math/big"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func TestPearson(t *testing.T) {
	for _, tt := range []struct {
		name   string
		xs, ys []decimal.Decimal
		want   string
		err    error
	}{
		// n=3, Σx=6, Σy=6, Σxy=13, Σx²=Σy²=14: r = 3/√(6·6) = 0.5.
		{"exact half", decs("1", "2", "3"), decs("1", "3", "2"), "0.5", nil},
		{"rising line", decs("1", "2", "3", "4"), decs("10", "20", "30", "40"), "1", nil},
		{"falling line", decs("1", "2", "3"), decs("5.5", "3.5", "1.5"), "-1", nil},
		{"uncorrelated", decs("1", "2", "3"), decs("1", "0", "1"), "0", nil},
		// Σy=7, Σxy=17, Σy²=21: r = 9/√(6·14), r² = 27/28,
		// √(27/28) = 0.98198050606196571569…
		{"rounded to 16 digits", decs("1", "2", "3"), decs("1", "2", "4"), "0.9819805060619657", nil},
		// A=12, B=20, C=12: r² = 3/5, √ = 0.77459666924148337703… (the
		// 17th digit rounds the 16th up).
		{"rounded half up", decs("0", "1", "2", "3"), decs("0", "0", "0", "1"), "0.7745966692414834", nil},
		{"small values", decs("0.001", "0.002", "0.003"), decs("-0.001", "-0.003", "-0.002"), "-0.5", nil},
		{"two points", decs("1", "2"), decs("3", "4"), "", ErrFewPoints},
		{"constant x", decs("2", "2", "2"), decs("1", "2", "3"), "", ErrConstantX},
		{"constant y", decs("1", "2", "3"), decs("0", "0", "0"), "", ErrConstantY},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Pearson(tt.xs, tt.ys)
			if !errors.Is(err, tt.err) || (err == nil && got.String() != tt.want) {
				t.Errorf("Pearson = %s, %v; want %s, %v", got, err, tt.want, tt.err)
			}
		})
	}
}

// referencePearson computes r with the textbook formula over deviations from
// the means, in 300-bit floating point: Σ(x−x̄)(y−ȳ) / √(Σ(x−x̄)² Σ(y−ȳ)²).
func referencePearson(xs, ys []decimal.Decimal) *big.Float {
	const prec = 300
	n := new(big.Float).SetPrec(prec).SetInt64(int64(len(xs)))
	mean := func(vs []decimal.Decimal) *big.Float {
		s := new(big.Float).SetPrec(prec)
		for _, v := range vs {
			s.Add(s, bigf(v))
		}
		return s.Quo(s, n)
	}
	mx, my := mean(xs), mean(ys)
	sxy, sxx, syy := new(big.Float).SetPrec(prec), new(big.Float).SetPrec(prec), new(big.Float).SetPrec(prec)
	for i := range xs {
		dx := new(big.Float).SetPrec(prec).Sub(bigf(xs[i]), mx)
		dy := new(big.Float).SetPrec(prec).Sub(bigf(ys[i]), my)
		sxy.Add(sxy, new(big.Float).SetPrec(prec).Mul(dx, dy))
		sxx.Add(sxx, new(big.Float).SetPrec(prec).Mul(dx, dx))
		syy.Add(syy, new(big.Float).SetPrec(prec).Mul(dy, dy))
	}
	d := new(big.Float).SetPrec(prec).Mul(sxx, syy)
	return sxy.Quo(sxy, d.Sqrt(d))
}

func bigf(d decimal.Decimal) *big.Float {
	f, _, err := big.ParseFloat(d.String(), 10, 300, big.ToNearestEven)
	if err != nil {
		panic(err)
	}
	return f
}

// r lies within [−1, 1], agrees with the reference to its 16 significant
// digits (within one unit of the 16th), is exactly ±1 for points on a line
// and undefined when a variable is constant; swapping the variables changes
// nothing.
func TestPearsonProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(3, 25).Draw(t, "n")
		xs, ys := make([]decimal.Decimal, n), make([]decimal.Decimal, n)
		for i := range xs {
			xs[i], ys[i] = genDecimal(t, "x"), genDecimal(t, "y")
		}
		r, err := Pearson(xs, ys)
		switch {
		case errors.Is(err, ErrConstantX) || errors.Is(err, ErrConstantY):
			return
		case err != nil:
			t.Fatal(err)
		}
		if r.Abs().GreaterThan(decimal.NewFromInt(1)) {
			t.Fatalf("r = %s outside [-1, 1]", r)
		}
		if s, _ := Pearson(ys, xs); !s.Equal(r) {
			t.Fatalf("r(x, y) = %s, r(y, x) = %s", r, s)
		}
		ref := referencePearson(xs, ys)
		diff := new(big.Float).Sub(bigf(r), ref)
		// One unit of the 16th significant digit of |r| ≤ 1, or 1e-16 for tiny r.
		tol := new(big.Float).Mul(new(big.Float).Abs(ref), big.NewFloat(1e-15))
		if tol.Cmp(big.NewFloat(1e-16)) < 0 {
			tol = big.NewFloat(1e-16)
		}
		if diff.Abs(diff).Cmp(tol) > 0 {
			t.Fatalf("r = %s, reference %s", r, ref.Text('g', 20))
		}
	})
}

func TestPearsonLinear(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(3, 25).Draw(t, "n")
		a := genDecimal(t, "a")
		if a.IsZero() {
			a = decimal.NewFromInt(1)
		}
		b := genDecimal(t, "b")
		xs, ys := make([]decimal.Decimal, n), make([]decimal.Decimal, n)
		for i := range xs {
			xs[i] = genDecimal(t, "x")
			ys[i] = a.Mul(xs[i]).Add(b)
		}
		r, err := Pearson(xs, ys)
		if errors.Is(err, ErrConstantX) {
			return
		}
		want := int64(a.Sign())
		if err != nil || !r.Equal(decimal.NewFromInt(want)) {
			t.Fatalf("y = %s x + %s: r = %s, %v; want %d", a, b, r, err, want)
		}
		// Constant data is undefined, never 0 or 1.
		c := make([]decimal.Decimal, n)
		for i := range c {
			c[i] = b
		}
		if _, err := Pearson(xs, c); !errors.Is(err, ErrConstantY) {
			t.Fatalf("constant y: %v", err)
		}
	})
}
