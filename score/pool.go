package score

import (
	"errors"
	"fmt"
	"slices"

	"github.com/goalkit/goalkit/internal/defcheck"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/shopspring/decimal"
)

// PoolDef makes a bonus scheme a team pool: Amount is split among the
// scorecard's participants in proportion to their total scores (a total
// under the scheme's threshold, or below 0, gets no share). With Teams, each team (a
// group of the evaluation) gets a pool of Amount, split among the members it
// had in the period (a dated member counts where their span meets it).
type PoolDef struct {
	Amount decimal.Decimal `json:"amount"`
	Teams  []string        `json:"teams,omitempty"`
}

// ErrZeroWeights is returned by Split when every weight is zero: there is
// no share to split by.
var ErrZeroWeights = errors.New("split: every weight is zero")

// Split divides amount into parts proportional to weights, in whole minor
// units of places decimal places, by the largest remainder method: every
// part first gets the whole minor units of its exact quota, and the units
// left over go one each to the parts with the largest remainders (ties to
// the earlier part). The parts add up to amount exactly, and no part is more
// than one minor unit from its exact quota.
//
// amount must be a whole number of minor units; a negative amount is split
// as the negation of its absolute value's split (a cascade's negative
// target). Weights must be at least one, each at least 0, and not all
// zero (ErrZeroWeights); any other breach is an error naming it. places,
// and the exponents of amount and of every weight, are at most ±10000 (the
// decimal library's MaxDecodeExponent, what a plan file can write): the
// time a split takes grows with the square of the number of digits they
// make, and a million places took half a second.
// Bonus pools, cascades and targets all split with it.
func Split(amount decimal.Decimal, weights []decimal.Decimal, places int32) ([]decimal.Decimal, error) {
	if len(weights) == 0 {
		return nil, errors.New("split: no parts")
	}
	if limit := decimal.MaxDecodeExponent; int64(places) > int64(limit) || int64(places) < -int64(limit) {
		return nil, fmt.Errorf("split: places must be within ±%d, got %d", limit, places)
	}
	if !defcheck.InRange(amount) {
		return nil, fmt.Errorf("split: the amount's exponent %d is out of range: at most ±%d", amount.Exponent(), decimal.MaxDecodeExponent)
	}
	for i, w := range weights {
		if !defcheck.InRange(w) {
			return nil, fmt.Errorf("split: weight %d's exponent %d is out of range: at most ±%d", i, w.Exponent(), decimal.MaxDecodeExponent)
		}
	}
	if amount.IsNegative() {
		parts, err := Split(amount.Neg(), weights, places)
		for i := range parts {
			parts[i] = parts[i].Neg()
		}
		return parts, err
	}
	units := amount.Shift(places)
	if !units.IsInteger() {
		return nil, fmt.Errorf("split: amount %s is not a whole number of minor units (%d decimal places)", display.Number(amount), places)
	}
	total := decimal.Zero
	for i, w := range weights {
		if w.IsNegative() {
			return nil, fmt.Errorf("split: weight %d is negative (%s)", i, display.Number(w))
		}
		total = total.Add(w)
	}
	if total.IsZero() {
		return nil, ErrZeroWeights
	}
	quota := make([]decimal.Decimal, len(weights))
	rem := make([]decimal.Decimal, len(weights))
	given := decimal.Zero
	for i, w := range weights {
		// units × w = total × q + r, 0 ≤ r < total: q whole units.
		quota[i], rem[i] = units.Mul(w).QuoRem(total, 0)
		given = given.Add(quota[i])
	}
	left := units.Sub(given).IntPart() // fewer than len(weights)
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return rem[b].Cmp(rem[a]) })
	for _, i := range order[:left] {
		quota[i] = quota[i].Add(one)
	}
	out := make([]decimal.Decimal, len(weights))
	for i, q := range quota {
		out[i] = q.Shift(-places)
	}
	return out, nil
}
