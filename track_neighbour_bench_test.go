package goalkit_test

import (
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goalkittest"
)

// BenchmarkTrackerApplyBesideNeighbour is the writer of
// BenchmarkTrackerApplyUnderReports beside one goroutine that never
// touches the tracker: what the machine itself takes from a writer whose
// second core is busy, the ceiling of the readers' ratio. The neighbour
// spins on registers (spin), sums a slice larger than the last-level
// cache (stream), or allocates, as fast as it can, what one report of
// everyone allocates on a tracker of 10M events: 34,000 objects, 3.3 MB
// at a time (garbage: the collector's share, at several times the
// readers' pace). Each is compared with none, the writer alone, in the
// same run.
func BenchmarkTrackerApplyBesideNeighbour(b *testing.B) {
	plan := liveGoalsPlan(b)
	events, err := goalkittest.Workload{N: 200_000}.Draw()
	if err != nil {
		b.Fatal(err)
	}
	var sink uint64
	var big []uint64 // stream's, made for its run only: a larger heap would spare the others' collections
	var kept [][]byte
	neighbours := []struct {
		name string
		work func() error
	}{
		{"none", nil},
		{"spin", func() error {
			x := sink | 1
			for range 1 << 20 {
				x ^= x << 13
				x ^= x >> 7
				x ^= x << 17
			}
			sink = x
			return nil
		}},
		{"stream", func() error {
			var s uint64
			for _, v := range big {
				s += v
			}
			sink = s
			return nil
		}},
		{"garbage", func() error {
			list := make([][]byte, 0, 34_000)
			for range 34_000 {
				list = append(list, make([]byte, 96))
			}
			kept = list
			return nil
		}},
	}
	for _, nb := range neighbours {
		b.Run(nb.name, func(b *testing.B) {
			n := 1
			if nb.work == nil {
				n = 0
			}
			if nb.name == "stream" {
				big = make([]uint64, 64<<20/8)
				defer func() { big = nil }()
			}
			var c readCounts
			freshRounds(b, plan, func(tr *goalkit.Tracker) {
				c.beside(b, tr, n, events.Len(), replayed(b, events), nb.work)
			})
			c.report(b)
		})
	}
	_, _ = sink, kept
}
