package forecast

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/shopspring/decimal"
)

// Day is one day's increment of a cumulative value.
type Day struct {
	Value decimal.Decimal
	// Work says whether the day is a working day of the calendar.
	Work bool
	// Pos is the day's position in its period, in [0, 1): its index over
	// the period's length in days. A period's days come in order.
	Pos float64
}

// Slot is a day still to come in the current period.
type Slot struct {
	Work bool
	// Left is the share of the day still to come, in (0, 1]: 1 for a whole
	// day, less for the day of the as-of instant.
	Left float64
	// Pos is the day's position in the current period, as Day.Pos.
	Pos float64
}

// Input is what Simulate draws from.
type Input struct {
	// Actual is the value reached so far in the current period. It is
	// added to every path exactly, whatever its places; the days drawn
	// are kept in at most 6.
	Actual decimal.Decimal
	// Remaining are the days of the current period still to come, in order.
	Remaining []Slot
	// Current are the complete days of the current period so far.
	Current []Day
	// Elapsed is the share of the current period's working time passed, in
	// [0, 1]: the probability that a path follows the current period.
	Elapsed float64
	// History are the earlier periods, the most recent first; each holds
	// its days in order.
	History [][]Day
	// Decay is the weight of an earlier period relative to the one after
	// it, in (0, 1]; 0 means DefaultDecay.
	Decay float64
	// Window, above 0, draws a day to come only from the picked period's
	// days of the same kind whose position is within Window of its own
	// (the end of a month from the ends of months), or from all of them
	// when there is none; 0 draws from the whole period.
	Window float64
	// Samples is how many paths are drawn; 0 means DefaultSamples.
	Samples int
	// Seed makes the draw reproducible.
	Seed uint64
}

// The defaults of Input.
const (
	DefaultDecay   = 0.75
	DefaultSamples = 1000
	// MaxSamples bounds Input.Samples.
	MaxSamples = 100000
)

// maxScale bounds the decimal places sums are kept in.
const maxScale = 6

// ErrNoHistory is returned when there is nothing to draw from: no earlier
// period and no complete day of the current one.
var ErrNoHistory = errors.New("forecast: no history to draw from")

// Distribution is the simulated distribution of the final value: its
// samples, sorted, in units of 10^-scale, each plus rest.
type Distribution struct {
	finals []int64
	scale  int32
	// rest is what the actual has past the scale (100.0000004 at 6
	// places: 0.0000004), added to every final exactly, so that the value
	// reached so far is never rounded; zero (the common case) when the
	// actual fits the scale.
	rest decimal.Decimal
}

// pool is the days of one period, split by kind, in scaled units, with
// their positions.
type pool struct {
	work, off, all          []int64
	workPos, offPos, allPos []float64
}

// near returns the days of a kind within window of pos, or all of them
// when none is (or window is 0).
func near(vals []int64, pos []float64, x, window float64) []int64 {
	if window <= 0 || len(vals) == 0 {
		return vals
	}
	// Positions are fractions in float64: both edges get the same
	// tolerance, so a day exactly window away counts on either side.
	lo, _ := slices.BinarySearch(pos, x-window-1e-12)
	hi, _ := slices.BinarySearch(pos, x+window+1e-12)
	if lo >= hi {
		return vals
	}
	return vals[lo:hi]
}

