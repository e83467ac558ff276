package forecast

import (
	"errors"
	"math"
	"math/big"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// week is a period of n weeks: working days worth w each, days off worth off.
func week(n int, w, off string) []Day {
	var out []Day
	for range n {
		for i := range 7 {
			if i < 5 {
				out = append(out, Day{Value: dec(w), Work: true})
			} else {
				out = append(out, Day{Value: dec(off)})
			}
		}
	}
	return out
}

func slots(work, off int) []Slot {
	var s []Slot
	for range work {
		s = append(s, Slot{Work: true, Left: 1})
	}
	for range off {
		s = append(s, Slot{Left: 1})
	}
	return s
}

func mustSimulate(t *testing.T, in Input) Distribution {
	t.Helper()
	d, err := Simulate(in)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestSimulateCases(t *testing.T) {
	for _, c := range []struct {
		name   string
		in     Input
		target string
		lower  bool
		chance string
		p10    string
		p50    string
		p90    string
	}{{
		// 50 so far, 3 working days of 10 and 2 days off of 0 to come: 80.
		name: "constant history", in: Input{Actual: dec("50"), Remaining: slots(3, 2), History: [][]Day{week(4, "10", "0"), week(4, "10", "0")}},
		target: "80", chance: "1", p10: "80", p50: "80", p90: "80",
	}, {
		name: "constant history one short", in: Input{Actual: dec("50"), Remaining: slots(3, 2), History: [][]Day{week(4, "10", "0")}},
		target: "80.01", chance: "0", p10: "80", p50: "80", p90: "80",
	}, {
		// Days off draw from days off: 2 × 1.5 on top of 3 × 10.
		name: "days off count", in: Input{Actual: dec("0"), Remaining: slots(3, 2), History: [][]Day{week(4, "10", "1.5")}},
		target: "33", chance: "1", p10: "33", p50: "33", p90: "33",
	}, {
		// Half of today is left: 10 × 0.5 + 10.
		name: "part of today", in: Input{Actual: dec("7"), Remaining: []Slot{{Work: true, Left: 0.5}, {Work: true, Left: 1}}, History: [][]Day{week(1, "10", "0")}},
		target: "22", chance: "1", p10: "22", p50: "22", p90: "22",
	}, {
		// Lower is better: 4 complaints so far, 1 a working day, 3 days: 7.
		name: "lower is better", in: Input{Actual: dec("4"), Remaining: slots(3, 0), History: [][]Day{week(2, "1", "0")}},
		target: "7", lower: true, chance: "1", p10: "7", p50: "7", p90: "7",
	}, {
		name: "lower is better missed", in: Input{Actual: dec("4"), Remaining: slots(3, 0), History: [][]Day{week(2, "1", "0")}},
		target: "6.5", lower: true, chance: "0", p10: "7", p50: "7", p90: "7",
	}, {
		// The whole period has passed by working time: the current period
		// alone, 5 a day, whatever history says.
		name: "current period only", in: Input{Actual: dec("100"), Remaining: slots(2, 0), Elapsed: 1, Current: week(1, "5", "0"), History: [][]Day{week(4, "50", "0")}},
		target: "110", chance: "1", p10: "110", p50: "110", p90: "110",
	}, {
		// The oldest empty periods predate the participant and are dropped.
		name: "leading empty periods", in: Input{Actual: dec("0"), Remaining: slots(2, 0), History: [][]Day{week(1, "3", "0"), week(1, "0", "0"), week(1, "0", "0")}},
		target: "6", chance: "1", p10: "6", p50: "6", p90: "6",
	}} {
		t.Run(c.name, func(t *testing.T) {
			d := mustSimulate(t, c.in)
			if got := d.Chance(dec(c.target), c.lower); !got.Equal(dec(c.chance)) {
				t.Errorf("chance = %s, want %s", got, c.chance)
			}
			for _, q := range []struct {
				q    float64
				want string
			}{{0.1, c.p10}, {0.5, c.p50}, {0.9, c.p90}} {
				if got := d.Quantile(q.q); !got.Equal(dec(q.want)) {
					t.Errorf("P%.0f = %s, want %s", q.q*100, got, q.want)
				}
			}
		})
	}
}

// exactChance computes P(actual + the sum of the draws ≥ target) by
// enumeration: the periods' weights times the distribution of the sum of n
// uniform draws from each period's working days (every slot a whole working
// day).
func exactChance(actual int64, n int, periods [][]int64, weights []float64, target int64) float64 {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	p := 0.0
	for k, days := range periods {
		dist := map[int64]float64{actual: 1}
		for range n {
			next := map[int64]float64{}
			for v, pr := range dist {
				for _, x := range days {
					next[v+x] += pr / float64(len(days))
				}
			}
			dist = next
		}
		reach := 0.0
		for v, pr := range dist {
			if v >= target {
				reach += pr
			}
		}
		p += weights[k] / total * reach
	}
	return p
}

func workDays(vals ...int64) []Day {
	var out []Day
	for _, v := range vals {
		out = append(out, Day{Value: decimal.NewFromInt(v), Work: true})
	}
	return out
}

func TestSimulateAgreesWithEnumeration(t *testing.T) {
	a := []int64{0, 10, 0, 30}
	b := []int64{5, 5, 20}
	cur := []int64{40, 0}
	for _, c := range []struct {
		name    string
		in      Input
		periods [][]int64
		weights []float64
	}{{
		name:    "two periods decay 0.5",
		in:      Input{Actual: dec("12"), Remaining: slots(3, 0), History: [][]Day{workDays(a...), workDays(b...)}, Decay: 0.5},
		periods: [][]int64{a, b}, weights: []float64{1, 0.5},
	}, {
		// Elapsed 0.25: the current period is followed a quarter of the time.
		name:    "current period a quarter",
		in:      Input{Actual: dec("12"), Remaining: slots(3, 0), Current: workDays(cur...), Elapsed: 0.25, History: [][]Day{workDays(a...), workDays(b...)}, Decay: 1},
		periods: [][]int64{a, b, cur}, weights: []float64{1, 1, 2.0 / 3},
	}} {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			in.Samples = 40000
			d := mustSimulate(t, in)
			for _, target := range []int64{12, 20, 30, 42, 50, 72, 100, 132} {
				want := exactChance(12, 3, c.periods, c.weights, target)
				h, n := d.Reach(decimal.NewFromInt(target), false)
				got := float64(h) / float64(n)
				// 40 000 paths: a standard error below 0.0025.
				if math.Abs(got-want) > 0.012 {
					t.Errorf("P(final ≥ %d) = %.4f, want %.4f", target, got, want)
				}
			}
		})
	}
}

