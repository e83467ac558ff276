package score

import (
	"math"
	"math/big"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// farApart runs f and fails when it allocated more than 1 MiB: comparing
// 10^1000000 with 10^-1000000 by Decimal.Cmp or their difference built a
// power of ten of two million digits (about 0.8 MB each, and 0.1 s), and
// at exponents near ±2^31 never returned. TotalAlloc counts every
// goroutine's allocations (the race detector's too), hence the generous
// bound.
func farApart(t *testing.T, what string, f func()) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("%s allocated %d bytes", what, n)
	}
}

// Remaining of a target met far from the actual is zero at once; one not
// met is the exact distance (hand counts), however far apart the digits.
func TestRemainingFarExponents(t *testing.T) {
	huge, tiny := decimal.New(1, 1_000_000), decimal.New(1, -1_000_000)
	for _, c := range []struct {
		dir            Direction
		actual, target decimal.Decimal
	}{
		{HigherIsBetter, huge, tiny},
		{HigherIsBetter, tiny, tiny.Neg()},
		{LowerIsBetter, tiny, huge},
		{LowerIsBetter, huge.Neg(), tiny},
	} {
		var got decimal.NullDecimal
		farApart(t, "Remaining", func() { got = Remaining(c.dir, decimal.NewNullDecimal(c.actual), decimal.NewNullDecimal(c.target)) })
		if !got.Valid || !got.Decimal.IsZero() {
			t.Errorf("%s, actual 1e%d, target 1e%d: Remaining %v, want 0", c.dir, c.actual.Exponent(), c.target.Exponent(), got)
		}
	}
	// Not met: 3 − 1.25 = 1.75 to go up, 5 − 2 = 3 to come down.
	for _, c := range []struct {
		dir                  Direction
		actual, target, want string
	}{
		{HigherIsBetter, "1.25", "3", "1.75"},
		{LowerIsBetter, "5", "2", "3"},
		{HigherIsBetter, "-2", "-1", "1"},
		{LowerIsBetter, "2", "2", "0"},
	} {
		got := Remaining(c.dir, decimal.NewNullDecimal(decimal.RequireFromString(c.actual)), decimal.NewNullDecimal(decimal.RequireFromString(c.target)))
		if !got.Valid || !got.Decimal.Equal(decimal.RequireFromString(c.want)) {
			t.Errorf("%s, actual %s, target %s: Remaining %v, want %s", c.dir, c.actual, c.target, got, c.want)
		}
	}
}

// Rank and Compare order values far apart in exponent by their orders of
// magnitude, at once.
func TestRankFarExponents(t *testing.T) {
	huge, tiny := decimal.New(3, 1_000_000), decimal.New(2, -1_000_000)
	ss := []Standing{
		{Participant: "a", Value: decimal.NewNullDecimal(tiny)},
		{Participant: "b", Value: decimal.NewNullDecimal(huge)},
		{Participant: "c", Value: decimal.NewNullDecimal(tiny.Neg())},
	}
	var got []Standing
	farApart(t, "Rank", func() { got = Rank(ss, false) })
	order := ""
	for _, s := range got {
		order += s.Participant
	}
	if order != "bac" || got[0].Rank != 1 || got[1].Rank != 2 || got[2].Rank != 3 {
		t.Errorf("Rank: %s, ranks %d %d %d; want bac, 1 2 3", order, got[0].Rank, got[1].Rank, got[2].Rank)
	}
	farApart(t, "Compare", func() {
		if c := Compare(ss[0], ss[1], true); c >= 0 {
			t.Errorf("Compare(tiny, huge, lower is better) = %d, want negative", c)
		}
	})
}

