package unixnano

import (
	"math"
	"math/big"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// want is t in nanoseconds since the epoch computed without overflow
// (seconds·10⁹ + nanoseconds as big integers), held at the ends of int64.
func want(t time.Time) int64 {
	n := new(big.Int).Mul(big.NewInt(t.Unix()), big.NewInt(int64(time.Second)))
	n.Add(n, big.NewInt(int64(t.Nanosecond())))
	switch {
	case n.Cmp(big.NewInt(math.MinInt64)) < 0:
		return math.MinInt64
	case n.Cmp(big.NewInt(math.MaxInt64)) > 0:
		return math.MaxInt64
	}
	return n.Int64()
}

func TestOf(t *testing.T) {
	for _, c := range []struct {
		name string
		t    time.Time
		want int64
	}{
		{"the epoch", time.Unix(0, 0), 0},
		{"the zero time", time.Time{}, math.MinInt64},
		{"9999: everything", time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), math.MaxInt64},
		{"the last instant held", time.Unix(0, math.MaxInt64), math.MaxInt64},
		{"a nanosecond after it", time.Unix(0, math.MaxInt64).Add(time.Nanosecond), math.MaxInt64},
		{"a nanosecond before it", time.Unix(0, math.MaxInt64).Add(-time.Nanosecond), math.MaxInt64 - 1},
		{"the first instant held", time.Unix(0, math.MinInt64), math.MinInt64},
		{"a nanosecond before it", time.Unix(0, math.MinInt64).Add(-time.Nanosecond), math.MinInt64},
		{"a nanosecond after it", time.Unix(0, math.MinInt64).Add(time.Nanosecond), math.MinInt64 + 1},
		{"2300 (UnixNano wraps to 1715)", time.Date(2300, 3, 29, 18, 0, 0, 0, time.UTC), math.MaxInt64},
		{"1600", time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC), math.MinInt64},
		{"in a zone", time.Date(2025, 3, 10, 15, 0, 0, 5, time.FixedZone("MSK", 3*3600)), 1741608000000000005},
	} {
		if got := Of(c.t); got != c.want {
			t.Errorf("%s: Of(%s) = %d, want %d", c.name, c.t, got, c.want)
		}
	}
	if !Min.Equal(time.Date(1677, 9, 21, 0, 12, 43, 145224192, time.UTC)) || !Max.Equal(time.Date(2262, 4, 11, 23, 47, 16, 854775807, time.UTC)) {
		t.Errorf("the range is %s to %s", Min.UTC(), Max.UTC())
	}
}

// Of is the exact count of nanoseconds wherever an int64 holds it, and the
// nearer end of int64 elsewhere, across the years time.Time holds.
func TestOfProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sec := rapid.Int64Range(-62135596800, 253402300799).Draw(t, "sec") // years 1 to 9999
		ns := rapid.Int64Range(0, int64(time.Second)-1).Draw(t, "ns")
		at := time.Unix(sec, ns)
		if got := Of(at); got != want(at) {
			t.Fatalf("Of(%s) = %d, want %d", at.UTC(), got, want(at))
		}
	})
}
