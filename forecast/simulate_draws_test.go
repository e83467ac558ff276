package forecast

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
)

// A seed gives the same distribution in every version: a path takes one
// draw to pick its period and then one for each day to come, in order,
// that has days of its kind to draw from (a day off with no day off in
// history takes none), the day of the as-of instant by its share left.
// The paths are drawn here from the generator, one by one, for a history
// of one period (its pick is certain, but its bits are taken).
func TestSimulateDrawsInOrder(t *testing.T) {
	work := []int64{100, 250, 75, 310, 5}
	var hist []Day
	for _, v := range work {
		hist = append(hist, Day{Value: decimal.New(v, -2), Work: true})
	}
	rem := []Slot{{Work: true, Left: 0.25}, {Work: false, Left: 1}, {Work: true, Left: 1}, {Work: true, Left: 1}, {Work: false, Left: 1}, {Work: true, Left: 1}}
	const samples, seed = 500, 42
	d := mustSimulate(t, Input{Actual: decimal.New(1234, -2), Remaining: rem, History: [][]Day{hist}, Samples: samples, Seed: seed})

	rng := rand.NewPCG(seed, 0x9e3779b97f4a7c15)
	want := make([]int64, samples)
	for s := range want {
		rng.Uint64() // the period
		sum := int64(1234)
		for _, sl := range rem {
			if !sl.Work {
				continue // nothing to draw from
			}
			x := work[((rng.Uint64()>>32)*uint64(len(work)))>>32]
			if sl.Left < 1 {
				x = int64(math.Round(float64(x) * sl.Left))
			}
			sum += x
		}
		want[s] = sum
	}
	slices.Sort(want)
	for i, w := range want {
		q := float64(i+1) / samples
		if got := d.Quantile(q); !got.Equal(decimal.New(w, -2)) {
			t.Fatalf("the %d-th of %d finals = %s, want %s", i+1, samples, got, decimal.New(w, -2))
		}
	}
}