// A window keeps the shape of a period: a history whose first third does
// everything forecasts nothing more for the last two thirds, while the
// whole period draws a third of its days.
func TestSimulateWindow(t *testing.T) {
	var hist []Day
	for i := range 30 {
		v := "0"
		if i < 10 {
			v = "100"
		}
		hist = append(hist, Day{Value: dec(v), Work: true, Pos: float64(i) / 30})
	}
	var rem []Slot
	for i := 15; i < 30; i++ {
		rem = append(rem, Slot{Work: true, Left: 1, Pos: float64(i) / 30})
	}
	d := mustSimulate(t, Input{Actual: dec("1000"), Remaining: rem, History: [][]Day{hist}, Window: 0.1})
	if d.Quantile(0.1).String() != "1000" || d.Quantile(0.9).String() != "1000" {
		t.Errorf("window 0.1: P10 %s, P90 %s, want 1000", d.Quantile(0.1), d.Quantile(0.9))
	}
	// The whole period: 15 draws of 100 with probability 1/3, a mean of
	// 500 more.
	d = mustSimulate(t, Input{Actual: dec("1000"), Remaining: rem, History: [][]Day{hist}, Samples: 20000})
	if p50 := d.Quantile(0.5).IntPart(); p50 < 1400 || p50 > 1600 {
		t.Errorf("whole period: P50 %d, want about 1500", p50)
	}
	if _, err := Simulate(Input{History: [][]Day{hist}, Window: -0.1}); err == nil {
		t.Error("a negative window accepted")
	}
}

