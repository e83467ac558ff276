package forecast

import "github.com/shopspring/decimal"

// DefaultChanceHistory is how many earlier periods a probabilistic forecast
// learns from by default (a goal's chance.history).
const DefaultChanceHistory = 6

// DefaultChanceWindow is the default of a goal's chance.window: the whole
// period, which did best in the backtest of docs/forecast.md.
const DefaultChanceWindow = 0

// Chance is the probabilistic forecast of a goal's row, read from a
// Distribution. Its numbers are undefined when there was nothing to draw
// from; Reach is undefined without a target.
type Chance struct {
	// Reach is the probability of reaching the target: of a final value at
	// or above it, or at or below it for a lower-is-better goal. Once the
	// period is over it is 1 or 0.
	Reach decimal.NullDecimal
	// P10, P50 and P90 are quantiles of the final value.
	P10, P50, P90 decimal.NullDecimal
	// Samples is how many paths were drawn (0 once the period is over).
	Samples int
}

// FormatChance writes a probability as a whole percent ("62 %"), rounded half up,
// never 100 % below certainty nor 0 % above nothing. A number outside 0 to
// 1 is no probability: it is written as the nearer end, 100 % above 1 and
// 0 % below 0, as Scorer.Add counts it, so that no text shows "700 %" or
// "-20 %".
func FormatChance(p decimal.Decimal) string {
	one := decimal.NewFromInt(1)
	switch {
	case p.GreaterThan(one):
		p = one
	case p.Sign() < 0:
		p = decimal.Zero
	}
	x := p.Mul(decimal.NewFromInt(100))
	r := x.Round(0)
	if r.Equal(decimal.NewFromInt(100)) && x.LessThan(r) {
		r = decimal.NewFromInt(99)
	}
	if r.IsZero() && x.Sign() > 0 {
		r = decimal.NewFromInt(1)
	}
	return r.String() + " %"
}
