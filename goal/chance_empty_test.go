package goal

import (
	"testing"

	"github.com/goalkit/goalkit/forecast"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// A distribution without samples gives a goal no chance at all: the reach
// and the percentiles are undefined (null in a report), not 0. chanceOf read
// Distribution.Chance and Quantile, which are 0 there: a chance of 0% of
// reaching the target and a final value of 0 from nothing drawn.
func TestChanceOfNoSamples(t *testing.T) {
	target := decimal.NewNullDecimal(decimal.NewFromInt(100))
	for _, dir := range []score.Direction{score.HigherIsBetter, score.LowerIsBetter} {
		c := chanceOf(forecast.Distribution{}, dir, target)
		if c.Samples != 0 || c.Reach.Valid || c.P10.Valid || c.P50.Valid || c.P90.Valid {
			t.Errorf("%s: %+v, want 0 samples and every number undefined", dir, c)
		}
	}
}
