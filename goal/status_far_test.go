package goal

import (
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// A running goal's status compares its forecast's achievement with the
// thresholds by orders of magnitude: a forecast of 10^-2147483600 or
// 10^2147483647 against a target of 5 (values near 10^±2^31 a host
// passes) never returned, as Cmp scaled the threshold (0.8, 1) to the
// ratio's exponent or the ratio to the threshold's. Hand counts: a ratio
// of 2·10^-2147483601 is below 0.8, off track; one of 2·10^2147483646 at
// least 1, on track; a cost forecast of 10^2147483647 against 5 has a
// ratio of 5·10^-2147483647, off track. Each case fails after 5 s.
func TestClassifyFarForecast(t *testing.T) {
	n := func(d decimal.Decimal) decimal.NullDecimal { return decimal.NewNullDecimal(d) }
	tiny, huge := decimal.New(1, -2147483600), decimal.New(1, math.MaxInt32)
	for _, c := range []struct {
		name     string
		dir      score.Direction
		forecast decimal.Decimal
		want     Status
	}{
		{"a tiny forecast", score.HigherIsBetter, tiny, OffTrack},
		{"a huge forecast", score.HigherIsBetter, huge, OnTrack},
		{"a huge cost", score.LowerIsBetter, huge, OffTrack},
		{"a tiny cost", score.LowerIsBetter, tiny, OnTrack},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := StatusInput{Direction: c.dir, Measure: Level, Started: true, Actual: n(decimal.NewFromInt(6)), Target: n(decimal.NewFromInt(5)), Forecast: n(c.forecast)}
			if c.dir == score.HigherIsBetter {
				in.Actual = n(decimal.NewFromInt(1))
			}
			if got := returnsIn5s(t, "Classify", func() Status { return Classify(in) }); got != c.want {
				t.Errorf("Classify: %s, want %s", got, c.want)
			}
		})
	}
}

// A threshold rule's at_risk and back_on_track compare the forecast's
// achievement with the threshold by orders of magnitude, as the status
// does: a forecast of 10^-2147483600 against a target of 50 (an
// achievement of 2·10^-2147483602, below 0.95) never returned, nor did
// one of 10^2147483647 back on track. Each case fails after 5 s.
func TestNotifyThresholdFarForecast(t *testing.T) {
	rules := []NotifyRule{{On: NotifyAtRisk, Threshold: nd("0.95")}, {On: NotifyBackOnTrack, Threshold: nd("0.95")}}
	tiny, huge := decimal.NewNullDecimal(decimal.New(1, -2147483600)), decimal.NewNullDecimal(decimal.New(1, math.MaxInt32))
	for _, c := range []struct {
		name          string
		before, after decimal.NullDecimal
		want          string
	}{
		{"behind", nd("50"), tiny, "at_risk/leads/anna/2025-03/2025-03-10"},
		{"back on track", tiny, huge, "back_on_track/leads/anna/2025-03/2025-03-10"},
	} {
		t.Run(c.name, func(t *testing.T) {
			prev, next := baseRow(), baseRow()
			prev.Forecast, next.Forecast = c.before, c.after
			got := returnsIn5s(t, "Notify", func() []Notification { return Notify(rules, &prev, &next, time.Time{}) })
			if len(got) != 1 || got[0].Key != c.want {
				t.Errorf("Notify: %v, want %s", got, c.want)
			}
		})
	}
}

// A running level's status against a plain reference of its rule, for
// forecasts and targets of any sign and exponents anywhere in 32 bits:
// the forecast's achievement (forecast / target, or target / forecast
// when lower is better; undefined where the division is, so that a met
// target is on track and an unmet one of no ratio is 0) meets on_track,
// else at_risk, else is off track, the comparisons of c·10^e written in
// big rationals with the exponents apart taken from int64. An achievement
// within 10^-14 of a threshold (where the 16 digits of a quotient that
// does not terminate may round across it) is left out.
func TestClassifyRunningProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		num := nearNumbers(t, 999)
		cf, ef := num("forecast")
		ct, et := num("target")
		dir := rapid.SampledFrom([]score.Direction{score.HigherIsBetter, score.LowerIsBetter}).Draw(t, "direction")
		atRisk := decimal.New(rapid.Int64Range(1, 9).Draw(t, "at_risk"), -1)
		onTrack := atRisk.Add(decimal.New(rapid.Int64Range(0, 5).Draw(t, "on_track above"), -1))
		in := StatusInput{Direction: dir, Measure: Level, Started: true, Actual: decimal.NewNullDecimal(decimal.New(cf, ef)),
			Target: decimal.NewNullDecimal(decimal.New(ct, et)), Forecast: decimal.NewNullDecimal(decimal.New(cf, ef)), OnTrack: onTrack, AtRisk: atRisk}
		// The achievement as c·10^e over d (d > 0), nil where undefined.
		num2, den := ct, cf
		e := int64(et) - int64(ef)
		lower := dir == score.LowerIsBetter
		if !lower {
			num2, den, e = cf, ct, -e
		}
		c := refCmp(cf, int64(ef), ct, int64(et)) // forecast against target
		met := c >= 0
		if lower {
			met = c <= 0
		}
		if e > 2147483000 || e < -2147483000 {
			t.Skip("a quotient near the ends of 32-bit exponents (Achieve's)")
		}
		defined := den > 0 && (!lower || ct >= 0)
		var want Status
		switch {
		case !defined && met:
			want = OnTrack
		default:
			// 0 where undefined and not met.
			r := new(big.Rat)
			if defined {
				if e > 40 || e < -40 {
					// The thresholds lie in [0.1, 1.4].
					switch {
					case num2 == 0:
					case num2 > 0 && e > 0:
						want = OnTrack
					default:
						want = OffTrack
					}
					if want != "" {
						break
					}
				} else {
					r = big.NewRat(num2, den)
					r.Mul(r, pow10Rat(e))
				}
			}
			if want != "" {
				break
			}
			for _, th := range []decimal.Decimal{onTrack, atRisk} {
				diff := new(big.Rat).Sub(r, th.Rat())
				if diff.Abs(diff).Cmp(big.NewRat(1, 100_000_000_000_000)) <= 0 {
					t.Skip("within the quotient's rounding of a threshold")
				}
			}
			switch {
			case r.Cmp(onTrack.Rat()) >= 0:
				want = OnTrack
			case r.Cmp(atRisk.Rat()) >= 0:
				want = AtRisk
			default:
				want = OffTrack
			}
		}
		if got := Classify(in); got != want {
			t.Fatalf("%s, forecast %de%d, target %de%d, thresholds %s and %s: %s, want %s", dir, cf, ef, ct, et, onTrack, atRisk, got, want)
		}
	})
}

// pow10Rat is 10^e as a big.Rat.
func pow10Rat(e int64) *big.Rat {
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(max(e, -e)), nil)
	if e < 0 {
		return new(big.Rat).SetFrac(big.NewInt(1), p)
	}
	return new(big.Rat).SetInt(p)
}