// TestNearBothEdges: a day exactly Window before a slot is within the
// window as one exactly Window after it is, by exact fractions: positions
// i/n of the days and j/m of the slot. In a month of 3 days the slot at 13/30
// draws from the day at 1/3 (13/30 − 0.1) alone, not from the whole month.
func TestNearBothEdges(t *testing.T) {
	for _, w := range []int64{1, 2, 25} { // hundredths
		window := big.NewRat(w, 100)
		for n := 1; n <= 24; n++ {
			vals := make([]int64, n)
			pos := make([]float64, n)
			for i := range n {
				vals[i], pos[i] = int64(i), float64(i)/float64(n)
			}
			for m := 1; m <= 24; m++ {
				for j := range m {
					var want []int64
					for i := range n {
						d := new(big.Rat).Sub(big.NewRat(int64(i), int64(n)), big.NewRat(int64(j), int64(m)))
						if d.Abs(d).Cmp(window) <= 0 {
							want = append(want, int64(i))
						}
					}
					if want == nil {
						want = vals
					}
					if got := near(vals, pos, float64(j)/float64(m), float64(w)/100); !slices.Equal(got, want) {
						t.Fatalf("window %d/100, %d days, slot %d/%d: drew from %v, want %v", w, n, j, m, got, want)
					}
				}
			}
		}
	}
}

func TestSimulateErrors(t *testing.T) {
	if _, err := Simulate(Input{Remaining: slots(1, 0)}); !errors.Is(err, ErrNoHistory) {
		t.Errorf("no history: %v", err)
	}
	if _, err := Simulate(Input{History: [][]Day{week(1, "0", "0")}}); !errors.Is(err, ErrNoHistory) {
		t.Errorf("only empty history: %v", err)
	}
	if _, err := Simulate(Input{History: [][]Day{week(1, "1", "0")}, Samples: -1}); err == nil {
		t.Error("negative samples accepted")
	}
	if _, err := Simulate(Input{History: [][]Day{week(1, "1", "0")}, Decay: 1.5}); err == nil {
		t.Error("decay 1.5 accepted")
	}
	// The bounds of each field, refused by name: a negative share of a day
	// drew negative increments, NaN a whole day, an elapsed share of 1.5
	// was taken for 1 and days out of order drew from the wrong window.
	nan := math.NaN()
	base := func() Input {
		return Input{Remaining: slots(2, 0), History: [][]Day{{{Value: dec("1"), Pos: 0}, {Value: dec("2"), Pos: 0.5}}},
			Current: []Day{{Value: dec("3"), Pos: 0}}, Elapsed: 0.5, Window: 0.2}
	}
	for _, c := range []struct {
		name, want string
		edit       func(*Input)
	}{
		{"elapsed above 1", "forecast: elapsed must be in [0, 1], got 1.5", func(in *Input) { in.Elapsed = 1.5 }},
		{"elapsed NaN", "forecast: elapsed must be in [0, 1], got NaN", func(in *Input) { in.Elapsed = nan }},
		{"elapsed negative", "forecast: elapsed must be in [0, 1], got -0.1", func(in *Input) { in.Elapsed = -0.1 }},
		{"left negative", "forecast: remaining[1]: the share of the day left must be in (0, 1], got -0.5", func(in *Input) { in.Remaining[1].Left = -0.5 }},
		{"left zero", "forecast: remaining[0]: the share of the day left must be in (0, 1], got 0", func(in *Input) { in.Remaining[0].Left = 0 }},
		{"left NaN", "forecast: remaining[0]: the share of the day left must be in (0, 1], got NaN", func(in *Input) { in.Remaining[0].Left = nan }},
		{"left above 1", "forecast: remaining[0]: the share of the day left must be in (0, 1], got 2", func(in *Input) { in.Remaining[0].Left = 2 }},
		{"slot position", "forecast: remaining[1]: the position must be in [0, 1], got NaN", func(in *Input) { in.Remaining[1].Pos = nan }},
		{"days out of order", "forecast: history[0][1]: the position must be in [0, 1] and not before the day before it, got 0.1", func(in *Input) {
			in.History[0][0].Pos, in.History[0][1].Pos = 0.6, 0.1
		}},
		{"current position", "forecast: current[0]: the position must be in [0, 1] and not before the day before it, got -1", func(in *Input) { in.Current[0].Pos = -1 }},
		{"window above 1", "forecast: window must be in [0, 1], got 1.5", func(in *Input) { in.Window = 1.5 }},
		{"window NaN", "forecast: window must be in [0, 1], got NaN", func(in *Input) { in.Window = nan }},
		// Refused as it is, before there is found nothing to draw from:
		// it said only that there was no history.
		{"window and no history", "forecast: window must be in [0, 1], got -0.5", func(in *Input) { in.Window, in.History, in.Current = -0.5, nil, nil }},
		// The samples and the decay are named with the value given, as
		// the other fields are; they said only the bounds.
		{"samples negative", "forecast: samples must be 1..100000 (0: 1000), got -5", func(in *Input) { in.Samples = -5 }},
		{"samples above the most", "forecast: samples must be 1..100000 (0: 1000), got 100001", func(in *Input) { in.Samples = MaxSamples + 1 }},
		{"decay negative", "forecast: decay must be in (0, 1] (0: 0.75), got -0.5", func(in *Input) { in.Decay = -0.5 }},
		{"decay NaN", "forecast: decay must be in (0, 1] (0: 0.75), got NaN", func(in *Input) { in.Decay = nan }},
		{"decay above 1", "forecast: decay must be in (0, 1] (0: 0.75), got 1.25", func(in *Input) { in.Decay = 1.25 }},
	} {
		in := base()
		if _, err := Simulate(in); err != nil {
			t.Fatalf("the base input: %v", err)
		}
		c.edit(&in)
		if _, err := Simulate(in); err == nil || err.Error() != c.want {
			t.Errorf("%s: error %v, want %s", c.name, err, c.want)
		}
	}
}

