package goal

import (
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
