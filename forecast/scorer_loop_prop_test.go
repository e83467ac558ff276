package forecast

import (
	"math/big"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// ratOfDec reads a decimal as a big.Rat, from its text.
func ratOfDec(d decimal.Decimal) *big.Rat {
	r, ok := new(big.Rat).SetString(d.String())
	if !ok {
		panic("unreadable decimal " + d.String())
	}
	return r
}

// ratRounded is r rounded half away from zero to places decimal places,
// as a decimal.
func ratRounded(r *big.Rat, places int) decimal.Decimal {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
	x := new(big.Rat).Mul(new(big.Rat).Abs(r), new(big.Rat).SetInt(scale))
	x.Add(x, big.NewRat(1, 2))
	q := new(big.Int).Quo(x.Num(), x.Denom())
	if r.Sign() < 0 {
		q.Neg(q)
	}
	return decimal.NewFromBigInt(q, int32(-places))
}

// genScoreDec draws a final value, point forecast or probability: whole
// numbers, cents, and fractions of up to 6 places, of either sign.
func genScoreDec(t *rapid.T, label string) decimal.Decimal {
	return decimal.New(rapid.Int64Range(-2_000_000, 2_000_000).Draw(t, label), int32(-rapid.IntRange(0, 6).Draw(t, label+" places")))
}

// refScore is a Score summed by a plain loop over the cases, in big.Rat.
type refScore struct {
	forecasts, judged int
	absErr, absFinal  *big.Rat
	sq                *big.Rat
}

func newRefScore() *refScore {
	return &refScore{absErr: new(big.Rat), absFinal: new(big.Rat), sq: new(big.Rat)}
}

func (r *refScore) add(final, point *big.Rat, p *big.Rat, reached bool) {
	r.forecasts++
	r.absErr.Add(r.absErr, new(big.Rat).Abs(new(big.Rat).Sub(point, final)))
	r.absFinal.Add(r.absFinal, new(big.Rat).Abs(final))
	if p != nil {
		r.judged++
		o := new(big.Rat)
		if reached {
			o.SetInt64(1)
		}
		d := new(big.Rat).Sub(p, o)
		r.sq.Add(r.sq, new(big.Rat).Mul(d, d))
	}
}

// check compares s with the reference: means rounded once, half away from
// zero, undefined where nothing was counted.
func (r *refScore) check(t *rapid.T, what string, s Score) {
	if s.Forecasts != r.forecasts || s.Judged != r.judged {
		t.Fatalf("%s: %d forecasts, %d judged; want %d, %d", what, s.Forecasts, s.Judged, r.forecasts, r.judged)
	}
	want := func(name string, got decimal.NullDecimal, num *big.Rat, den *big.Rat, places int) {
		if den.Sign() == 0 {
			if got.Valid {
				t.Fatalf("%s: %s = %s, want undefined", what, name, got.Decimal)
			}
			return
		}
		w := ratRounded(new(big.Rat).Quo(num, den), places)
		if !got.Valid || !got.Decimal.Equal(w) {
			t.Fatalf("%s: %s = %v, want %s", what, name, got, w)
		}
	}
	want("MAE", s.MAE, r.absErr, big.NewRat(int64(r.forecasts), 1), 2)
	want("relative MAE", s.RelativeMAE, r.absErr, r.absFinal, 4)
	want("Brier", s.Brier, r.sq, big.NewRat(int64(r.judged), 1), 4)
}

// A Scorer's every number is what a plain loop over its cases gives in
// big.Rat: per method and per point, the MAE (to 2 places), the relative
// MAE (to 4; undefined where every final is 0), the Brier score (to 4;
// undefined where none was judged) of the probabilities taken into [0, 1];
// the reliability bins by tenths of the probability (1 in the last), with
// their counts, reached and mean probability (to 3 places); and Best, the
// lowest Brier score, ties by relative MAE, then by order, an undefined
// score after a defined one.
func TestScorerAgainstLoopProp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nm := rapid.IntRange(1, 3).Draw(t, "methods")
		na := rapid.IntRange(1, 3).Draw(t, "points")
		methods := []string{"run_rate", "seasonal", "probabilistic"}[:nm]
		at := []string{"25%", "50%", "75%"}[:na]
		sc := NewScorer(methods, at)
		all := make([]*refScore, nm)
		byAt := make([][]*refScore, na)
		type refBin struct {
			count, reached int
			sumP           *big.Rat
		}
		bins := make([][10]refBin, nm)
		for m := range nm {
			all[m] = newRefScore()
			for k := range 10 {
				bins[m][k].sumP = new(big.Rat)
			}
		}
		for i := range na {
			byAt[i] = make([]*refScore, nm)
			for m := range nm {
				byAt[i][m] = newRefScore()
			}
		}
		n := rapid.IntRange(0, 25).Draw(t, "cases")
		// Finals of 0 in some runs only, so that a relative MAE is
		// undefined there.
		zeroFinals := rapid.IntRange(0, 4).Draw(t, "zero finals") == 0
		for range n {
			i := rapid.IntRange(0, na-1).Draw(t, "at")
			c := Case{Final: genScoreDec(t, "final"), Reached: rapid.Bool().Draw(t, "reached")}
			if zeroFinals {
				c.Final = decimal.Zero
			}
			for range nm {
				c.Points = append(c.Points, genScoreDec(t, "point"))
				var p decimal.NullDecimal
				switch rapid.IntRange(0, 5).Draw(t, "p kind") {
				case 0:
					// none
				case 1:
					// Outside [0, 1]: counts as the nearer end.
					p = decimal.NewNullDecimal(genScoreDec(t, "p outside").Shift(-4))
				case 2:
					// A tenth exactly, a bin's edge.
					p = decimal.NewNullDecimal(decimal.New(rapid.Int64Range(0, 10).Draw(t, "p tenth"), -1))
				default:
					p = decimal.NewNullDecimal(decimal.New(rapid.Int64Range(0, 1_000_000).Draw(t, "p"), -6))
				}
				c.P = append(c.P, p)
			}
			if err := sc.Add(i, c); err != nil {
				t.Fatal(err)
			}
			final := ratOfDec(c.Final)
			for m := range nm {
				var p *big.Rat
				if c.P[m].Valid {
					p = ratOfDec(c.P[m].Decimal)
					if p.Sign() < 0 {
						p = new(big.Rat)
					}
					if p.Cmp(big.NewRat(1, 1)) > 0 {
						p = big.NewRat(1, 1)
					}
					// The bin: the tenths of p, 1 in the last.
					k := 0
					for k < 9 && new(big.Rat).Mul(p, big.NewRat(10, 1)).Cmp(big.NewRat(int64(k+1), 1)) >= 0 {
						k++
					}
					b := &bins[m][k]
					b.count++
					b.sumP.Add(b.sumP, p)
					if c.Reached {
						b.reached++
					}
				}
				point := ratOfDec(c.Points[m])
				all[m].add(final, point, p, c.Reached)
				byAt[i][m].add(final, point, p, c.Reached)
			}
		}
		cases, ms := sc.Result()
		if cases != n || len(ms) != nm {
			t.Fatalf("Result: %d cases, %d methods; want %d, %d", cases, len(ms), n, nm)
		}
		for m, s := range ms {
			if s.Method != methods[m] {
				t.Fatalf("method %d is %q, want %q", m, s.Method, methods[m])
			}
			all[m].check(t, s.Method, s.Score)
			if len(s.ByAt) != na {
				t.Fatalf("%s: %d points, want %d", s.Method, len(s.ByAt), na)
			}
			for i, b := range s.ByAt {
				if b.At != at[i] {
					t.Fatalf("%s: point %d is %q, want %q", s.Method, i, b.At, at[i])
				}
				byAt[i][m].check(t, s.Method+" at "+at[i], b)
			}
			if len(s.Reliability) != 10 {
				t.Fatalf("%s: %d bins, want 10", s.Method, len(s.Reliability))
			}
			for k, b := range s.Reliability {
				w := bins[m][k]
				if !b.From.Equal(decimal.New(int64(k), -1)) || !b.To.Equal(decimal.New(int64(k+1), -1)) || b.Count != w.count || b.Reached != w.reached {
					t.Fatalf("%s: bin %d = [%s, %s) %d reached of %d; want [%d/10, %d/10) %d of %d", s.Method, k, b.From, b.To, b.Reached, b.Count, k, k+1, w.reached, w.count)
				}
				wantMean := decimal.Zero
				if w.count > 0 {
					wantMean = ratRounded(new(big.Rat).Quo(w.sumP, big.NewRat(int64(w.count), 1)), 3)
				}
				if !b.MeanP.Equal(wantMean) {
					t.Fatalf("%s: bin %d mean p %s, want %s", s.Method, k, b.MeanP, wantMean)
				}
			}
		}
		// Best by a plain scan: defined Brier scores first, lowest; ties by
		// the relative MAE, defined first, lowest; then the first.
		better := func(a, b decimal.NullDecimal) int {
			switch {
			case a.Valid && !b.Valid:
				return -1
			case !a.Valid && b.Valid:
				return 1
			case !a.Valid:
				return 0
			}
			return a.Decimal.Cmp(b.Decimal)
		}
		best := 0
		for m := 1; m < nm; m++ {
			c := better(ms[m].Brier, ms[best].Brier)
			if c == 0 {
				c = better(ms[m].RelativeMAE, ms[best].RelativeMAE)
			}
			if c < 0 {
				best = m
			}
		}
		if got := Best(ms); got != methods[best] {
			t.Fatalf("Best = %q, want %q", got, methods[best])
		}
	})
}

