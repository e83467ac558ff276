package forecast

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// The scores of four hand-made cases.
func TestBacktestScores(t *testing.T) {
	sc := NewScorer([]string{"run_rate_workdays", "seasonal", "probabilistic"}, []string{"25%", "75%"})
	// final, target, run-rate point, seasonal point, probabilistic point and P.
	add := func(i int, final, target, rr, se, pp, p string) {
		c := Case{Final: dec(final), Points: []decimal.Decimal{dec(rr), dec(se), dec(pp)}, Reached: dec(final).Cmp(dec(target)) >= 0}
		for m := range 2 {
			if c.Points[m].Cmp(dec(target)) >= 0 {
				c.P = append(c.P, decimal.NewNullDecimal(dec("1")))
			} else {
				c.P = append(c.P, decimal.NewNullDecimal(dec("0")))
			}
		}
		c.P = append(c.P, decimal.NewNullDecimal(dec(p)))
		sc.Add(i, c)
	}
	add(0, "100", "90", "80", "95", "92", "0.75") // reached; run rate said no
	add(0, "50", "90", "60", "100", "70", "0.15") // missed; seasonal said yes
	add(1, "120", "90", "110", "130", "118", "0.95")
	add(1, "80", "90", "85", "79", "81", "0.35")
	cases, ms := sc.Result()
	if cases != 4 {
		t.Fatalf("cases %d", cases)
	}
	// Run rate: |80-100|+|60-50|+|110-120|+|85-80| = 45, MAE 11.25; over
	// 350 of final values 0.1286; P 0,0,1,0 against outcomes 1,0,1,0:
	// Brier 1/4.
	// Seasonal: 5+50+10+1 = 66, MAE 16.5, 0.1886; P 1,1,1,0: Brier 1/4.
	// Probabilistic: 8+20+2+1 = 31, MAE 7.75, 0.0886; (0.25² + 0.15² +
	// 0.05² + 0.35²)/4 = 0.2100/4 = 0.0525.
	want := []struct{ mae, rel, brier string }{{"11.25", "0.1286", "0.25"}, {"16.5", "0.1886", "0.25"}, {"7.75", "0.0886", "0.0525"}}
	for m, w := range want {
		s := ms[m]
		if nullStr(s.MAE) != w.mae || nullStr(s.RelativeMAE) != w.rel || nullStr(s.Brier) != w.brier {
			t.Errorf("%s: MAE %s rel %s Brier %s, want %s %s %s", s.Method, nullStr(s.MAE), nullStr(s.RelativeMAE), nullStr(s.Brier), w.mae, w.rel, w.brier)
		}
	}
	// The probabilistic method at 25%: |92-100| + |70-50| = 28 over 2.
	if got := ms[2].ByAt[0]; nullStr(got.MAE) != "14" || got.At != "25%" {
		t.Errorf("at 25%%: %+v", got)
	}
	// Its reliability: 0.15 in [0.1, 0.2) missed, 0.35 in [0.3, 0.4)
	// missed, 0.75 in [0.7, 0.8) reached, 0.95 in [0.9, 1] reached.
	rel := ms[2].Reliability
	for k, w := range map[int][2]int{1: {1, 0}, 3: {1, 0}, 7: {1, 1}, 9: {1, 1}, 0: {0, 0}, 5: {0, 0}} {
		if rel[k].Count != w[0] || rel[k].Reached != w[1] {
			t.Errorf("bin %d: %+v, want count %d reached %d", k, rel[k], w[0], w[1])
		}
	}
	if rel[7].MeanP.String() != "0.75" {
		t.Errorf("bin 7 mean %s", rel[7].MeanP)
	}
	// The lowest Brier score wins; run rate and seasonal tie on it, and
	// the run rate's relative MAE is lower.
	if b, b2 := Best(ms), Best(ms[:2]); b != "probabilistic" || b2 != "run_rate_workdays" {
		t.Errorf("best %s, of the point methods %s", b, b2)
	}
	// Without a target a case is scored for its error only: no Brier
	// score.
	sc = NewScorer([]string{"a"}, []string{"50%"})
	sc.Add(0, Case{Final: dec("10"), Points: []decimal.Decimal{dec("12")}, P: []decimal.NullDecimal{{}}})
	if _, ms := sc.Result(); ms[0].Forecasts != 1 || ms[0].Judged != 0 || nullStr(ms[0].MAE) != "2" || nullStr(ms[0].Brier) != "null" {
		t.Errorf("without a target: %+v", ms[0].Score)
	}
}

