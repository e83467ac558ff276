package goalstats

import (
	"context"
	"fmt"
	"math/big"
	"strconv"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// Property: over random events of a few people in three months, each
// correlation with revenue is Pearson's r over the points (person, month)
// worked out here from the events: the counts, sums and averages by a plain
// loop (the averages checked against their exact quotients), r² in exact
// rationals. r has the sign of the covariance and is r
// rounded to 16 significant digits (so |r| ≤ 1); fewer than 3 points or a
// constant KPI or revenue leave it undefined, with the reason. A team's
// row and everyone's ("*") are never points.
func TestCorrelateAgainstExactSums(t *testing.T) {
	cal := enginetest.Calendar(t, "Asia/Tokyo")
	inds := []kpi.IndicatorDef{
		{ID: "revenue", Kinds: []string{"deal.won"}, Aggregate: "sum", Value: "amount"},
		{ID: "won", Kinds: []string{"deal.won"}, Aggregate: "count"},
		{ID: "calls", Kinds: []string{"call"}, Aggregate: "count"},
		{ID: "avg_deal", Kinds: []string{"deal.won"}, Aggregate: "avg", Value: "amount"},
	}
	set, err := kpi.Compile(inds, kpi.Env{Calendar: cal})
	if err != nil {
		t.Fatal(err)
	}
	months, _ := cal.Periods(period.Month, d("2025-01-01"), d("2025-04-01"))
	rapid.Check(t, func(rt *rapid.T) {
		people := rapid.IntRange(1, 5).Draw(rt, "people")
		type cell struct {
			won, calls int64
			revenue    *big.Rat
		}
		cells := make([][3]cell, people)
		var src kpi.Events
		var members []string
		for p := range people {
			actor := "u" + strconv.Itoa(p)
			members = append(members, actor)
			for m := range months {
				c := &cells[p][m]
				c.revenue = new(big.Rat)
				// The first person's first call is there in every case, so
				// that each person is a participant of the values.
				c.calls = int64(rapid.IntRange(0, 3).Draw(rt, "calls"))
				if m == 0 {
					c.calls++
				}
				day := cal.Midnight(months[m].Start).Add(36 * time.Hour)
				for i := range c.calls {
					src = append(src, ev(fmt.Sprintf("c%d-%d-%d", p, m, i), "call", actor, day))
				}
				c.won = int64(rapid.IntRange(0, 3).Draw(rt, "deals"))
				for i := range c.won {
					amount := decimal.New(rapid.Int64Range(-2000, 1_000_000).Draw(rt, "amount"), -int32(rapid.IntRange(0, 3).Draw(rt, "places")))
					e := ev(fmt.Sprintf("d%d-%d-%d", p, m, i), "deal.won", actor, day.Add(time.Duration(i)*time.Hour))
					e.Amount = decimal.NewNullDecimal(amount)
					src = append(src, e)
					c.revenue.Add(c.revenue, amount.Rat())
				}
			}
		}
		res, err := set.EvaluateTable(context.Background(), enginetest.Table(cal.Location(), src), kpi.Request{Calendar: cal, Periods: months,
			AsOf: enginetest.At(cal, "2025-04-01 00:00"), Groups: []org.Group{{ID: "team", Members: members}}})
		if err != nil {
			rt.Fatal(err)
		}
		// The average as the report holds it: the quotient rounded to 16
		// significant digits where it does not terminate (10/3 is
		// 3.333333333333333), checked against the exact one here.
		avg := func(p, m int, c cell) *big.Rat {
			if c.won == 0 {
				return nil // an average of nothing is not a point
			}
			exact := new(big.Rat).Quo(c.revenue, big.NewRat(c.won, 1))
			v, _ := res.Value("avg_deal", members[p], months[m])
			if !v.Valid {
				rt.Fatalf("no average for %s in %s", members[p], cal.Label(months[m]))
			}
			off := new(big.Rat).Abs(new(big.Rat).Sub(v.Decimal.Rat(), exact))
			if off.Cmp(new(big.Rat).Mul(new(big.Rat).Abs(exact), big.NewRat(1, 1e15))) > 0 {
				rt.Fatalf("the average of %s in %s is %s, want %s", members[p], cal.Label(months[m]), v.Decimal, exact.FloatString(20))
			}
			return v.Decimal.Rat()
		}
		kpis := map[string]func(p, m int, c cell) *big.Rat{
			"won":      func(_, _ int, c cell) *big.Rat { return big.NewRat(c.won, 1) },
			"calls":    func(_, _ int, c cell) *big.Rat { return big.NewRat(c.calls, 1) },
			"avg_deal": avg,
		}
		for _, got := range Correlate(res, Def{BusinessResult: "revenue"}) {
			x := kpis[got.Indicator]
			if got.BusinessResult != "revenue" || x == nil {
				rt.Fatalf("a correlation of %s with %s", got.Indicator, got.BusinessResult)
			}
			var n int64
			sx, sy, sxy, sxx, syy := new(big.Rat), new(big.Rat), new(big.Rat), new(big.Rat), new(big.Rat)
			for p := range cells {
				for m, c := range cells[p] {
					xv := x(p, m, c)
					if xv == nil {
						continue
					}
					n++
					sx.Add(sx, xv)
					sy.Add(sy, c.revenue)
					sxy.Add(sxy, new(big.Rat).Mul(xv, c.revenue))
					sxx.Add(sxx, new(big.Rat).Mul(xv, xv))
					syy.Add(syy, new(big.Rat).Mul(c.revenue, c.revenue))
				}
			}
			if int64(got.Points) != n {
				rt.Fatalf("%s: %d points, want %d", got.Indicator, got.Points, n)
			}
			nr := big.NewRat(n, 1)
			varOf := func(s, ss *big.Rat) *big.Rat { // nΣx² − (Σx)²
				return new(big.Rat).Sub(new(big.Rat).Mul(nr, ss), new(big.Rat).Mul(s, s))
			}
			cov := new(big.Rat).Sub(new(big.Rat).Mul(nr, sxy), new(big.Rat).Mul(sx, sy))
			vx, vy := varOf(sx, sxx), varOf(sy, syy)
			want := ""
			switch {
			case n < 3:
				want = "fewer than 3 points"
			case vx.Sign() == 0:
				want = got.Indicator + " has the same value at every point"
			case vy.Sign() == 0:
				want = "revenue has the same value at every point"
			}
			if want != "" {
				if got.R.Valid || got.Undefined != want {
					rt.Fatalf("%s over %d points: r %s (%q), want undefined: %s", got.Indicator, n, str(got.R), got.Undefined, want)
				}
				continue
			}
			if !got.R.Valid || got.Undefined != "" {
				rt.Fatalf("%s over %d points: undefined (%q)", got.Indicator, n, got.Undefined)
			}
			r := got.R.Decimal
			if r.Sign() != cov.Sign() {
				rt.Fatalf("%s: r %s, yet the covariance's sign is %d", got.Indicator, r, cov.Sign())
			}
			if r.Abs().GreaterThan(decimal.NewFromInt(1)) || len(r.Coefficient().String()) > 17 {
				rt.Fatalf("%s: r %s is outside [-1, 1] or has more than 16 digits", got.Indicator, r)
			}
			if r.IsZero() {
				continue // the covariance is 0, checked above
			}
			// r rounded to 16 significant digits: the exact r lies within
			// half a unit of r's 16th digit, h, so r² lies between
			// (|r| − h)² and (|r| + h)².
			r2 := new(big.Rat).Quo(new(big.Rat).Mul(cov, cov), new(big.Rat).Mul(vx, vy))
			adjusted := int32(len(r.Abs().Coefficient().String())) - 1 + r.Exponent()
			h := decimal.New(5, adjusted-16)
			lo, hi := r.Abs().Sub(h).Rat(), r.Abs().Add(h).Rat()
			if r2.Cmp(new(big.Rat).Mul(lo, lo)) < 0 || r2.Cmp(new(big.Rat).Mul(hi, hi)) > 0 {
				rt.Fatalf("%s over %d points: r %s, yet r² is %s", got.Indicator, n, r, r2.FloatString(20))
			}
		}
	})
}