// Simulate draws the distribution of the final value. It fails with
// ErrNoHistory when there is nothing to draw from, and with an error for
// an Input out of its bounds (each field's documentation gives them), which
// names the field.
func Simulate(in Input) (Distribution, error) {
	n := in.Samples
	if n == 0 {
		n = DefaultSamples
	}
	if n < 0 || n > MaxSamples {
		return Distribution{}, fmt.Errorf("forecast: samples must be 1..%d (0: %d), got %d", MaxSamples, DefaultSamples, in.Samples)
	}
	decay := in.Decay
	if decay == 0 {
		decay = DefaultDecay
	}
	if !(decay > 0 && decay <= 1) {
		return Distribution{}, fmt.Errorf("forecast: decay must be in (0, 1] (0: %v), got %v", DefaultDecay, in.Decay)
	}
	if !(in.Window >= 0 && in.Window <= 1) {
		return Distribution{}, fmt.Errorf("forecast: window must be in [0, 1], got %v", in.Window)
	}
	if err := checkInput(in.Elapsed, in.Remaining, in.Current, in.History); err != nil {
		return Distribution{}, err
	}
	scale := scaleOf(in)
	conv := func(d decimal.Decimal) int64 { return d.Shift(scale).Round(0).IntPart() }
	toPool := func(days []Day) pool {
		var p pool
		for _, d := range days {
			x := conv(d.Value)
			p.all, p.allPos = append(p.all, x), append(p.allPos, d.Pos)
			if d.Work {
				p.work, p.workPos = append(p.work, x), append(p.workPos, d.Pos)
			} else {
				p.off, p.offPos = append(p.off, x), append(p.offPos, d.Pos)
			}
		}
		return p
	}
	var pools []pool
	var weights []float64
	w, total := 1.0, 0.0
	for _, h := range trimLeading(in.History) {
		if len(h) == 0 {
			w *= decay
			continue
		}
		pools = append(pools, toPool(h))
		weights = append(weights, w)
		total += w
		w *= decay
	}
	e := min(max(in.Elapsed, 0), 1)
	if len(in.Current) > 0 && (e > 0 || len(pools) == 0) {
		cw := 1.0
		if len(pools) > 0 {
			if e >= 1 {
				pools, weights, total = nil, nil, 0
			} else {
				cw = total * e / (1 - e)
			}
		}
		pools = append(pools, toPool(in.Current))
		weights = append(weights, cw)
		total += cw
	}
	if len(pools) == 0 {
		return Distribution{}, ErrNoHistory
	}
	cum := make([]float64, len(weights))
	acc := 0.0
	for i, x := range weights {
		acc += x
		cum[i] = acc / total
	}
	cum[len(cum)-1] = 1
	// What each day to come draws from, in each period: the days to come
	// with nothing to draw from draw nothing (and take no random bits),
	// and a day partly left draws from its days' values already times
	// the share left, rounded (as each drawn value was).
	from := make([][][]int64, len(pools))
	for k := range pools {
		p := &pools[k]
		ds := make([][]int64, 0, len(in.Remaining))
		for _, sl := range in.Remaining {
			f := near(p.off, p.offPos, sl.Pos, in.Window)
			if sl.Work {
				f = near(p.work, p.workPos, sl.Pos, in.Window)
				if len(f) == 0 {
					f = near(p.all, p.allPos, sl.Pos, in.Window)
				}
			}
			if len(f) == 0 {
				continue
			}
			if sl.Left < 1 {
				part := make([]int64, len(f))
				for i, x := range f {
					part[i] = int64(math.Round(float64(x) * sl.Left))
				}
				f = part
			}
			ds = append(ds, f)
		}
		from[k] = ds
	}
	base := conv(in.Actual)
	var rest decimal.Decimal
	if in.Actual.Exponent() < -scale {
		// Places past the scale: kept apart, exact.
		rest = in.Actual.Sub(decimal.New(base, -scale))
	}
	rng := rand.NewPCG(in.Seed, 0x9e3779b97f4a7c15)
	finals := make([]int64, n)
	for s := range finals {
		u := float64(rng.Uint64()>>11) / (1 << 53)
		k, _ := slices.BinarySearch(cum, u)
		k = min(k, len(pools)-1)
		sum := base
		for _, f := range from[k] {
			sum += f[bounded(rng.Uint64(), len(f))]
		}
		finals[s] = sum
	}
	slices.Sort(finals)
	return Distribution{finals: finals, scale: scale, rest: rest}, nil
}