// Percentile is the "type 7" quantile written out in big.Rat: the sorted
// values x₁ ≤ … ≤ xₙ, h = q·(n−1), x₍⌊h⌋₊₁₎ + (h − ⌊h⌋)·(x₍⌊h⌋₊₂₎ − x₍⌊h⌋₊₁₎),
// the largest value at q = 1; never below the smallest value nor above the
// largest, and no smaller for a larger q.
func TestPercentileAgainstRatProp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 30).Draw(t, "n")
		xs := make([]decimal.Decimal, n)
		for i := range xs {
			xs[i] = genScoreDec(t, "x")
		}
		in := slices.Clone(xs)
		rats := make([]*big.Rat, n)
		for i, x := range xs {
			rats[i] = ratOfDec(x)
		}
		slices.SortFunc(rats, func(a, b *big.Rat) int { return a.Cmp(b) })
		ref := func(q *big.Rat) *big.Rat {
			h := new(big.Rat).Mul(q, big.NewRat(int64(n-1), 1))
			fl := new(big.Int).Quo(h.Num(), h.Denom())
			i := int(fl.Int64())
			if i >= n-1 {
				return rats[n-1]
			}
			frac := new(big.Rat).Sub(h, new(big.Rat).SetInt(fl))
			d := new(big.Rat).Sub(rats[i+1], rats[i])
			return new(big.Rat).Add(rats[i], d.Mul(d, frac))
		}
		drawQ := func(label string) decimal.Decimal {
			if rapid.Bool().Draw(t, label+" simple") {
				return decimal.New(rapid.Int64Range(0, 100).Draw(t, label), -2)
			}
			return decimal.New(rapid.Int64Range(0, 1_000_000_000).Draw(t, label), -9)
		}
		q1, q2 := drawQ("q1"), drawQ("q2")
		if q2.LessThan(q1) {
			q1, q2 = q2, q1
		}
		var got [2]decimal.Decimal
		for j, q := range []decimal.Decimal{q1, q2} {
			v, ok := Percentile(xs, q)
			if !ok {
				t.Fatalf("Percentile(%v, %s) not ok", xs, q)
			}
			want := ref(ratOfDec(q))
			if ratOfDec(v).Cmp(want) != 0 {
				t.Fatalf("Percentile(%v, %s) = %s, want %s", xs, q, v, want.RatString())
			}
			if ratOfDec(v).Cmp(rats[0]) < 0 || ratOfDec(v).Cmp(rats[n-1]) > 0 {
				t.Fatalf("Percentile(%v, %s) = %s outside the values", xs, q, v)
			}
			got[j] = v
		}
		if got[0].GreaterThan(got[1]) {
			t.Fatalf("Percentile(%s) = %s > Percentile(%s) = %s", q1, got[0], q2, got[1])
		}
		for i := range xs {
			if !xs[i].Equal(in[i]) || xs[i].Exponent() != in[i].Exponent() {
				t.Fatalf("Percentile changed its input: %v, was %v", xs, in)
			}
		}
	})
}

