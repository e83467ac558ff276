package forecast

import (
	"math"
	"math/big"
	"math/bits"
	"testing"

	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func TestProfileShare(t *testing.T) {
	ds := func(xs ...string) []decimal.Decimal {
		var out []decimal.Decimal
		for _, x := range xs {
			out = append(out, dec(x))
		}
		return out
	}
	// Two months: 10 days and 4 days. A quarter of the way: 2.5 days of the
	// first (2/10 + half of the third day, 1 of 10: 0.25) and 1 day of the
	// second (4 of 8: 0.5); their mean is 0.375. Halfway, 5 of 10 and 4 of
	// 8; three quarters, 7.5 of 10 and 4 of 8.
	pr, ok := LearnProfile(ds("1", "1", "1", "1", "1", "1", "1", "1", "1", "1"), ds("4", "0", "0", "4"), ds("0", "0"), nil, ds("-1", "1"))
	if !ok || pr.Periods() != 2 {
		t.Fatalf("LearnProfile: %v, %d periods", ok, pr.Periods())
	}
	for _, c := range []struct {
		num, den int64
		want     string
	}{{0, 1, "0"}, {-1, 4, "0"}, {1, 4, "0.375"}, {1, 2, "0.5"}, {3, 4, "0.625"}, {1, 1, "1"}, {5, 4, "1"}} {
		got, ok := pr.Share(period.Fraction{Num: c.num, Den: c.den})
		if !ok || !got.Equal(dec(c.want)) {
			t.Errorf("Share(%d/%d) = %s, %v; want %s", c.num, c.den, got, ok, c.want)
		}
	}
	if _, ok := LearnProfile(ds("0", "0"), ds("-3", "1")); ok {
		t.Error("a profile from periods without a positive total")
	}
	if _, ok := (Profile{}).Share(period.Fraction{Num: 1, Den: 2}); ok {
		t.Error("the share of an empty profile")
	}
}

// The share is the mean over the periods of the share each had reached at
// the same fraction of its length, within the rounding of its 16
// significant digits, and never decreases as the fraction grows (within
// that rounding), whatever
// the fraction's terms: one of nanoseconds (a numerator past 2^63 over the
// days) gave a share out of [0, 1].
func TestProfileShareProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		// Money of a few places, or the extremes the types allow: amounts
		// past 2^61 and below 0, exponents far from 0, a day of nothing.
		extreme := rapid.Bool().Draw(t, "extreme")
		value := func() decimal.Decimal {
			if !extreme {
				return decimal.New(rapid.Int64Range(0, 100000).Draw(t, "v"), -int32(rapid.IntRange(0, 2).Draw(t, "places")))
			}
			v := rapid.OneOf(rapid.Int64Range(-1000, 1000), rapid.Int64(), rapid.SampledFrom([]int64{0, 1 << 61, -1 << 61, math.MaxInt64, math.MinInt64})).Draw(t, "v")
			return decimal.New(v, int32(rapid.IntRange(-20, 20).Draw(t, "exp")))
		}
		var periods [][]decimal.Decimal
		negative := false
		for range rapid.IntRange(1, 4).Draw(t, "periods") {
			var days []decimal.Decimal
			for range rapid.IntRange(1, 31).Draw(t, "days") {
				v := value()
				negative = negative || v.IsNegative()
				days = append(days, v)
			}
			periods = append(periods, days)
		}
		pr, ok := LearnProfile(periods...)
		den := rapid.Int64Range(1, 3_000_000).Draw(t, "den")
		num := rapid.Int64Range(0, den).Draw(t, "num")
		// In any terms: a host's fraction may be of nanoseconds, whose
		// numerator times the days passes 64 bits.
		shift := rapid.IntRange(0, 63-bits.Len64(uint64(den))).Draw(t, "shift")
		num, den = num<<shift, den<<shift
		// Independent: exact rationals. The shares are each rounded to
		// 16 significant digits before their mean is: the bound of the
		// error is a 10^15th of the largest share (and of 1).
		sum, used, largest := new(big.Rat), 0, big.NewRat(1, 1)
		for _, days := range periods {
			total := new(big.Rat)
			for _, v := range days {
				total.Add(total, v.Rat())
			}
			if total.Sign() <= 0 {
				continue
			}
			used++
			n := int64(len(days))
			pos := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(num), big.NewInt(n)), big.NewInt(den)) // the position in days
			cum := new(big.Rat)
			for k, v := range days {
				switch kr := big.NewRat(int64(k), 1); {
				case pos.Cmp(new(big.Rat).Add(kr, big.NewRat(1, 1))) >= 0:
					cum.Add(cum, v.Rat())
				case pos.Cmp(kr) > 0:
					cum.Add(cum, new(big.Rat).Mul(v.Rat(), new(big.Rat).Sub(pos, kr)))
				}
			}
			share := cum.Quo(cum, total)
			if a := new(big.Rat).Abs(share); a.Cmp(largest) > 0 {
				largest = a
			}
			sum.Add(sum, share)
		}
		if ok != (used > 0) {
			t.Fatalf("ok %v with %d usable periods", ok, used)
		}
		if !ok {
			return
		}
		want := sum.Quo(sum, big.NewRat(int64(used), 1))
		got, _ := pr.Share(period.Fraction{Num: num, Den: den})
		diff := new(big.Rat).Sub(got.Rat(), want)
		if diff.Abs(diff).Cmp(new(big.Rat).Mul(largest, big.NewRat(1, 1e15))) > 0 {
			t.Fatalf("Share(%d/%d) = %s, want %s", num, den, got, want.FloatString(20))
		}
		if negative {
			// A negative day may take the share out of [0, 1], and back.
			return
		}
		if got.IsNegative() || got.GreaterThan(one) {
			t.Fatalf("Share(%d/%d) = %s, outside [0, 1]", num, den, got)
		}
		if num < den {
			// Within the rounding: a share a nanosecond on may be exact
			// where this one is rounded up in its 16th digit.
			next, _ := pr.Share(period.Fraction{Num: num + 1, Den: den})
			if next.LessThan(got.Sub(decimal.New(1, -15))) {
				t.Fatalf("Share(%d/%d) = %s < Share(%d/%d) = %s", num+1, den, next, num, den, got)
			}
		}
	})
}