func genInput(t *rapid.T) Input {
	nper := rapid.IntRange(0, 4).Draw(t, "periods")
	var hist [][]Day
	for i := range nper {
		n := rapid.IntRange(0, 10).Draw(t, "days")
		var days []Day
		for range n {
			v := decimal.New(rapid.Int64Range(-50, 500).Draw(t, "v"), -rapid.Int32Range(0, 2).Draw(t, "exp"))
			days = append(days, Day{Value: v, Work: rapid.Bool().Draw(t, "work")})
		}
		_ = i
		hist = append(hist, days)
	}
	var cur []Day
	for range rapid.IntRange(0, 5).Draw(t, "current") {
		cur = append(cur, Day{Value: decimal.NewFromInt(rapid.Int64Range(0, 300).Draw(t, "c")), Work: rapid.Bool().Draw(t, "cwork")})
	}
	if nper == 0 && len(cur) == 0 {
		cur = append(cur, Day{Value: decimal.NewFromInt(1), Work: true})
	}
	var rem []Slot
	for i := range rapid.IntRange(0, 12).Draw(t, "remaining") {
		left := 1.0
		if i == 0 {
			left = rapid.Float64Range(0.01, 1).Draw(t, "left")
		}
		rem = append(rem, Slot{Work: rapid.Bool().Draw(t, "swork"), Left: left})
	}
	return Input{
		Actual: decimal.NewFromInt(rapid.Int64Range(0, 5000).Draw(t, "actual")), Remaining: rem,
		Current: cur, Elapsed: rapid.Float64Range(0, 1).Draw(t, "elapsed"), History: hist,
		Decay: rapid.Float64Range(0.1, 1).Draw(t, "decay"), Samples: rapid.IntRange(1, 300).Draw(t, "samples"),
		Seed: rapid.Uint64().Draw(t, "seed"),
	}
}

func TestPropChanceBoundedAndMonotone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genInput(t)
		d, err := Simulate(in)
		if errors.Is(err, ErrNoHistory) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		lower := rapid.Bool().Draw(t, "lower")
		a := decimal.New(rapid.Int64Range(-1000, 20000).Draw(t, "a"), -1)
		b := a.Add(decimal.New(rapid.Int64Range(0, 5000).Draw(t, "step"), -1))
		pa, pb := d.Chance(a, lower), d.Chance(b, lower)
		for _, p := range []decimal.Decimal{pa, pb} {
			if p.Sign() < 0 || p.Cmp(decimal.NewFromInt(1)) > 0 {
				t.Fatalf("chance %s outside [0, 1]", p)
			}
		}
		// A higher target is no easier to reach, and no harder to stay under.
		if !lower && pb.Cmp(pa) > 0 || lower && pb.Cmp(pa) < 0 {
			t.Fatalf("not monotone: P(%s) = %s, P(%s) = %s, lower %v", a, pa, b, pb, lower)
		}
		q10, q50, q90 := d.Quantile(0.1), d.Quantile(0.5), d.Quantile(0.9)
		if q10.Cmp(q50) > 0 || q50.Cmp(q90) > 0 {
			t.Fatalf("quantiles out of order: %s %s %s", q10, q50, q90)
		}
		// The same seed gives the same distribution.
		d2, _ := Simulate(in)
		if !d2.Quantile(0.37).Equal(d.Quantile(0.37)) || !d2.Chance(a, lower).Equal(pa) {
			t.Fatal("not deterministic for a seed")
		}
	})
}