// BenchmarkRank ranks 1,000 achievements of 16 significant digits, of
// other exponents (2/3, 5/4, …), as a leaderboard of a report does.
func BenchmarkRank(b *testing.B) {
	ss := make([]Standing, 1000)
	for i := range ss {
		q, _ := decimal.NewFromInt(int64(i%97+1)).QuoRem(decimal.NewFromInt(int64(i%13+3)), 16)
		ss[i] = Standing{Participant: string(rune('a'+i%26)) + string(rune('a'+i/26%26)), Value: decimal.NewNullDecimal(q)}
	}
	for b.Loop() {
		Rank(ss, false)
	}
}

// A step curve places an actual far from its steps by orders of
// magnitude, at once: 10^-1000000 is below the first step (the floor) and
// 10^1000000 past the last (hand counts of the table).
func TestCurveStepsFarExponents(t *testing.T) {
	steps := []CurveStep{{From: decimal.NewFromInt(50), Score: decimal.NewFromInt(40)}, {From: decimal.NewFromInt(100), Score: decimal.NewFromInt(100)}}
	for _, c := range []struct {
		dir    Direction
		actual decimal.Decimal
		want   string
	}{
		{HigherIsBetter, decimal.New(1, -1_000_000), "0"},
		{HigherIsBetter, decimal.New(1, 1_000_000), "100"},
		{HigherIsBetter, decimal.New(-1, 1_000_000), "0"},
	} {
		cv, err := NewCurve(CurveSpec{Direction: c.dir, Target: decimal.NewFromInt(100), Curve: &CurveDef{Steps: steps}})
		if err != nil {
			t.Fatal(err)
		}
		var got decimal.Decimal
		farApart(t, "Curve.Score", func() { got, err = cv.Score(decimal.NewNullDecimal(c.actual)) })
		if err != nil || !got.Equal(decimal.RequireFromString(c.want)) {
			t.Errorf("%s, actual %se%d: score %s, %v; want %s", c.dir, c.actual.Coefficient(), c.actual.Exponent(), got, err, c.want)
		}
	}
}

// Remaining is max(0, target − actual) (the reverse when lower is better)
// and Compare orders values as big.Rat does, for numbers of exponents from
// -300 to 300, near each other or far apart.
func TestRemainingAndCompareAgainstRat(t *testing.T) {
	num := rapid.Custom(func(t *rapid.T) decimal.Decimal {
		c := rapid.Int64Range(-1_000_000_000_000, 1_000_000_000_000).Draw(t, "c")
		return decimal.New(c, int32(rapid.IntRange(-300, 300).Draw(t, "e")))
	})
	rapid.Check(t, func(t *rapid.T) {
		a, b := num.Draw(t, "a"), num.Draw(t, "b")
		if rapid.Bool().Draw(t, "near") {
			b = a.Add(decimal.New(int64(rapid.IntRange(-2, 2).Draw(t, "step")), a.Exponent()))
		}
		dir := rapid.SampledFrom([]Direction{HigherIsBetter, LowerIsBetter}).Draw(t, "dir")
		want := new(big.Rat).Sub(b.Rat(), a.Rat()) // target b − actual a
		if dir == LowerIsBetter {
			want.Neg(want)
		}
		if want.Sign() < 0 {
			want.SetInt64(0)
		}
		got := Remaining(dir, decimal.NewNullDecimal(a), decimal.NewNullDecimal(b))
		if !got.Valid || got.Decimal.Rat().Cmp(want) != 0 {
			t.Fatalf("Remaining(%s, %s, %s) = %v, want %s", dir, a, b, got, want.RatString())
		}
		c := Compare(Standing{Value: decimal.NewNullDecimal(a)}, Standing{Value: decimal.NewNullDecimal(b)}, dir == LowerIsBetter)
		wantC := b.Rat().Cmp(a.Rat()) // higher first
		if dir == LowerIsBetter {
			wantC = -wantC
		}
		if c != wantC {
			t.Fatalf("Compare(%s, %s, %s) = %d, want %d", a, b, dir, c, wantC)
		}
	})
}

func ptrDec(d decimal.Decimal) *decimal.Decimal { return &d }