// A distribution's Reach, Chance, Quantile and Summary are what a plain
// loop over its samples says: the count of finals at or above the target
// (at or below it when lower is better), for a target of any places, the
// chance that count over the samples to 6 places (half away from zero),
// the quantile the ⌈q·n⌉-th smallest (the first for q = 0), P10 ≤ P50 ≤
// P90, and the chance no greater for a higher target (no smaller when
// lower is better).
func TestDistributionAgainstLoopProp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		finals := rapid.SliceOfN(rapid.Int64Range(-500, 500), 1, 60).Draw(t, "finals")
		slices.Sort(finals)
		scale := int32(rapid.IntRange(0, 6).Draw(t, "scale"))
		d := Distribution{finals: finals, scale: scale}
		n := len(finals)
		value := func(i int) *big.Rat { return ratOfDec(decimal.New(finals[i], -scale)) }
		lower := rapid.Bool().Draw(t, "lower")
		target := decimal.New(rapid.Int64Range(-600_000, 600_000).Draw(t, "target"), -int32(rapid.IntRange(0, 8).Draw(t, "target places")))
		if rapid.Bool().Draw(t, "target on a sample") {
			target = decimal.New(finals[rapid.IntRange(0, n-1).Draw(t, "sample")], -scale)
		}
		count := func(tg decimal.Decimal) int {
			tr := ratOfDec(tg)
			hits := 0
			for i := range n {
				c := value(i).Cmp(tr)
				if lower && c <= 0 || !lower && c >= 0 {
					hits++
				}
			}
			return hits
		}
		hits, samples := d.Reach(target, lower)
		if samples != n || hits != count(target) {
			t.Fatalf("Reach(%s, lower %v) of %v·10^-%d = %d of %d, want %d of %d", target, lower, finals, scale, hits, samples, count(target), n)
		}
		wantChance := ratRounded(big.NewRat(int64(hits), int64(n)), 6)
		if got := d.Chance(target, lower); !got.Equal(wantChance) {
			t.Fatalf("Chance(%s) = %s, want %s", target, got, wantChance)
		}
		higher := target.Add(decimal.New(rapid.Int64Range(0, 100_000).Draw(t, "step"), -int32(rapid.IntRange(0, 8).Draw(t, "step places"))))
		if h2 := count(higher); !lower && h2 > hits || lower && h2 < hits {
			t.Fatalf("reference not monotone") // the loop itself
		}
		if p := d.Chance(higher, lower); !lower && p.GreaterThan(wantChance) || lower && p.LessThan(wantChance) {
			t.Fatalf("Chance(%s) = %s beside Chance(%s) = %s, lower %v", higher, p, target, wantChance, lower)
		}
		rankOf := func(num, den int64) int {
			// ⌈num/den · n⌉, at least 1
			r := (num*int64(n) + den - 1) / den
			return max(int(r), 1)
		}
		for _, q := range []struct {
			f        float64
			num, den int64
		}{{0, 0, 1}, {0.1, 1, 10}, {0.5, 1, 2}, {0.9, 9, 10}, {1, 1, 1}, {0.25, 1, 4}} {
			want := value(rankOf(q.num, q.den) - 1)
			if got := d.Quantile(q.f); ratOfDec(got).Cmp(want) != 0 {
				t.Fatalf("Quantile(%v) of %v·10^-%d = %s, want %s", q.f, finals, scale, got, want.RatString())
			}
		}
		s := d.Summary(decimal.NewNullDecimal(target), lower)
		if s.Samples != n || !s.Reach.Valid || !s.Reach.Decimal.Equal(wantChance) ||
			!s.P10.Valid || !s.P50.Valid || !s.P90.Valid || s.P10.Decimal.GreaterThan(s.P50.Decimal) || s.P50.Decimal.GreaterThan(s.P90.Decimal) {
			t.Fatalf("Summary = %+v, want chance %s and ordered quantiles", s, wantChance)
		}
		if s := d.Summary(decimal.NullDecimal{}, lower); s.Reach.Valid {
			t.Fatalf("Summary without a target has a chance %s", s.Reach.Decimal)
		}
	})
}
