package score

import (
	"fmt"
	"math"
	"math/big"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/period"
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
// at once: at exponents near ±2^31 the difference never returned. A zero
// of any exponent spans no digits: the distance from it is exact (it was
// undefined).
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
		// A zero of any exponent is 0: 5 − 0, 0 − (−3), 7 − 0 to come down.
		{HigherIsBetter, decimal.New(0, math.MinInt32), decimal.NewFromInt(5), decimal.NewNullDecimal(decimal.NewFromInt(5))},
		{HigherIsBetter, decimal.NewFromInt(-3), decimal.New(0, math.MaxInt32), decimal.NewNullDecimal(decimal.NewFromInt(3))},
		{LowerIsBetter, decimal.NewFromInt(7), decimal.New(0, math.MinInt32), decimal.NewNullDecimal(decimal.NewFromInt(7))},
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

// within runs f and fails when it has not returned in 5 s (it is left
// running: the test fails at once rather than with the package's
// timeout).
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { f(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s did not return in 5 s", what)
	}
}

// A linear curve scores an actual far from its points at once: past them
// on a rising segment, the cap; on a falling one, the floor; on a flat one,
// its score; an actual more than 100,000 places from the points that the
// bounds do not decide (above them without a cap, or nearer zero than
// them) is undefined and scores the floor. Interpolating built a power of
// ten of as many digits as the exponents are apart (Sub, Mul, DivRound)
// and at exponents near ±2^31 never returned. Closer actuals score
// exactly. Hand counts on the points 0 → 0, 100 → 100 (and 200 → 100 for
// the flat end).
func TestCurvePointsFarExponents(t *testing.T) {
	up := []CurvePoint{{At: dec("0"), Score: dec("0")}, {At: dec("100"), Score: dec("100")}}
	down := []CurvePoint{{At: dec("0"), Score: dec("100")}, {At: dec("100"), Score: dec("0")}}
	flat := append(slices.Clone(up), CurvePoint{At: dec("200"), Score: dec("100")})
	huge, tiny := decimal.New(1, math.MaxInt32), decimal.New(1, math.MinInt32)
	for _, c := range []struct {
		dir    Direction
		pts    []CurvePoint
		cap    *decimal.Decimal
		actual decimal.Decimal
		want   decimal.Decimal
	}{
		{HigherIsBetter, up, decp("150"), huge, dec("150")},
		{HigherIsBetter, up, nil, huge, dec("0")}, // undefined: 10^2147483647 is too long to write
		{HigherIsBetter, up, decp("150"), huge.Neg(), dec("0")},
		{HigherIsBetter, up, decp("150"), tiny, dec("0")},                          // undefined
		{HigherIsBetter, up, decp("150"), tiny.Neg(), dec("0")},                    // undefined
		{HigherIsBetter, up, decp("150"), decimal.New(0, math.MinInt32), dec("0")}, // 0
		{HigherIsBetter, up, decp("150"), decimal.New(0, math.MaxInt32), dec("0")},
		{HigherIsBetter, flat, nil, huge, dec("100")},
		{HigherIsBetter, flat, nil, decimal.New(7, 100_001), dec("100")},
		{LowerIsBetter, down, nil, huge, dec("0")},
		{LowerIsBetter, down, decp("120"), huge.Neg(), dec("120")},
		{LowerIsBetter, down, nil, huge.Neg(), dec("0")}, // undefined
		{HigherIsBetter, up, nil, decimal.New(1, 100_000), decimal.New(1, 100_000)},
		{HigherIsBetter, up, nil, decimal.New(3, -100_000), dec("0")},
		{HigherIsBetter, up, decp("150"), decimal.New(1, 100_001), dec("150")},
		{HigherIsBetter, up, nil, decimal.New(1, 100_001), dec("0")}, // undefined
		{HigherIsBetter, up, nil, decimal.New(5, -3), dec("0.01")},
	} {
		cv, err := NewCurve(CurveSpec{Direction: c.dir, Target: dec("100"), Curve: &CurveDef{Points: c.pts}, Cap: c.cap, Places: 2})
		if err != nil {
			t.Fatal(err)
		}
		var got decimal.Decimal
		what := fmt.Sprintf("%s, actual %se%d, cap %v", c.dir, c.actual.Coefficient(), c.actual.Exponent(), c.cap)
		within(t, what, func() { got, err = cv.Score(decimal.NewNullDecimal(c.actual)) })
		if err != nil || !got.Equal(c.want) {
			t.Errorf("%s: score %s, %v; want %s", what, display.Number(got), err, display.Number(c.want))
		}
	}
}

// A scorecard scores a KPI whose actual is far from its target at once,
// its achievement included (Round of 10^2147483648 percent to the card's
// places never returned). Hand counts on the default curve of a target of
// 10 capped at 150: the achievement is the actual over 10, in percent.
func TestScoreValuesFarExponents(t *testing.T) {
	places := 2
	card := ScorecardDef{ID: "calls", Grain: period.Month, ScorePlaces: &places,
		KPIs: []KPIDef{{Indicator: "calls", Target: decp("10"), Weight: dec("100"), Cap: decp("150")}}}
	s, err := Compile(Defs{Scorecards: []ScorecardDef{card}}, Env{})
	if err != nil {
		t.Fatal(err)
	}
	sc, _ := s.Scorecard("calls")
	for _, c := range []struct {
		actual             decimal.Decimal
		total, achievement decimal.Decimal
	}{
		{decimal.New(1, math.MaxInt32), dec("150"), decimal.New(100, math.MaxInt32-1)},
		{decimal.New(1, math.MinInt32+3), dec("0"), dec("0")}, // 10^-2147483644 %
		{decimal.New(3, 100_001), dec("150"), decimal.New(3, 100_002)},
		{decimal.New(7, -100_000), dec("0"), dec("0")},
	} {
		var got Card
		what := fmt.Sprintf("ScoreValues of %se%d", c.actual.Coefficient(), c.actual.Exponent())
		within(t, what, func() {
			got, err = sc.ScoreValues("a", march, "2025-03", map[string]decimal.NullDecimal{"calls": decimal.NewNullDecimal(c.actual)})
		})
		if err != nil {
			t.Fatal(err)
		}
		if a := got.KPIs[0].Achievement; !got.Total.Equal(c.total) || !a.Valid || !a.Decimal.Equal(c.achievement) {
			t.Errorf("%s: total %s, achievement %s (valid %v); want %s, %s", what, display.Number(got.Total), display.Number(a.Decimal), a.Valid, display.Number(c.total), display.Number(c.achievement))
		}
	}
}

// Pay places a card's total far from the payout curve's points at once:
// far above them on a rising curve, the cap (200 %: 120,000); far below,
// 0; a total the bounds do not decide (above without a cap, or nearer zero
// than the points) leaves the percent undefined and pays no base amount.
// interpolateRat built a power of ten of as many digits as the exponents
// are apart and at exponents near ±2^31 never returned. Hand counts.
func TestPayFarExponents(t *testing.T) {
	points := []PayoutPoint{{Score: dec("70"), Percent: dec("50")}, {Score: dec("100"), Percent: dec("100")}, {Score: dec("130"), Percent: dec("175")}}
	capped := bonusFor(t, BonusDef{Base: decp("60000"), Cap: decp("200"), Payout: points})
	open := bonusFor(t, BonusDef{Base: decp("60000"), Payout: points})
	huge, tiny := decimal.New(1, math.MaxInt32), decimal.New(1, math.MinInt32)
	for _, c := range []struct {
		name    string
		b       *Bonus
		total   decimal.Decimal
		percent decimal.NullDecimal
		amount  string
	}{
		{"10^2147483647 capped", capped, huge, decimal.NewNullDecimal(dec("200")), "120000"},
		{"-10^2147483647", capped, huge.Neg(), decimal.NewNullDecimal(dec("0")), "0"},
		{"10^-2147483648", capped, tiny, decimal.NullDecimal{}, "0"},
		{"10^2147483647 without a cap", open, huge, decimal.NullDecimal{}, "0"},
		{"10^100001 capped", capped, decimal.New(1, 100_001), decimal.NewNullDecimal(dec("200")), "120000"},
		{"0e-2147483648", open, decimal.New(0, math.MinInt32), decimal.NewNullDecimal(dec("0")), "0"},
		{"130", open, dec("130"), decimal.NewNullDecimal(dec("175")), "105000"},
	} {
		cd := card("0")
		cd.Total = c.total
		var p Payout
		within(t, "Pay of "+c.name, func() { p = c.b.Pay(cd, decimal.NullDecimal{}) })
		if p.Percent.Valid != c.percent.Valid || p.Percent.Valid && !p.Percent.Decimal.Equal(c.percent.Decimal) || !p.Amount.Equal(dec(c.amount)) {
			t.Errorf("total %s: percent %v (valid %v), amount %s; want %v (valid %v), %s", c.name, p.Percent.Decimal, p.Percent.Valid, p.Amount, c.percent.Decimal, c.percent.Valid, c.amount)
		}
	}
}

// ratDecimal's quotient is always defined for the rationals Pay builds
// from numbers up to 100,000 places apart, exact where it terminates:
// 10^-20000 / 3 to 16 digits (10^-100000 / 3 takes a second in Div), (10^100000 + 1) / 4 exactly, 1/2^20 with
// its 20 places, and a percent of a total 10^100000 on the points 0 → 0,
// 100 → 100 (10^100000 itself). Hand counts.
func TestRatDecimalFarApart(t *testing.T) {
	p100k := new(big.Int).Exp(big.NewInt(10), big.NewInt(100_000), nil)
	p20k := new(big.Int).Exp(big.NewInt(10), big.NewInt(20_000), nil)
	for _, c := range []struct {
		r    *big.Rat
		want decimal.Decimal
	}{
		{new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Mul(p20k, big.NewInt(3))), decimal.New(3_333_333_333_333_333, -20_016)},
		{new(big.Rat).SetFrac(new(big.Int).Add(p100k, big.NewInt(1)), big.NewInt(4)), decimal.NewFromBigInt(new(big.Int).Add(new(big.Int).Mul(p100k, big.NewInt(25)), big.NewInt(25)), -2)},
		{big.NewRat(1, 1<<20), decimal.New(95367431640625, -20)},
		{interpolationRat(t, decimal.New(1, 100_000)), decimal.New(1, 100_000)},
	} {
		var got decimal.Decimal
		within(t, "ratDecimal", func() { got = ratDecimal(c.r) })
		if !got.Equal(c.want) {
			t.Errorf("ratDecimal = %s, want %s", display.Number(got), display.Number(c.want))
		}
	}
}

