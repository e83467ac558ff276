package score

import (
	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/shopspring/decimal"
)

// Achievement is how far an actual value has come towards a target, for a
// direction. Uncapped is the plain ratio; Capped is the same clamped to
// [0, 1], the view for progress bars. Met reports whether the target is
// reached: actual ≥ target when higher is better, actual ≤ target when
// lower is better.
//
// Higher is better: Uncapped = actual / target, undefined when target ≤ 0.
// Capped is 1 when met, else the ratio clamped to [0, 1] (0 when target ≤ 0).
//
// Lower is better (cost ≤ 500): Uncapped = target / actual, undefined when
// actual ≤ 0 (nothing spent has no ratio) or target < 0. Capped is 1 when
// met, else the
// ratio clamped to [0, 1]. So a cost of 0 against a target of 500 is met
// (Capped 1, Uncapped undefined) and a cost of 1 000 is half way (0.5).
//
// Both are undefined when actual or target is; Uncapped is undefined too
// when the ratio has no decimal (an exponent past 32 bits: numbers with
// exponents near ±2^31, which no plan or event holds). Capped never
// decreases as the actual improves in the goal's direction. Goals,
// cascades and scorecards all use this one rule; a scorecard shows
// Uncapped as a percent.
type Achievement struct {
	Uncapped decimal.NullDecimal
	Capped   decimal.NullDecimal
	Met      bool
}

// Achieve computes the achievement of actual against target.
func Achieve(dir Direction, actual, target decimal.NullDecimal) Achievement {
	if !actual.Valid || !target.Valid {
		return Achievement{}
	}
	a, t := actual.Decimal, target.Decimal
	var r decimal.NullDecimal
	var met bool
	if dir == LowerIsBetter {
		met = decimalx.Cmp(a, t) <= 0
		if a.Sign() > 0 && t.Sign() >= 0 {
			r = ratio(t, a)
		}
	} else {
		met = decimalx.Cmp(a, t) >= 0
		if t.Sign() > 0 {
			r = ratio(a, t)
		}
	}
	c := decimal.Zero
	switch {
	case met:
		c = one
	case r.Valid:
		c = clamp01(r.Decimal)
	}
	return Achievement{Uncapped: r, Capped: decimal.NewNullDecimal(c), Met: met}
}

// ratio is x / y for a positive y, undefined when the quotient has no
// decimal's 32-bit exponent (numbers a host passes with exponents near
// ±2^31; a plan's and its events' are within ±10000).
func ratio(x, y decimal.Decimal) decimal.NullDecimal {
	q, ok := decimalx.Div(x, y)
	return decimal.NullDecimal{Decimal: q, Valid: ok}
}

func clamp01(d decimal.Decimal) decimal.Decimal {
	switch {
	case d.Sign() < 0:
		return decimal.Zero
	case decimalx.Cmp(d, one) > 0:
		return one
	}
	return d
}

// Optional returns the number an optional field of a definition holds, or
// undefined when it is nil. Definitions write an optional number as a
// *decimal.Decimal (nil: not given); results hold a decimal.NullDecimal.
func Optional(d *decimal.Decimal) decimal.NullDecimal {
	if d == nil {
		return decimal.NullDecimal{}
	}
	return decimal.NewNullDecimal(*d)
}

// Remaining is the distance from actual to target in the goal's direction,
// zero once the target is met: target − actual when higher is better,
// actual − target when lower is better. It is undefined when either is.
// A target met far from the actual (10^1000000 against 10^-1000000) is
// told by orders of magnitude (decimalx.Cmp): zero at once, where the
// difference scaled one number to the other's exponent; a distance still
// to go is exact, as many digits as the two numbers span, up to
// maxSpan: one between numbers whose exponents are more than 100,000
// apart is undefined (numbers a host passes; a plan's and its events' are
// within ±10000), where the difference of 10^2147483647 and
// 10^-2147483648 needed a power of ten of four billion digits and never
// returned. A zero of any exponent spans no digits: the distance from it
// is the other number.
func Remaining(dir Direction, actual, target decimal.NullDecimal) decimal.NullDecimal {
	if !actual.Valid || !target.Valid {
		return decimal.NullDecimal{}
	}
	a, t := actual.Decimal, target.Decimal
	if dir == LowerIsBetter {
		a, t = t, a
	}
	// Exponents near each other subtract at once (most do: a plan's).
	if far := int64(t.Exponent()) - int64(a.Exponent()); far > farExponents || far < -farExponents {
		switch {
		case decimalx.Cmp(t, a) <= 0:
			return decimal.NewNullDecimal(decimal.Zero)
		case a.IsZero(): // 0e-2147483648 has no digits to span
			return decimal.NewNullDecimal(t)
		case t.IsZero():
			return decimal.NewNullDecimal(a.Neg())
		case far > maxSpan || far < -maxSpan:
			return decimal.NullDecimal{}
		}
	}
	d := t.Sub(a)
	if d.Sign() < 0 {
		d = decimal.Zero
	}
	return decimal.NewNullDecimal(d)
}

// farExponents is how far apart two exponents are before Remaining
// compares the numbers' orders of magnitude rather than subtract.
const farExponents = 64

// maxSpan is how far apart two exponents may be for Remaining to write
// the distance between the numbers exactly: a difference of up to 100,000
// places (40 ms under the race detector), five times what two numbers of
// a plan file (exponents within ±10000) span.
const maxSpan = 100_000

// Counted is the achievement a mean or a roll-up of achievements counts:
// Uncapped, or 1 (the target met) where the target is met without a ratio
// (a lower-is-better KPI met at zero); undefined otherwise. Leaderboards,
// competitions, weighted cascade roll-ups and goal statistics count a
// member met at zero so, as goals rank it first.
func (a Achievement) Counted() decimal.NullDecimal {
	if !a.Uncapped.Valid && a.Met {
		return decimal.NewNullDecimal(one)
	}
	return a.Uncapped
}