// nullStr writes d as JSON would: "null" where it is undefined.
func nullStr(d decimal.NullDecimal) string {
	if !d.Valid {
		return "null"
	}
	return d.Decimal.String()
}

// The Brier score and a bin's mean probability are rounded from their exact
// values, half away from zero, never from a double's approximation: hand
// computations in exact decimals.
func TestBacktestScoresRoundExactly(t *testing.T) {
	cases := []struct {
		name       string
		p          []string // probabilities; the first case reached the target, the others did not
		brier, bin string   // the Brier score; the mean p of the bin of the last case
	}{
		// ((1 − 0.01)² + 0.14²) / 2 = (0.9801 + 0.0196) / 2 = 0.49985.
		{"brier half up", []string{"0.01", "0.14"}, "0.4999", "0.14"},
		// ((1 − 0.014)² + 0.252²) / 2 = (0.972196 + 0.063504) / 2 = 0.51785.
		{"brier half up, three places", []string{"0.014", "0.252"}, "0.5179", "0.252"},
		// (0.9999² + 0.0005² + 0.0010²) / 3 = 0.99980126 / 3 = 0.33326708…;
		// the bin [0, 0.1): (0.0001 + 0.0005 + 0.001) / 3 = 0.00053333…
		{"mean p", []string{"0.0001", "0.0005", "0.001"}, "0.3333", "0.001"},
		// bin [0.1, 0.2): (0.102 + 0.118 + 0.1145) / 3 = 0.1115, rounded to
		// 0.112; Brier ((1 − 0.102)² + 0.118² + 0.1145²) / 3 = 0.83343825 / 3.
		{"mean p half up", []string{"0.102", "0.118", "0.1145"}, "0.2778", "0.112"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := NewScorer([]string{"p"}, []string{"50%"})
			for i, p := range c.p {
				sc.Add(0, Case{Final: dec("1"), Points: []decimal.Decimal{dec("1")}, P: []decimal.NullDecimal{decimal.NewNullDecimal(dec(p))}, Reached: i == 0})
			}
			_, ms := sc.Result()
			// The exact Brier score, summed by hand.
			sum := decimal.Zero
			for i, p := range c.p {
				d := dec(p)
				if i == 0 {
					d = d.Sub(decimal.NewFromInt(1))
				}
				sum = sum.Add(d.Mul(d))
			}
			exact := sum.DivRound(decimal.NewFromInt(int64(len(c.p))), 4)
			if exact.String() != c.brier {
				t.Fatalf("the hand computation gives %s, the case says %s", exact, c.brier)
			}
			if got := nullStr(ms[0].Brier); got != c.brier {
				t.Errorf("Brier %s, want %s", got, c.brier)
			}
			last := dec(c.p[len(c.p)-1])
			bin := ms[0].Reliability[last.Shift(1).Floor().IntPart()]
			if got := bin.MeanP.String(); got != c.bin {
				t.Errorf("bin [%s, %s) mean p %s, want %s", bin.From, bin.To, got, c.bin)
			}
		})
	}
}

// A method that gave no probability has no Brier score to win by: its 0 is
// an empty mean, not a perfect one, so a method judged on some forecasts is
// best before it, and among methods judged on none the relative MAE decides.
func TestBestNeedsJudgedForecasts(t *testing.T) {
	sc := NewScorer([]string{"points_only", "judged"}, []string{"50%"})
	// points_only is nearer the final value but gives no probability;
	// judged says 0.5 and the target is reached: Brier 0.25.
	sc.Add(0, Case{Final: dec("100"), Points: []decimal.Decimal{dec("99"), dec("80")},
		P: []decimal.NullDecimal{{}, decimal.NewNullDecimal(dec("0.5"))}, Reached: true})
	_, ms := sc.Result()
	if ms[0].Judged != 0 || ms[1].Judged != 1 || nullStr(ms[1].Brier) != "0.25" {
		t.Fatalf("scores %+v, %+v", ms[0].Score, ms[1].Score)
	}
	if b := Best(ms); b != "judged" {
		t.Errorf("best %s, want judged", b)
	}
	// Neither judged: the lower relative MAE.
	sc = NewScorer([]string{"far", "near"}, []string{"50%"})
	sc.Add(0, Case{Final: dec("100"), Points: []decimal.Decimal{dec("80"), dec("99")}, P: []decimal.NullDecimal{{}, {}}})
	if _, ms := sc.Result(); Best(ms) != "near" {
		t.Errorf("best of two unjudged %s, want near", Best(ms))
	}
}

