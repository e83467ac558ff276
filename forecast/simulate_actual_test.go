package forecast

import "testing"

// The value reached so far is kept exact, whatever its places: only the
// days drawn are rounded (to at most 6 places). An actual of 100.0000004
// with nothing to come (a day off left, a history without days off) is
// 100.0000004 on every path, so a target of 100.0000004 is certain; the
// actual was rounded to 100 with the drawn days, the target read as
// unreachable (0 %) and the quantiles as 100, below what was reached.
func TestSimulateKeepsTheActualExact(t *testing.T) {
	actual := dec("100.0000004")
	hist := [][]Day{{{Value: dec("1"), Work: true}, {Value: dec("2"), Work: true, Pos: 0.5}}}
	d := mustSimulate(t, Input{Actual: actual, Remaining: slots(0, 1), History: hist, Samples: 50})
	for _, q := range []float64{0, 0.1, 0.5, 0.9, 1} {
		if got := d.Quantile(q); !got.Equal(actual) {
			t.Errorf("Quantile(%v) = %s, want the actual 100.0000004", q, got)
		}
	}
	for _, c := range []struct {
		target string
		lower  bool
		want   string
	}{
		{"100.0000004", false, "1"}, {"100.0000005", false, "0"}, {"100", false, "1"},
		{"100.0000004", true, "1"}, {"100.0000003", true, "0"}, {"101", true, "1"},
	} {
		if got := d.Chance(dec(c.target), c.lower); !got.Equal(dec(c.want)) {
			t.Errorf("Chance(%s, lower %v) = %s, want %s", c.target, c.lower, got, c.want)
		}
	}
	// A working day to come draws 1 or 2: the finals are 101.0000004 and
	// 102.0000004, each exact.
	d = mustSimulate(t, Input{Actual: actual, Remaining: slots(1, 0), History: hist, Samples: 200, Seed: 3})
	if lo, hi := d.Quantile(0), d.Quantile(1); !lo.Equal(dec("101.0000004")) || !hi.Equal(dec("102.0000004")) {
		t.Errorf("finals from %s to %s, want 101.0000004 to 102.0000004", lo, hi)
	}
	if h, n := d.Reach(dec("101.0000004"), false); h != n {
		t.Errorf("Reach(101.0000004) = %d of %d, want every path", h, n)
	}
}