// A constant history gives a certain forecast: P10 = P50 = P90 = the actual
// plus the constant times the working days left (a day off left draws
// nothing from a history without days off), exactly, for an actual of any
// places (up to 12, past the 6 the drawn days are kept in; below 10^10, so
// that the sums keep 6 places and the constant is drawn exactly), and the
// chance of a target is 1 when that final reaches it, else 0, to the last
// place.
func TestPropConstantHistoryIsCertain(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := decimal.New(rapid.Int64Range(0, 100000).Draw(t, "c"), -rapid.Int32Range(0, 6).Draw(t, "exp"))
		var hist [][]Day
		for range rapid.IntRange(1, 4).Draw(t, "periods") {
			var days []Day
			for range rapid.IntRange(1, 10).Draw(t, "days") {
				days = append(days, Day{Value: c, Work: true})
			}
			hist = append(hist, days)
		}
		work := rapid.IntRange(0, 15).Draw(t, "work")
		off := rapid.IntRange(0, 3).Draw(t, "off")
		actual := decimal.New(rapid.Int64Range(-10_000_000_000, 10_000_000_000).Draw(t, "actual"), -rapid.Int32Range(0, 12).Draw(t, "actual places"))
		d, err := Simulate(Input{Actual: actual, Remaining: slots(work, off), History: hist, Seed: rapid.Uint64().Draw(t, "seed"), Samples: 200})
		if c.IsZero() {
			if !errors.Is(err, ErrNoHistory) {
				t.Fatalf("an all-zero history: %v", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		want := actual.Add(c.Mul(decimal.NewFromInt(int64(work))))
		for _, q := range []float64{0.1, 0.5, 0.9} {
			if got := d.Quantile(q); !got.Equal(want) {
				t.Fatalf("P%v = %s, want %s", q*100, got, want)
			}
		}
		target := want.Add(decimal.New(rapid.Int64Range(-100, 100).Draw(t, "off by"), -rapid.Int32Range(0, 13).Draw(t, "off places")))
		lower := rapid.Bool().Draw(t, "lower")
		reached := target.Cmp(want) <= 0
		if lower {
			reached = target.Cmp(want) >= 0
		}
		wantP := decimal.Zero
		if reached {
			wantP = decimal.NewFromInt(1)
		}
		if p := d.Chance(target, lower); !p.Equal(wantP) {
			t.Fatalf("P(final %s against %s, lower %v) = %s, want %s", want, target, lower, p, wantP)
		}
	})
}

func BenchmarkSimulate2000Goals(b *testing.B) {
	// 2 000 goal rows, each a month: 6 earlier months of 22 working and 8
	// days off, 11 working and 4 days off to come, 1 000 paths, each read
	// as goal reads a row's forecast (Summary: three quantiles and the
	// chance).
	var hist [][]Day
	for k := range 6 {
		var days []Day
		for i := range 30 {
			days = append(days, Day{Value: decimal.NewFromInt(int64(1000 + 37*i + 11*k)), Work: i%7 < 5})
		}
		hist = append(hist, days)
	}
	rem := slots(11, 4)
	for b.Loop() {
		for g := range 2000 {
			d, err := Simulate(Input{Actual: decimal.NewFromInt(15000), Remaining: rem, History: hist, Seed: uint64(g)})
			if err != nil {
				b.Fatal(err)
			}
			d.Summary(decimal.NewNullDecimal(decimal.NewFromInt(30000)), false)
		}
	}
}

func TestPercentile(t *testing.T) {
	xs := []decimal.Decimal{dec("10"), dec("1"), dec("3"), dec("2")}
	for q, want := range map[string]string{"0": "1", "0.5": "2.5", "0.9": "7.9", "1": "10", "0.25": "1.75"} {
		got, ok := Percentile(xs, dec(q))
		if !ok || !got.Equal(dec(want)) {
			t.Errorf("P(%s) = %s, want %s", q, got, want)
		}
	}
	if _, ok := Percentile(nil, dec("0.5")); ok {
		t.Error("a percentile of nothing")
	}
	// A q outside [0, 1] is no share of the values: a percent given for a
	// share (90 for 0.9) read as the largest value, and -0.1 as the
	// smallest.
	for _, q := range []string{"90", "1.0000000001", "-0.1", "-1e-30"} {
		if got, ok := Percentile(xs, dec(q)); ok {
			t.Errorf("P(%s) = %s, want none", q, got)
		}
	}
}
