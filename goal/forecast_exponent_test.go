package goal

import (
	"math"
	"math/big"
	"testing"

	"github.com/goalkit/goalkit/forecast"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// refQuotient is c·10^e times r, by big.Rat on c·r alone (10^e of a
// 32-bit e has billions of digits), and the exponent of its last nonzero
// digit when it terminates, else that of its 16th significant digit.
func refQuotient(c *big.Int, e int64, r *big.Rat) (x *big.Rat, last int64, terminates bool) {
	x = new(big.Rat).Mul(new(big.Rat).SetInt(c), r)
	ten := big.NewRat(10, 1)
	y := new(big.Rat).Set(x)
	if y.IsInt() {
		k := int64(0)
		for q, m := new(big.Int), new(big.Int); ; k-- {
			if q.QuoRem(y.Num(), big.NewInt(10), m); m.Sign() != 0 {
				return x, e - k, true
			}
			y.SetInt(q)
		}
	}
	for k := int64(0); k < 200; k++ {
		if y.IsInt() {
			return x, e - k, true
		}
		y.Mul(y, ten)
	}
	// Not terminating: the exponent of its leading digit, by comparing
	// |x| with powers of ten.
	a := new(big.Rat).Abs(x)
	lead := int64(0)
	for p := big.NewRat(10, 1); a.Cmp(p) >= 0; p.Mul(p, ten) {
		lead++
	}
	for p := big.NewRat(1, 1); a.Cmp(p) < 0; p.Quo(p, ten) {
		lead--
	}
	return x, e + lead - 15, false
}

// Forecast of an actual with an exponent near ±2^31 is undefined where the
// quotient has no 32-bit exponent, never 0; and where it has one, it is the
// exact quotient (or its 16 significant digits), by big.Rat.
func TestForecastOfFarExponents(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	p := cal.Containing(period.Month, d("2025-04-01")) // 30 days
	one := decimal.NewFromInt(1)
	prof, ok := forecast.LearnProfile([]decimal.Decimal{one, one, one, one, one})
	if !ok {
		t.Fatal("no profile")
	}
	coefs := []int64{1, 2, 3, 7, 15, -4}
	exps := []int32{math.MinInt32, math.MinInt32 + 1, math.MinInt32 + 20, math.MaxInt32, math.MaxInt32 - 1, -2}
	days := []string{"2025-04-07", "2025-04-19", "2025-04-16", "2025-04-04"}
	undefined := 0
	for _, basis := range []ForecastBasis{ForecastCalendar, ForecastSeasonal} {
		for _, day := range days {
			at := enginetest.At(cal, day+" 00:00")
			// The factor the forecast multiplies by, counted by hand: the
			// period's length over the time elapsed, or one over the
			// profile's share, which is the same for a profile of five
			// equal days (6 of 30 days is 1 of its 5 days, a share of 1/5).
			var factor *big.Rat
			switch day {
			case "2025-04-07":
				factor = big.NewRat(5, 1) // 6 of 30 days
			case "2025-04-19":
				factor = big.NewRat(5, 3) // 18 of 30 days
			case "2025-04-16":
				factor = big.NewRat(2, 1) // 15 of 30 days
			case "2025-04-04":
				factor = big.NewRat(10, 1) // 3 of 30 days
			}
			for _, c := range coefs {
				for _, e := range exps {
					actual := decimal.New(c, e)
					got, method := Forecast(cal, p, at, Cumulative, basis, decimal.NewNullDecimal(actual), &prof)
					x, last, terminates := refQuotient(big.NewInt(c), int64(e), factor)
					// Below 10^-2147483648 no decimal holds the last digit;
					// above 10^2147483647 Div may leave it undefined as well
					// (it keeps the trailing zeros it finds, and adds none).
					want := last >= math.MinInt32
					if last > math.MaxInt32 {
						want = got.Valid
					}
					if got.Valid != want {
						t.Errorf("%s, %s: Forecast(%de%d) = %v (valid %v), want valid %v (last digit at 10^%d)", basis, day, c, e, got.Decimal, got.Valid, want, last)
						continue
					}
					if !got.Valid {
						undefined++
						continue
					}
					if want := map[ForecastBasis]ForecastMethod{ForecastCalendar: RunRateCalendar, ForecastSeasonal: SeasonalShare}[basis]; method != want {
						t.Errorf("%s: method %s, want %s", basis, method, want)
					}
					// got·10^-e against x: the shift is small, unless got
					// is wrong by orders of magnitude (0, say).
					shift := int64(got.Decimal.Exponent()) - int64(e)
					if shift < -100 || shift > 100 || got.Decimal.IsZero() {
						t.Errorf("%s, %s: Forecast(%de%d) = %se%d, want %s·10^%d", basis, day, c, e, got.Decimal.Coefficient(), got.Decimal.Exponent(), x.RatString(), e)
						continue
					}
					g := new(big.Rat).SetInt(got.Decimal.Coefficient())
					pow := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(abs64(shift)), nil))
					if shift >= 0 {
						g.Mul(g, pow)
					} else {
						g.Quo(g, pow)
					}
					diff := new(big.Rat).Abs(new(big.Rat).Sub(g, x))
					if terminates {
						if diff.Sign() != 0 {
							t.Errorf("%s, %s: Forecast(%de%d) = %se%d, want exactly %s·10^%d", basis, day, c, e, got.Decimal.Coefficient(), got.Decimal.Exponent(), x.RatString(), e)
						}
						continue
					}
					// Within half a unit of the 16th significant digit.
					half := new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(e)-last), nil))
					half.Quo(half, big.NewRat(2, 1))
					if diff.Cmp(half) > 0 {
						t.Errorf("%s, %s: Forecast(%de%d) = %se%d, want %s·10^%d to 16 digits", basis, day, c, e, got.Decimal.Coefficient(), got.Decimal.Exponent(), x.FloatString(20), e)
					}
				}
			}
		}
	}
	if undefined == 0 {
		t.Fatal("no case was undefined")
	}
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
