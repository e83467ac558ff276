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
	totals  []decimal.Decimal
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
	// One array for every period's copy.
	own := make([]decimal.Decimal, 0, n)
	for _, days := range daily {
		if len(days) == 0 {
			continue
		}
		total := decimal.Zero
		for _, v := range days {
			total = total.Add(v)
		}
		if total.Sign() <= 0 {
			continue
		}
		from := len(own)
		own = append(own, days...)
		pr.periods = append(pr.periods, own[from:len(own):len(own)])
		pr.totals = append(pr.totals, total)
	}
	return pr, len(pr.periods) > 0
}

// Periods is how many earlier periods the profile learned from.
func (pr Profile) Periods() int { return len(pr.periods) }

// Share returns the share of the final total reached a fraction x into a
// period, in [0, 1] when no earlier day was negative; ok is false for an
// empty profile. x may be in any terms (a numerator and denominator of
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
		cum := decimal.Zero
		for k := int64(0); k < i && k < n; k++ {
			cum = cum.Add(days[k])
		}
		if i < n && rem > 0 {
			part, _ := decimalx.Div(days[i].Mul(decimal.NewFromInt(rem)), den)
			cum = cum.Add(part)
		}
		s, _ := decimalx.Div(cum, pr.totals[j])
		sum = sum.Add(s)
	}
	mean, _ := decimalx.Div(sum, decimal.NewFromInt(int64(len(pr.periods))))
	return mean, true
}
