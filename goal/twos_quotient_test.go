package goal

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"testing"

	"github.com/goalkit/goalkit/forecast"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// twoPow is 2^k·10^-9 as a decimal: a number whose coefficient, the
// divisor of a quotient by it, holds 2^k and no 5.
func twoPow(k int64) decimal.Decimal {
	return decimal.NewFromBigInt(new(big.Int).Lsh(big.NewInt(1), uint(k)), -9)
}

// A seasonal forecast divides the actual by the share the profile reached:
// here 268,435,456 of 1,000,000,000 (0.268435456, a coefficient of 2^28)
// half way through, so that the quotient's divisor holds 2^28 after
// cancelling. It is exact, as big.Rat computes it (it was wrong: the
// power of 5 of the quotient was multiplied past 64 bits).
func TestForecastSeasonalShareOfTwos(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	p := period.Period{Grain: period.Month, Start: d("2025-04-01"), End: d("2025-05-01")}
	at := enginetest.At(cal, "2025-04-16 00:00") // 15 of April's 30 days
	first, rest := int64(268435456), int64(731564544)
	pr, ok := forecast.LearnProfile([]decimal.Decimal{decimal.NewFromInt(first), decimal.NewFromInt(rest)})
	if !ok {
		t.Fatal("no profile")
	}
	for _, a := range []string{"1", "3.5", "-7", "1000000"} {
		got, method := Forecast(cal, p, at, Cumulative, ForecastSeasonal, nd(a), &pr)
		want := new(big.Rat).Quo(dec(a).Rat(), big.NewRat(first, first+rest))
		if method != SeasonalShare || !got.Valid || got.Decimal.Rat().Cmp(want) != 0 {
			t.Errorf("actual %s: forecast %v by %s, want %s exactly by %s", a, got, method, want.FloatString(30), SeasonalShare)
		}
	}
}

// A lower-is-better suggestion divides by the stretch: 1 lead a working
// day over the three weeks before, 5 working days in the week of June 9,
// divided by a stretch of 2^k·10^-9 (k from 28) and rounded to whole
// leads, as big.Rat computes it half away from zero. 5 over 2^29·10^-9
// was 0 (the power of 5 of the quotient was multiplied past 64 bits).
func TestSuggestLowerStretchOfTwos(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	src := steadyLeads(cal, "anna", "2025-05-01", "2025-06-09", 1)
	g := Def{ID: "leads", Indicator: "leads", Target: dp("50"), Direction: score.LowerIsBetter,
		Period: PeriodDef{From: d("2024-01-01"), Every: period.Week}, Participants: ParticipantsDef{Users: []string{"anna"}}}
	s := mustCompile(t, cal, enginetest.SalesIndicators, g)
	for k := int64(28); k <= 34; k++ {
		stretch := twoPow(k)
		sg := suggestOne(t, s, src, SuggestRequest{AsOf: enginetest.At(cal, "2025-06-08 12:00"), For: d("2025-06-10"), History: 3, Stretch: &stretch})
		// 5 / (2^k / 10^9), rounded half up (it is positive).
		q := new(big.Rat).Quo(big.NewRat(5, 1), stretch.Rat())
		q.Add(q, big.NewRat(1, 2))
		want := new(big.Int).Quo(q.Num(), q.Denom())
		if sg.Base.String() != "1" || sg.Workdays != 5 || sg.Target.BigInt().Cmp(want) != 0 || !sg.Target.Equal(sg.Target.Round(0)) {
			t.Errorf("stretch %s: base %s, %d working days, target %s, want 1, 5, %s", stretch, sg.Base, sg.Workdays, sg.Target, want)
		}
	}
}

// A percentile or stretch of Suggest whose exponent is past what a plan
// file's reader takes is refused, named by its coefficient and exponent:
// a stretch of 3e2147483647 divided a lower-is-better suggestion into a
// quotient with no decimal's exponent and proposed 0; one of
// 1e-2147483648 made a higher-is-better one panic (an exponent past
// int32), and a lower-is-better one round a number of four billion
// digits.
func TestSuggestFarExponents(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	src := steadyLeads(cal, "anna", "2025-05-01", "2025-06-09", 1)
	for _, c := range []struct {
		dir                 score.Direction
		percentile, stretch decimal.Decimal
		want                string
	}{
		{score.LowerIsBetter, decimal.RequireFromString("0.5"), decimal.New(3, math.MaxInt32),
			"goal: suggest stretch 3e2147483647 has the exponent 2147483647: at most ±10000"},
		{score.HigherIsBetter, decimal.RequireFromString("0.5"), decimal.New(1, math.MinInt32),
			"goal: suggest stretch 1e-2147483648 has the exponent -2147483648: at most ±10000"},
		{score.HigherIsBetter, decimal.New(1, -10001), decimal.RequireFromString("1"),
			"goal: suggest percentile 1e-10001 has the exponent -10001: at most ±10000"},
	} {
		g := Def{ID: "leads", Indicator: "leads", Target: dp("50"), Direction: c.dir,
			Period: PeriodDef{From: d("2024-01-01"), Every: period.Week}, Participants: ParticipantsDef{Users: []string{"anna"}}}
		s := mustCompile(t, cal, enginetest.SalesIndicators, g)
		out, err := s.Suggest(context.Background(), snapshot(s, src), SuggestRequest{AsOf: enginetest.At(cal, "2025-06-08 12:00"),
			For: d("2025-06-10"), History: 3, Percentile: &c.percentile, Stretch: &c.stretch})
		if err == nil || err.Error() != c.want {
			// A far number's text is as long as its exponent: the
			// targets are written as coefficient and exponent.
			var targets []string
			for _, sg := range out {
				targets = append(targets, fmt.Sprintf("%se%d", sg.Target.Coefficient(), sg.Target.Exponent()))
			}
			t.Errorf("%s: %v, targets %v; want the error %q", c.dir, err, targets, c.want)
		}
	}
	// The ends are taken: a stretch of 1e10000 multiplies 5 a week.
	g := Def{ID: "leads", Indicator: "leads", Target: dp("50"),
		Period: PeriodDef{From: d("2024-01-01"), Every: period.Week}, Participants: ParticipantsDef{Users: []string{"anna"}}}
	s := mustCompile(t, cal, enginetest.SalesIndicators, g)
	stretch := decimal.New(1, 10000)
	sg := suggestOne(t, s, src, SuggestRequest{AsOf: enginetest.At(cal, "2025-06-08 12:00"), For: d("2025-06-10"), History: 3, Stretch: &stretch})
	if !sg.Target.Equal(decimal.New(5, 10000)) {
		t.Errorf("target %se%d, want 5e10000", sg.Target.Coefficient(), sg.Target.Exponent())
	}
}