// interpolationRat is the value at x of the line 0 → 0, 100 → 100, exactly.
func interpolationRat(t *testing.T, x decimal.Decimal) *big.Rat {
	pts := []CurvePoint{{At: dec("0"), Score: dec("0")}, {At: dec("100"), Score: dec("100")}}
	num, dx, past, ok := interpolation(pts, exponents(pts), x, decimal.Zero, decimal.Zero)
	if !ok || past != 0 {
		t.Fatalf("interpolation of %se%d: past %d, ok %v", x.Coefficient(), x.Exponent(), past, ok)
	}
	return new(big.Rat).Quo(num.Rat(), dx.Rat())
}

// Tiers place a basis far below their bands in exponent at once: nothing
// is paid for 10^-2147483648 against bands from 10, or for -10^2147483647
// (GreaterThan scaled one number to the other's exponent and never
// returned). Hand counts: 150 pays 0.1 × 90 + 0.2 × 50 = 19.
func TestTiersBelowFarExponents(t *testing.T) {
	tr, err := NewTiers([]TierDef{{From: dec("10"), Rate: dec("0.1")}, {From: dec("100"), Rate: dec("0.2")}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		x     decimal.Decimal
		want  decimal.Decimal
		parts int
	}{
		{decimal.New(1, math.MinInt32), dec("0"), 0},
		{decimal.New(-1, math.MaxInt32), dec("0"), 0},
		{decimal.New(-7, math.MinInt32), dec("0"), 0},
		{dec("150"), dec("19"), 2},
	} {
		var got decimal.Decimal
		var parts []TierPart
		within(t, fmt.Sprintf("Amount(%se%d)", c.x.Coefficient(), c.x.Exponent()), func() { got, parts = tr.Amount(c.x) })
		if !got.Equal(c.want) || len(parts) != c.parts {
			t.Errorf("Amount(%se%d) = %s with %d parts, want %s with %d", c.x.Coefficient(), c.x.Exponent(), got, len(parts), c.want, c.parts)
		}
	}
}

// A pool's card whose total is far below the threshold in exponent has no
// share and does not qualify, at once: Split compared 10^-2147483643 with
// a threshold of 70 by scaling one to the other's exponent and never
// returned, as Pay did. Hand counts: 80 and 90 share 1,000.00 as 470.59
// (470.588…, the larger remainder) and 529.41.
func TestSplitBelowThresholdFarExponents(t *testing.T) {
	b := bonusFor(t, BonusDef{Threshold: decp("70"), Pool: &PoolDef{Amount: dec("1000")}})
	for _, total := range []decimal.Decimal{decimal.New(1, math.MinInt32+5), decimal.New(69, math.MinInt32)} {
		cards := []Card{card("80"), card("0"), card("90")}
		cards[1].Total = total
		for i, p := range []string{"a", "b", "c"} {
			cards[i].Participant = p
		}
		var pays []Payout
		var err error
		within(t, "Split", func() { pays, err = b.Split(cards, nil) })
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range pays {
			got = append(got, fmt.Sprintf("%s=%s %v", p.Participant, p.Amount.StringFixed(2), p.Qualified))
		}
		if want := "a=470.59 true, b=0.00 false, c=529.41 true"; strings.Join(got, ", ") != want {
			t.Errorf("total %se%d: %s, want %s", total.Coefficient(), total.Exponent(), strings.Join(got, ", "), want)
		}
	}
}

// A penalty below a score is judged on a KPI score far from it in
// exponent at once: Pay compared a host's card's score of 10^-2147483643
// (below 50: 5,000 off) or of 10^2147483647 (not below) with LessThan,
// which scaled one to the other's exponent and never returned. Hand
// counts: a total of 110 grosses 50,000 × 110 % = 55,000.
func TestPayPenaltyFarExponents(t *testing.T) {
	b := bonusFor(t, BonusDef{Base: decp("50000"), Penalties: []PenaltyDef{{KPI: "conversion", BelowScore: decp("50"), Amount: decp("5000")}}})
	for _, c := range []struct {
		score decimal.Decimal
		exact string
	}{{decimal.New(1, math.MinInt32+5), "50000"}, {decimal.New(1, math.MaxInt32), "55000"}, {decimal.New(-1, math.MaxInt32), "50000"}} {
		var p Payout
		within(t, "Pay", func() { p = b.Pay(card("110", KPIScore{KPI: "conversion", Score: c.score}), decimal.NullDecimal{}) })
		if !p.Exact.Equal(dec(c.exact)) {
			t.Errorf("score %se%d: exact %s, want %s", c.score.Coefficient(), c.score.Exponent(), p.Exact, c.exact)
		}
	}
}
