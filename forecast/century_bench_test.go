package forecast

import (
	"testing"

	"github.com/shopspring/decimal"
)

// centuryInput is the chance of a goal over a century of days, a tenth of
// it passed: three earlier centuries of history, working days and days
// off, the day of the as-of instant half left, the default 1 000 paths.
func centuryInput() Input {
	const days = 36525
	var hist [][]Day
	for k := range 3 {
		h := make([]Day, days)
		for i := range h {
			h[i] = Day{Value: decimal.New(int64(1000+37*(i%97)+11*k), -2), Work: i%7 < 5, Pos: float64(i) / days}
		}
		hist = append(hist, h)
	}
	cur := hist[0][:days/10]
	var rem []Slot
	for i := days / 10; i < days; i++ {
		rem = append(rem, Slot{Work: i%7 < 5, Left: 1, Pos: float64(i) / days})
	}
	rem[0].Left = 0.5
	return Input{Actual: decimal.NewFromInt(1_000_000), Remaining: rem, Current: cur, Elapsed: 0.1, History: hist, Seed: 7}
}

// BenchmarkSimulateCentury draws the chance of a goal over a century.
func BenchmarkSimulateCentury(b *testing.B) {
	in := centuryInput()
	for b.Loop() {
		if _, err := Simulate(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSimulateCenturyWindow is BenchmarkSimulateCentury drawing each
// day from the days near its position.
func BenchmarkSimulateCenturyWindow(b *testing.B) {
	in := centuryInput()
	in.Window = 0.05
	for b.Loop() {
		if _, err := Simulate(in); err != nil {
			b.Fatal(err)
		}
	}
}