// BenchmarkProfileShare is a pace's share of a seasonal profile of the
// default three months of 31 days, twenty days and a half into a month
// counted in seconds, as a goal's evaluation asks it per row.
func BenchmarkProfileShare(b *testing.B) {
	pr, _ := LearnProfile(threeMonths()...)
	x := period.Fraction{Num: 20*86400 + 43200, Den: 31 * 86400}
	for b.Loop() {
		if _, ok := pr.Share(x); !ok {
			b.Fatal("no share")
		}
	}
}

// A profile keeps its own copy of the daily values: a host that reads
// each period into one buffer, reused once the profile is learned, does
// not change the profile's shares. It kept the caller's slices, so the
// share half-way through read the buffer's new values.
func TestLearnProfileKeepsItsValues(t *testing.T) {
	buf := []decimal.Decimal{decimal.NewFromInt(1), decimal.NewFromInt(3)}
	pr, ok := LearnProfile(buf)
	if !ok {
		t.Fatal("no profile")
	}
	half := period.Fraction{Num: 1, Den: 2}
	// Half-way through the period of days 1 and 3: 1 of 4.
	want := big.NewRat(1, 4)
	buf[0], buf[1] = decimal.NewFromInt(3), decimal.NewFromInt(1)
	if got, _ := pr.Share(half); got.Rat().Cmp(want) != 0 {
		t.Errorf("Share(1/2) after the caller reused its slice = %s, want 1/4", got)
	}
}

// BenchmarkLearnProfile learns the seasonal profile of the default three
// months of 31 days, as a goal's evaluation does per row.
func BenchmarkLearnProfile(b *testing.B) {
	periods := threeMonths()
	for b.Loop() {
		if _, ok := LearnProfile(periods...); !ok {
			b.Fatal("no profile")
		}
	}
}

// threeMonths are the daily values of the benchmarks' three months of 31
// days.
func threeMonths() [][]decimal.Decimal {
	var periods [][]decimal.Decimal
	for m := range 3 {
		var days []decimal.Decimal
		for d := range 31 {
			days = append(days, decimal.New(int64(1000+37*d+m), -2))
		}
		periods = append(periods, days)
	}
	return periods
}
