package score

import (
	"testing"

	"github.com/shopspring/decimal"
)

// Counted is Uncapped where there is a ratio, 1 where the target is met
// without one (a cost of 0 against a target of 0 or more, anything at or
// above a target of 0), and undefined where neither.
func TestAchievementCounted(t *testing.T) {
	d := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }
	for _, c := range []struct {
		dir            Direction
		actual, target decimal.NullDecimal
		want           string
	}{
		{HigherIsBetter, d("50"), d("100"), "0.5"},
		{HigherIsBetter, d("150"), d("100"), "1.5"},
		{LowerIsBetter, d("1000"), d("500"), "0.5"},
		{LowerIsBetter, d("0"), d("500"), "1"},
		{LowerIsBetter, d("0"), d("0"), "1"},
		{LowerIsBetter, d("0"), d("-1"), "undefined"},
		{HigherIsBetter, d("5"), d("0"), "1"},
		{HigherIsBetter, d("-5"), d("0"), "undefined"},
		{HigherIsBetter, decimal.NullDecimal{}, d("100"), "undefined"},
	} {
		got := "undefined"
		if v := Achieve(c.dir, c.actual, c.target).Counted(); v.Valid {
			got = v.Decimal.String()
		}
		if got != c.want {
			t.Errorf("%s %v against %v: counted %s, want %s", c.dir, c.actual, c.target, got, c.want)
		}
	}
}
