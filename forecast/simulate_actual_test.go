package forecast

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

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

// A constant history gives a certain forecast for an actual of any places
// (up to 12, past the 6 the drawn days are kept in), with sums that keep
// their 6 places: P10 = P50 = P90 = the
// actual plus the constant times the days left, exactly, and the chance of
// a target 1 when that final reaches it, else 0, to the last place.
func TestPropConstantHistoryExactActual(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := decimal.New(rapid.Int64Range(1, 100000).Draw(t, "c"), -rapid.Int32Range(0, 6).Draw(t, "c places"))
		var hist [][]Day
		for range rapid.IntRange(1, 3).Draw(t, "periods") {
			var days []Day
			for range rapid.IntRange(1, 8).Draw(t, "days") {
				days = append(days, Day{Value: c, Work: true})
			}
			hist = append(hist, days)
		}
		work := rapid.IntRange(0, 10).Draw(t, "work")
		off := rapid.IntRange(0, 3).Draw(t, "off") // nothing to draw on them
		// Below 10^10, so that the sums keep 6 places and the constant
		// is drawn exactly (larger sums round the drawn days, as
		// documented).
		actual := decimal.New(rapid.Int64Range(-10_000_000_000, 10_000_000_000).Draw(t, "actual"), -rapid.Int32Range(0, 12).Draw(t, "actual places"))
		d, err := Simulate(Input{Actual: actual, Remaining: slots(work, off), History: hist, Seed: rapid.Uint64().Draw(t, "seed"), Samples: 50})
		if errors.Is(err, ErrNoHistory) || err != nil {
			t.Fatal(err)
		}
		want := actual.Add(c.Mul(decimal.NewFromInt(int64(work))))
		for _, q := range []float64{0.1, 0.5, 0.9} {
			if got := d.Quantile(q); !got.Equal(want) {
				t.Fatalf("P%v = %s, want %s", q*100, got, want)
			}
		}
		target := want.Add(decimal.New(rapid.Int64Range(-3, 3).Draw(t, "off by"), -rapid.Int32Range(0, 13).Draw(t, "off places")))
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
			t.Fatalf("P(final %s %s, lower %v) = %s, want %s", want, target, lower, p, wantP)
		}
	})
}