// checkInput refuses the fields of an Input that its documentation bounds and
// Simulate would otherwise read as something else: an elapsed share or a
// day's share left out of [0, 1] (or NaN), a position out of [0, 1] or the
// days of a period out of order.
func checkInput(elapsed float64, remaining []Slot, current []Day, history [][]Day) error {
	if !(elapsed >= 0 && elapsed <= 1) {
		return fmt.Errorf("forecast: elapsed must be in [0, 1], got %v", elapsed)
	}
	for i, sl := range remaining {
		if !(sl.Left > 0 && sl.Left <= 1) {
			return fmt.Errorf("forecast: remaining[%d]: the share of the day left must be in (0, 1], got %v", i, sl.Left)
		}
		if !(sl.Pos >= 0 && sl.Pos <= 1) {
			return fmt.Errorf("forecast: remaining[%d]: the position must be in [0, 1], got %v", i, sl.Pos)
		}
	}
	// days returns the first day out of bounds or order, or -1.
	days := func(ds []Day) int {
		prev := 0.0
		for i, d := range ds {
			if !(d.Pos >= prev && d.Pos <= 1) {
				return i
			}
			prev = d.Pos
		}
		return -1
	}
	bad := func(name string, i int, d Day) error {
		return fmt.Errorf("forecast: %s[%d]: the position must be in [0, 1] and not before the day before it, got %v", name, i, d.Pos)
	}
	if i := days(current); i >= 0 {
		return bad("current", i, current[i])
	}
	for k, h := range history {
		if i := days(h); i >= 0 {
			return bad(fmt.Sprintf("history[%d]", k), i, h[i])
		}
	}
	return nil
}

// trimLeading drops the oldest periods in which nothing happened at all:
// they are taken to predate the participant rather than to be results.
func trimLeading(h [][]Day) [][]Day {
	n := len(h)
	for n > 0 && allZero(h[n-1]) {
		n--
	}
	return h[:n]
}

func allZero(days []Day) bool {
	for _, d := range days {
		if !d.Value.IsZero() {
			return false
		}
	}
	return true
}

// scaleOf returns the decimal places sums are kept in: those of the most
// precise input, at most maxScale, fewer when the sums would not fit in 63
// bits, down to a negative number (units of tens, hundreds…) when even whole
// units would not: every value is then rounded to such a unit, at most a
// 10^17th of the largest sum a path can reach, rather than the sums wrapping
// around.
func scaleOf(in Input) int32 {
	scale := int32(0)
	peak := in.Actual.Abs()
	see := func(d decimal.Decimal) {
		if e := -d.Exponent(); e > scale {
			scale = e
		}
		if a := d.Abs(); a.Cmp(peak) > 0 {
			peak = a
		}
	}
	see(in.Actual)
	for _, d := range in.Current {
		see(d.Value)
	}
	for _, h := range in.History {
		for _, d := range h {
			see(d.Value)
		}
	}
	scale = min(scale, maxScale)
	// The largest sum is at most peak × (days left + 1).
	bound := peak.Mul(decimal.NewFromInt(int64(len(in.Remaining) + 1)))
	limit := decimal.New(1, 18)
	if bound.Shift(scale).Cmp(limit) >= 0 {
		// Down by the digits over the limit at once, then one more where
		// the leading digits still reach it.
		scale -= int32(len(bound.Shift(scale).Truncate(0).Abs().String()) - len(limit.String()))
		for bound.Shift(scale).Cmp(limit) >= 0 {
			scale--
		}
	}
	return scale
}

// Samples is how many paths the distribution holds.
func (d Distribution) Samples() int { return len(d.finals) }

// Quantile returns the q-quantile of the final value (nearest rank: the
// smallest sample with at least a share q of the samples at or below it,
// the ⌈q·n⌉-th of n, the first for q = 0), q in [0, 1]. q is taken as the
// decimal it is written as (the shortest that reads back as q, as
// strconv.FormatFloat writes it), and the rank is exact: 0.07 of 100
// samples is the 7th, where the product in binary floating point,
// 7.000000000000001, would give the 8th. A q that is NaN or outside
// [0, 1] has no such sample: Quantile panics, naming it, as an index out
// of range does.
func (d Distribution) Quantile(q float64) decimal.Decimal {
	if !(q >= 0 && q <= 1) {
		panic(fmt.Sprintf("forecast: Quantile(%v): q must be in [0, 1]", q))
	}
	if len(d.finals) == 0 {
		return decimal.Zero
	}
	rank := decimal.NewFromFloat(q).Mul(decimal.NewFromInt(int64(len(d.finals)))).Ceil().IntPart()
	i := min(max(int(rank), 1), len(d.finals)) - 1
	v := decimal.New(d.finals[i], -d.scale)
	if !d.rest.IsZero() {
		v = v.Add(d.rest)
	}
	return v
}

