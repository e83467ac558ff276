package deliver_test

import (
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/goalkit/goalkit/deliver"
	"pgregory.net/rapid"
)

// A max past a quarter of what a Duration holds (146 years) is the wait
// of every failure whose doubled base passes it: doubling a wait past 2^62
// nanoseconds wrapped round, and a failure waited less than the one
// before (any wait, down to nothing).
func TestBackoffPastAQuarterOfADuration(t *testing.T) {
	// By hand: a max of 2562047h (the most whole hours a Duration holds,
	// 292 years), base 1h: the 22nd failure waits 1h·2^21, the 23rd the
	// max, as every later one, where doubling wrapped round (the 40th
	// waited 923863h, less than the 39th).
	most := 2562047 * time.Hour
	if got := deliver.Backoff(22, time.Hour, most, 0); got != 1<<20*time.Hour {
		t.Errorf("Backoff(22, 1h, 2562047h, 0) = %v, want %v", got, 1<<20*time.Hour)
	}
	for _, n := range []int{23, 40, 1000} {
		if got := deliver.Backoff(n, time.Hour, most, 0); got != most/2 {
			t.Errorf("Backoff(%d, 1h, 2562047h, 0) = %v, want %v", n, got, most/2)
		}
	}
}

// Property: Backoff's wait is d/2 + r·d/2 for d = min(base·2^(n-1), max),
// computed here in big integers, whatever the sizes: r·d/2 to within the
// rounding of a float64 (a part in 2^52, and the nanosecond it is cut
// to), and never past d.
func TestBackoffProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		base := time.Duration(rapid.Int64Range(1, math.MaxInt64).Draw(t, "base"))
		if rapid.Bool().Draw(t, "small") {
			base = time.Duration(rapid.Int64Range(1, int64(time.Hour)).Draw(t, "small base"))
		}
		max := time.Duration(rapid.Int64Range(int64(base), math.MaxInt64).Draw(t, "max"))
		n := rapid.IntRange(1, 200).Draw(t, "n")
		r := rapid.Float64Range(0, 1).Draw(t, "r")
		d := new(big.Int).Lsh(big.NewInt(int64(base)), uint(n-1))
		if d.Cmp(big.NewInt(int64(max))) > 0 {
			d.SetInt64(int64(max))
		}
		whole := time.Duration(d.Int64())
		half := whole / 2
		got := deliver.Backoff(n, base, max, r)
		if got < half || got > whole {
			t.Fatalf("Backoff(%d, %d, %d, %v) = %d, outside [%d, %d]", n, base, max, r, got, half, whole)
		}
		// |got - half - r·half| ≤ half/2^52 + 1, in exact rationals.
		off := new(big.Rat).SetInt64(int64(got - half))
		off.Sub(off, new(big.Rat).Mul(new(big.Rat).SetFloat64(r), new(big.Rat).SetInt64(int64(half))))
		off.Abs(off)
		bound := new(big.Rat).SetFrac(big.NewInt(int64(half)), new(big.Int).Lsh(big.NewInt(1), 52))
		bound.Add(bound, big.NewRat(1, 1))
		if off.Cmp(bound) > 0 {
			t.Fatalf("Backoff(%d, %d, %d, %v) = %d, want %d + %v·%d", n, base, max, r, got, half, r, half)
		}
	})
}

// A wait past 2^53 nanoseconds (104 days) is never past d nor max: the
// jitter r·d/2, in floating point, rounded above d/2 and the wait past
// them. By hand: d = max = 2^55+6 ns, so d/2 = 2^54+3, which a float64
// holds only as 2^54+4; with r = 1 the wait was 2^55+7, a nanosecond past
// max, and is d.
func TestBackoffJitterRoundsWithinMax(t *testing.T) {
	d := time.Duration(1<<55 + 6)
	if got := deliver.Backoff(1, d, d, 1); got != d {
		t.Errorf("Backoff(1, %d, %d, 1) = %d, want %d", d, d, got, d)
	}
}
