package forecast

import (
	"math/bits"

	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// DefaultPaceHistory is how many earlier periods a seasonal profile learns
// from by default (a goal's pace_history).
const DefaultPaceHistory = 3

// MaxHistory bounds how many earlier periods a seasonal profile or a
// probabilistic forecast learns from (a goal's pace_history and
// chance.history).
const MaxHistory = 36

var one = decimal.NewFromInt(1)

// Profile is the seasonal shape of a period learned from earlier periods:
// how much of its final total a period has reached at each point of it. It
// is learned from the daily values of each earlier period; the share reached
// a fraction x into a period is the mean, over the earlier periods, of the
// share they had reached at the same fraction of their length, the current
// day counting by its elapsed part. Periods whose total is not positive
// teach nothing.
type Profile struct {
	periods [][]decimal.Decimal // daily values of each usable earlier period
	// sums[j] holds the sums of period j's first i days, the first zero,
	// the last its total.
	sums []daySums
}

// daySums are the sums of a period's first i days, each the decimal that
// adding the days one by one to decimal.Zero gives, exponent included: in
// 64-bit coefficients and exponents (c, e) where every sum fits (adding
// them allocated a decimal a day), else as decimals (big).
type daySums struct {
	c   []int64
	e   []int32
	big []decimal.Decimal
}

// at returns the sum of the first i days.
func (s daySums) at(i int64) decimal.Decimal {
	if s.big != nil {
		return s.big[i]
	}
	return decimal.New(s.c[i], s.e[i])
}

// sign returns the sign of the total.
func (s daySums) sign() int {
	if s.big != nil {
		return s.big[len(s.big)-1].Sign()
	}
	c := s.c[len(s.c)-1]
	return int(c>>63) | int(uint64(-c)>>63)
}

// maxSum bounds the coefficients of small sums, so that one plus another
// never overflows.
const maxSum = 1 << 62

// sumDays returns the sums of days, appending their small form to c and e.
// decimal.Decimal.Add gives its sum the smaller of the two exponents, so
// the sum of the first i days has the exponent of the smallest of zero and
// theirs, and a coefficient exact at it.
func sumDays(days []decimal.Decimal, c []int64, e []int32) daySums {
	from := len(c)
	sum, exp := int64(0), int32(0)
	c, e = append(c, 0), append(e, 0)
	for _, v := range days {
		if v.NumDigits() > 18 {
			return bigSums(days)
		}
		vc, ve := v.CoefficientInt64(), v.Exponent()
		if ve < exp {
			var ok bool
			if sum, ok = scaleUp(sum, int64(exp)-int64(ve)); !ok {
				return bigSums(days)
			}
			exp = ve
		} else if ve > exp {
			var ok bool
			if vc, ok = scaleUp(vc, int64(ve)-int64(exp)); !ok {
				return bigSums(days)
			}
		}
		sum += vc
		if sum > maxSum || sum < -maxSum {
			return bigSums(days)
		}
		c, e = append(c, sum), append(e, exp)
	}
	return daySums{c: c[from:len(c):len(c)], e: e[from:len(e):len(e)]}
}

// scaleUp returns x times 10^k, and false when it passes maxSum. k is the
// difference of two exponents, which int32 does not hold.
func scaleUp(x int64, k int64) (int64, bool) {
	if x == 0 {
		return 0, true
	}
	for ; k > 0; k-- {
		if x > maxSum/10 || x < -maxSum/10 {
			return 0, false
		}
		x *= 10
	}
	return x, true
}

// bigSums returns the sums of days as decimals.
func bigSums(days []decimal.Decimal) daySums {
	sums := make([]decimal.Decimal, 0, len(days)+1)
	total := decimal.Zero
	sums = append(sums, total)
	for _, v := range days {
		total = total.Add(v)
		sums = append(sums, total)
	}
	return daySums{big: sums}
}

// LearnProfile learns a profile from the daily values of earlier periods,
// one slice per period. ok is false when no period has a positive total.
// The profile keeps a copy of the values: the caller may change or reuse
// its slices.
func LearnProfile(daily ...[]decimal.Decimal) (Profile, bool) {
	var pr Profile
	n := 0
	for _, days := range daily {
		n += len(days)
	}
	// One array for every period's copy, and for their sums.
	own := make([]decimal.Decimal, 0, n)
	c, e := make([]int64, 0, n+len(daily)), make([]int32, 0, n+len(daily))
	for _, days := range daily {
		if len(days) == 0 {
			continue
		}
		sums := sumDays(days, c, e)
		if sums.sign() <= 0 {
			continue
		}
		if sums.big == nil {
			c, e = c[:len(c)+len(sums.c)], e[:len(e)+len(sums.e)]
		}
		from := len(own)
		own = append(own, days...)
		pr.periods = append(pr.periods, own[from:len(own):len(own)])
		pr.sums = append(pr.sums, sums)
	}
	return pr, len(pr.periods) > 0
}

// Periods is how many earlier periods the profile learned from.
func (pr Profile) Periods() int { return len(pr.periods) }

// Share returns the share of the final total reached a fraction x into a
// period, in [0, 1] when no earlier day was negative; ok is false for an
// empty profile, and when a quotient on the way has no decimal's 32-bit
// exponent (days a host passes with exponents near ±2^31: half of a day of
// 1e-2147483648 is 5e-2147483649), rather than a share that leaves such a
// part out. x may be in any terms (a numerator and denominator of
// nanoseconds); one before the period (a negative numerator) is its start,
// one past it its end.
func (pr Profile) Share(x period.Fraction) (decimal.Decimal, bool) {
	if len(pr.periods) == 0 || x.Den <= 0 {
		return decimal.Decimal{}, false
	}
	if x.Num >= x.Den {
		return one, true
	}
	num := max(x.Num, 0) // before the period: its start
	sum := decimal.Zero
	den := decimal.NewFromInt(x.Den)
	for j, days := range pr.periods {
		n := int64(len(days))
		// The position in days, times x.Den, in 128 bits: a fraction in
		// fine units (nanoseconds) times the days passes 64. Its quotient
		// is below n, so the division cannot overflow.
		hi, lo := bits.Mul64(uint64(num), uint64(n))
		q, r := bits.Div64(hi, lo, uint64(x.Den))
		i, rem := int64(q), int64(r)
		cum := pr.sums[j].at(min(i, n))
		if i < n && rem > 0 {
			part, ok := decimalx.Div(days[i].Mul(decimal.NewFromInt(rem)), den)
			if !ok {
				return decimal.Decimal{}, false
			}
			cum = cum.Add(part)
		}
		s, ok := decimalx.Div(cum, pr.sums[j].at(n))
		if !ok {
			return decimal.Decimal{}, false
		}
		sum = sum.Add(s)
	}
	return decimalx.Div(sum, decimal.NewFromInt(int64(len(pr.periods))))
}
