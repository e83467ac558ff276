package goal

import (
	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// ratio returns the achievement of a forecast (or a current level) against
// the target, for the status: the uncapped achievement, with a forecast at
// or below zero of a lower-is-better goal counting as met (infinite).
// ok is false when there is nothing to judge.
func ratio(dir score.Direction, value, target decimal.NullDecimal) (r decimal.Decimal, inf, ok bool) {
	if !value.Valid || !target.Valid {
		return decimal.Decimal{}, false, false
	}
	a := score.Achieve(dir, value, target)
	if a.Uncapped.Valid {
		return a.Uncapped.Decimal, false, true
	}
	if a.Met {
		return decimal.Decimal{}, true, true
	}
	return decimal.Zero, false, true
}

// met is score.Achieve(dir, actual, target).Met, whether the actual
// reaches the target, without the ratio that Achieve computes beside it
// (a division, in new big integers): a report classifies every row it
// computes.
func met(dir score.Direction, actual, target decimal.NullDecimal) bool {
	if !actual.Valid || !target.Valid {
		return false
	}
	if dir == score.LowerIsBetter {
		return decimalx.Cmp(actual.Decimal, target.Decimal) <= 0
	}
	return decimalx.Cmp(actual.Decimal, target.Decimal) >= 0
}