// Remaining of a target not met is exact up to exponents 100,000 apart
// (hand counts: 10^100000 − 1 is 100,000 nines) and undefined past them,
// at once: at exponents near ±2^31 the difference never returned.
func TestRemainingNotMetFarExponents(t *testing.T) {
	nines := decimal.RequireFromString(strings.Repeat("9", 100_000))
	for _, c := range []struct {
		dir            Direction
		actual, target decimal.Decimal
		want           decimal.NullDecimal
	}{
		{HigherIsBetter, decimal.NewFromInt(1), decimal.New(1, 100_000), decimal.NewNullDecimal(nines)},
		{LowerIsBetter, decimal.New(1, 100_000), decimal.NewFromInt(1), decimal.NewNullDecimal(nines)},
		{HigherIsBetter, decimal.NewFromInt(1), decimal.New(1, 100_001), decimal.NullDecimal{}},
		{HigherIsBetter, decimal.New(-1, 100_001), decimal.NewFromInt(-1), decimal.NullDecimal{}},
		{LowerIsBetter, decimal.New(1, 100_001), decimal.NewFromInt(1), decimal.NullDecimal{}},
		{HigherIsBetter, decimal.New(1, math.MinInt32+5), decimal.New(1, math.MaxInt32), decimal.NullDecimal{}},
		{HigherIsBetter, decimal.New(-1, math.MaxInt32), decimal.New(1, math.MinInt32), decimal.NullDecimal{}},
		{LowerIsBetter, decimal.New(1, math.MaxInt32), decimal.New(-1, math.MinInt32), decimal.NullDecimal{}},
		{LowerIsBetter, decimal.New(7, math.MaxInt32), decimal.New(3, math.MaxInt32), decimal.NewNullDecimal(decimal.New(4, math.MaxInt32))},
		{HigherIsBetter, decimal.New(3, math.MinInt32), decimal.New(7, math.MinInt32), decimal.NewNullDecimal(decimal.New(4, math.MinInt32))},
	} {
		start := time.Now()
		got := Remaining(c.dir, decimal.NewNullDecimal(c.actual), decimal.NewNullDecimal(c.target))
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s, actual %se%d, target %se%d: Remaining took %v", c.dir, c.actual.Coefficient(), c.actual.Exponent(), c.target.Coefficient(), c.target.Exponent(), d)
		}
		if got.Valid != c.want.Valid || got.Valid && !got.Decimal.Equal(c.want.Decimal) {
			t.Errorf("%s, actual %se%d, target %se%d: Remaining %s (valid %v), want %s (valid %v)", c.dir, c.actual.Coefficient(), c.actual.Exponent(), c.target.Coefficient(), c.target.Exponent(),
				display.Number(got.Decimal), got.Valid, display.Number(c.want.Decimal), c.want.Valid)
		}
	}
}

// A card's total far below a bonus's threshold in exponent does not
// qualify, at once: Pay compared 10^-2147483643 with a threshold of 70 by
// scaling one to the other's exponent and never returned. Hand counts.
func TestPayBelowThresholdFarExponents(t *testing.T) {
	b := bonusFor(t, BonusDef{Base: decp("60000"), Threshold: decp("70"),
		Payout: []PayoutPoint{{Score: dec("70"), Percent: dec("50")}, {Score: dec("100"), Percent: dec("100")}}})
	for _, total := range []decimal.Decimal{decimal.New(1, math.MinInt32+5), decimal.New(-1, math.MaxInt32), decimal.New(69, math.MinInt32)} {
		c := card("0")
		c.Total = total
		var p Payout
		farApart(t, "Pay", func() { p = b.Pay(c, decimal.NullDecimal{}) })
		if p.Qualified || !p.Amount.Equal(decimal.Zero) || p.Amount.Exponent() != -2 {
			t.Errorf("total %se%d: qualified %v, amount %se%d; want not qualified, 0.00", total.Coefficient(), total.Exponent(), p.Qualified, p.Amount.Coefficient(), p.Amount.Exponent())
		}
	}
}