// Reach returns the share of paths that reach the target: a final value at
// or above it, or, when lower is better, at or below it. It is an exact
// fraction of the samples.
func (d Distribution) Reach(target decimal.Decimal, lower bool) (hits, samples int) {
	if !d.rest.IsZero() {
		// final + rest ≥ target  ⇔  final ≥ target − rest
		target = target.Sub(d.rest)
	}
	t := target.Shift(d.scale)
	// Samples are whole units; compare against the target's bounds.
	if lower {
		// final ≤ t  ⇔  final ≤ floor(t)
		k := floorInt(t)
		return upperBound(d.finals, k), len(d.finals)
	}
	// final ≥ t  ⇔  final ≥ ceil(t)
	k := floorInt(t.Neg())
	return len(d.finals) - lowerBound(d.finals, -k), len(d.finals)
}

// Chance is Reach as a decimal share in [0, 1], rounded to six places. A
// distribution of no samples (the zero Distribution, which Simulate never
// returns: it refuses with ErrNoHistory) has no chance of anything, nor
// none: its Chance and Quantile are 0, which is no probability nor value.
// Summary says it, with every number undefined.
func (d Distribution) Chance(target decimal.Decimal, lower bool) decimal.Decimal {
	h, n := d.Reach(target, lower)
	if n == 0 {
		return decimal.Zero
	}
	return decimal.NewFromInt(int64(h)).DivRound(decimal.NewFromInt(int64(n)), 6)
}

// Summary is the distribution read as a row's forecast: its 10th, 50th
// and 90th percentiles, and the Chance of reaching the target (a final
// value at or above it, or at or below it when lower is better), undefined
// without one. A distribution of no samples (the zero Distribution) has
// every number undefined, as the forecast of a row with nothing to draw
// from is, not a chance of 0 and percentiles of 0.
func (d Distribution) Summary(target decimal.NullDecimal, lower bool) Chance {
	c := Chance{Samples: d.Samples()}
	if c.Samples == 0 {
		return c
	}
	c.P10, c.P50, c.P90 = decimal.NewNullDecimal(d.Quantile(0.1)), decimal.NewNullDecimal(d.Quantile(0.5)), decimal.NewNullDecimal(d.Quantile(0.9))
	if target.Valid {
		c.Reach = decimal.NewNullDecimal(d.Chance(target.Decimal, lower))
	}
	return c
}

// floorInt is floor(x) clamped to int64.
func floorInt(x decimal.Decimal) int64 {
	f := x.Floor()
	if f.Cmp(decimal.NewFromInt(math.MaxInt64)) >= 0 {
		return math.MaxInt64
	}
	if f.Cmp(decimal.NewFromInt(math.MinInt64+1)) <= 0 {
		return math.MinInt64 + 1
	}
	return f.IntPart()
}

// lowerBound is the number of samples below k.
func lowerBound(s []int64, k int64) int {
	i, _ := slices.BinarySearch(s, k)
	return i
}

// upperBound is the number of samples at or below k.
func upperBound(s []int64, k int64) int {
	if k == math.MaxInt64 {
		return len(s)
	}
	return lowerBound(s, k+1)
}

// bounded maps 64 random bits to [0, n) by the high half of a 32×32-bit
// product (Lemire's method without the rejection step: its bias is below
// n/2^32, far under the sampling error of any forecast).
func bounded(x uint64, n int) int {
	return int(((x >> 32) * uint64(n)) >> 32)
}
