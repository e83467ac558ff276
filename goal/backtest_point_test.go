package goal

import (
	"math/big"
	"strconv"
	"testing"
	"time"

	"github.com/goalkit/goalkit/period"
	"pgregory.net/rapid"
)

// A backtest's point is the share of its period as written, moved back to
// the start of its day: 0.29 of a 300-day period is the start of day 87.
// The share was a float product, 0.29 × 300 days a nanosecond short of 87
// days, so the forecast was made a day early. The reference reads the
// share's decimal digits into a big.Rat.
func TestBacktestPointIsTheShareAsWritten(t *testing.T) {
	cal, err := period.LoadCalendar("UTC")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	want := func(t interface{ Fatalf(string, ...any) }, a string, days int) time.Time {
		r, ok := new(big.Rat).SetString(a)
		if !ok {
			t.Fatalf("share %s", a)
		}
		// ⌊a · days · 24h⌋ in nanoseconds, then the start of that day.
		ns := new(big.Rat).Mul(r, new(big.Rat).SetInt64(int64(days)*int64(24*time.Hour)))
		q := new(big.Int).Quo(ns.Num(), ns.Denom())
		at := start.Add(time.Duration(q.Int64()))
		return time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
	}
	check := func(t interface{ Fatalf(string, ...any) }, a string, days int) {
		f, err := strconv.ParseFloat(a, 64)
		if err != nil {
			t.Fatalf("%v", err)
		}
		end := start.AddDate(0, 0, days)
		if got, w := pointOf(cal, start, end, f), want(t, a, days); !got.Equal(w) {
			t.Fatalf("point %s of %d days: %s, want %s", a, days, got, w)
		}
	}
	check(t, "0.29", 300)
	if got := pointOf(cal, start, start.AddDate(0, 0, 300), 0.29); !got.Equal(start.AddDate(0, 0, 87)) {
		t.Fatalf("0.29 of 300 days: %s, want the start of day 87", got)
	}
	rapid.Check(t, func(t *rapid.T) {
		places := rapid.IntRange(1, 6).Draw(t, "places")
		scale := 1
		for range places {
			scale *= 10
		}
		digits := rapid.IntRange(1, scale-1).Draw(t, "digits")
		a := strconv.FormatFloat(float64(digits)/float64(scale), 'f', -1, 64)
		check(t, a, rapid.IntRange(1, 3660).Draw(t, "days"))
	})
}