// A probability outside [0, 1] counts as the nearer end: -0.2 as 0 and 1.5
// as 1, in the Brier score and in the bins. A negative one panicked (bin -1).
func TestScorerProbabilityOutside(t *testing.T) {
	sc := NewScorer([]string{"p"}, []string{"50%"})
	one := []decimal.Decimal{dec("1")}
	sc.Add(0, Case{Final: dec("1"), Points: one, P: []decimal.NullDecimal{decimal.NewNullDecimal(dec("-0.2"))}, Reached: true})
	ps := []decimal.NullDecimal{decimal.NewNullDecimal(dec("1.5"))}
	sc.Add(0, Case{Final: dec("1"), Points: one, P: ps, Reached: false})
	if got := ps[0].Decimal.String(); got != "1.5" {
		t.Errorf("the caller's probability became %s", got)
	}
	_, ms := sc.Result()
	// ((0 − 1)² + 1²) / 2 = 1.
	if got := nullStr(ms[0].Brier); got != "1" {
		t.Errorf("Brier %s, want 1", got)
	}
	if b := ms[0].Reliability[0]; b.Count != 1 || b.Reached != 1 || !b.MeanP.IsZero() {
		t.Errorf("the first bin: %+v", b)
	}
	if b := ms[0].Reliability[9]; b.Count != 1 || b.Reached != 0 || b.MeanP.String() != "1" {
		t.Errorf("the last bin: %+v", b)
	}
}

// A number of a case whose exponent is past ±10000 (a probability of
// 1E-2000000000 from a host) is refused at once, naming the case, the
// method and the number, and nothing of the case is scored; the probability
// was compared with 1 in a big integer of two billion digits, which took
// hours. Numbers at the bounds are scored.
func TestScorerRefusesExtremeExponents(t *testing.T) {
	limit := decimal.MaxDecodeExponent
	big := func(exp int32) decimal.Decimal { return decimal.New(1, exp) }
	p := func(d decimal.Decimal) []decimal.NullDecimal {
		return []decimal.NullDecimal{{}, decimal.NewNullDecimal(d)}
	}
	pts := []decimal.Decimal{dec("1"), dec("1")}
	cases := []struct {
		name string
		c    Case
		want string
	}{
		{"tiny probability", Case{Final: dec("1"), Points: pts, P: p(big(-2000000000))},
			"forecast: case 1 at 50%: method p: the probability's exponent -2000000000 is out of range: at most ±10000"},
		{"huge probability", Case{Final: dec("1"), Points: pts, P: p(big(2000000000))},
			"forecast: case 1 at 50%: method p: the probability's exponent 2000000000 is out of range: at most ±10000"},
		{"point", Case{Final: dec("1"), Points: []decimal.Decimal{dec("1"), big(-10001)}, P: p(dec("0.5"))},
			"forecast: case 1 at 50%: method p: the point forecast's exponent -10001 is out of range: at most ±10000"},
		{"final", Case{Final: big(10001), Points: pts, P: p(dec("0.5"))},
			"forecast: case 1 at 50%: the final value's exponent 10001 is out of range: at most ±10000"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sc := NewScorer([]string{"near", "p"}, []string{"50%"})
			done := make(chan error, 1)
			go func() { done <- sc.Add(0, tc.c) }()
			select {
			case err := <-done:
				if err == nil || err.Error() != tc.want {
					t.Errorf("got %v, want %s", err, tc.want)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Add did not return in 10 s")
			}
			if n, _ := sc.Result(); n != 0 {
				t.Errorf("%d cases scored", n)
			}
		})
	}
	// At the bounds: scored, a probability of 10^-10000 as about 0.
	sc := NewScorer([]string{"p"}, []string{"50%"})
	err := sc.Add(0, Case{Final: big(int32(limit)), Points: []decimal.Decimal{big(-int32(limit))},
		P: []decimal.NullDecimal{decimal.NewNullDecimal(big(-int32(limit)))}, Reached: false})
	if err != nil {
		t.Fatal(err)
	}
	n, ms := sc.Result()
	if n != 1 || nullStr(ms[0].Brier) != "0" || ms[0].Reliability[0].Count != 1 {
		t.Errorf("%d cases, Brier %s, first bin %+v", n, nullStr(ms[0].Brier), ms[0].Reliability[0])
	}
}
