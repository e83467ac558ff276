package goalkit_test

import (
	"bytes"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goalstats"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// roundRatText is r rounded to places decimal places, half away from
// zero, written with exactly that many (a plain computation on fractions).
func roundRatText(r *big.Rat, places int) string {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
	x := new(big.Rat).Mul(r, new(big.Rat).SetInt(scale))
	neg := x.Sign() < 0
	x.Abs(x)
	q, m := new(big.Int).QuoRem(x.Num(), x.Denom(), new(big.Int))
	if new(big.Int).Lsh(m, 1).Cmp(x.Denom()) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	s := q.String()
	for len(s) <= places {
		s = "0" + s
	}
	s = s[:len(s)-places] + "." + s[len(s)-places:]
	if neg && q.Sign() != 0 {
		s = "-" + s
	}
	return s
}

// The table writer's times to achievement are the seconds of the goal
// statistics in days, rounded once to the hundredth: 431.5 seconds is
// 0.00499… days, "0.00 d", never "0.01 d" by way of 0.0050.
func TestGoalStatsTableRoundsDaysOnce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		// Seconds to the millisecond, within a few hundredths of a day of
		// a hundredth's midpoint (432 seconds past a multiple of 864).
		k := rapid.Int64Range(0, 5000).Draw(t, "hundredths")
		off := rapid.Int64Range(-5000, 5000).Draw(t, "milliseconds off the midpoint")
		median := decimal.New((864*k+432)*1000+off, -3)
		p90 := decimal.New(rapid.Int64Range(0, 1e12).Draw(t, "p90 ms"), -3)
		rep := &goalkit.Report{AsOf: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), GoalStats: &goalstats.Result{
			Total: goalstats.Tally{Instances: 1, Achieved: 1, TimeToAchievement: goalstats.Durations{Instances: 1,
				Min: decimal.NewNullDecimal(median), Median: decimal.NewNullDecimal(median), P90: decimal.NewNullDecimal(p90), Max: decimal.NewNullDecimal(p90)}},
		}}
		var b bytes.Buffer
		if err := rep.WriteTable(&b); err != nil {
			t.Fatal(err)
		}
		var line string
		for l := range strings.Lines(b.String()) {
			if strings.HasPrefix(l, "  all goals") {
				line = l
			}
		}
		if line == "" {
			t.Fatalf("no line of all goals in\n%s", b.String())
		}
		days := func(s decimal.Decimal) string {
			return strings.ReplaceAll(roundRatText(new(big.Rat).Quo(s.Rat(), big.NewRat(86400, 1)), 2), " ", "")
		}
		// Compare on the whole line with the spaces of grouping removed.
		compact := strings.ReplaceAll(strings.ReplaceAll(line, "\u00a0", ""), " ", "")
		if want := days(median) + "d" + days(p90) + "d"; !strings.HasSuffix(strings.TrimSpace(compact), want) {
			t.Fatalf("median %s s, p90 %s s: the table says %q want … %s d … %s d", median, p90, strings.TrimSpace(line), days(median), days(p90))
		}
	})
}
