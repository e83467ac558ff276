package forecast

import (
	"math"
	"testing"

	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// A share whose part of a day has no decimal's 32-bit exponent is
// undefined: half of the second of three days of 1e-2147483648 is
// 5e-2147483649, which Share left out, answering 1/3 for the 1/2 that a
// hand count gives (1.5 of 3 equal days). A share that needs no such part
// is still defined.
func TestProfileShareOfFarExponents(t *testing.T) {
	tiny := decimal.New(1, math.MinInt32)
	pr, ok := LearnProfile([]decimal.Decimal{tiny, tiny, tiny})
	if !ok {
		t.Fatal("no profile")
	}
	if got, ok := pr.Share(period.Fraction{Num: 1, Den: 2}); ok {
		t.Errorf("Share(1/2) = %s, true; want undefined", got)
	}
	// A third of the way is one whole day: 1/3, to 16 digits.
	got, ok := pr.Share(period.Fraction{Num: 1, Den: 3})
	if want := decimal.RequireFromString("0.3333333333333333"); !ok || !got.Equal(want) {
		t.Errorf("Share(1/3) = %s, %v; want %s", got, ok, want)
	}
}
