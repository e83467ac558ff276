package forecast

import (
	"testing"

	"github.com/shopspring/decimal"
)

// Sums too large for 64-bit integers even in whole units are kept in
// coarser units: a constant history still gives a certain forecast, the
// actual plus the constant times the days left, never a sum that wrapped
// around.
func TestSimulateLargeValues(t *testing.T) {
	for _, c := range []struct {
		name, day, actual string
		work, off         int
	}{
		{"above 2^63 in whole units", "400000000000000000", "0", 30, 0},
		{"a day beyond int64", "10000000000000000000", "5", 20, 3},
		{"huge", "1e40", "1e40", 31, 0},
		{"cents of a large sum", "99999999999999.99", "123456789012.34", 25, 6},
		{"negative", "-400000000000000000", "0", 30, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := Input{Actual: dec(c.actual), Remaining: slots(c.work, c.off), History: [][]Day{week(4, c.day, "0")}}
			d := mustSimulate(t, in)
			// Independent: the actual plus the day's value on every
			// working day left, in exact decimals.
			want := dec(c.actual).Add(dec(c.day).Mul(decimal.NewFromInt(int64(c.work))))
			for _, q := range []float64{0, 0.1, 0.5, 0.9, 1} {
				got := d.Quantile(q)
				// Coarser units round each value by at most half a unit,
				// a unit being at most a 10^17th of the largest sum a
				// path can reach: peak × (days left + 1).
				n := decimal.NewFromInt(int64(c.work + c.off + 1))
				peak := decimal.Max(dec(c.day).Abs(), dec(c.actual).Abs())
				tol := peak.Mul(n).Shift(-17).Mul(n).Mul(dec("0.5"))
				if got.Sub(want).Abs().GreaterThan(tol) {
					t.Fatalf("P%v = %s, want %s", q*100, got, want)
				}
			}
			if h, n := d.Reach(want.Sub(want.Abs().Shift(-16)), false); h != n {
				t.Errorf("reach just below the certain final: %d of %d", h, n)
			}
			if h, _ := d.Reach(want.Add(want.Abs().Shift(-16)), false); h != 0 {
				t.Errorf("reach just above the certain final: %d", h)
			}
		})
	}
}
