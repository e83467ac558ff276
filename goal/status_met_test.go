package goal

import (
	"testing"

	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// met is score.Achieve's Met, for either direction, any two numbers
// (of any exponents and signs) and either of them undefined.
func TestMetIsAchieveMet(t *testing.T) {
	num := func(t *rapid.T, name string) decimal.NullDecimal {
		if rapid.IntRange(0, 9).Draw(t, name+" undefined") == 0 {
			return decimal.NullDecimal{}
		}
		return decimal.NewNullDecimal(decimal.New(rapid.Int64Range(-1e6, 1e6).Draw(t, name), int32(rapid.IntRange(-6, 3).Draw(t, name+" exp"))))
	}
	rapid.Check(t, func(t *rapid.T) {
		dir := rapid.SampledFrom([]score.Direction{score.HigherIsBetter, score.LowerIsBetter}).Draw(t, "dir")
		actual, target := num(t, "actual"), num(t, "target")
		if got, want := met(dir, actual, target), score.Achieve(dir, actual, target).Met; got != want {
			t.Fatalf("met(%s, %v, %v) = %v, score.Achieve's Met %v", dir, actual, target, got, want)
		}
	})
}

// The status of an ended instance, met or not, is a comparison: nothing
// allocated (the achievement, a division in new big integers, was
// computed and not read, for every row a report computes).
func TestClassifyEndedAllocatesNothing(t *testing.T) {
	n := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }
	for _, c := range []struct {
		in   StatusInput
		want Status
	}{
		{StatusInput{Direction: score.HigherIsBetter, Started: true, Ended: true, Actual: n("17.5"), Target: n("18")}, Failed},
		{StatusInput{Direction: score.HigherIsBetter, Started: true, Ended: true, Actual: n("19.25"), Target: n("18")}, Achieved},
		{StatusInput{Direction: score.LowerIsBetter, Started: true, Ended: true, Actual: n("3.5"), Target: n("7")}, Achieved},
	} {
		if got := Classify(c.in); got != c.want {
			t.Fatalf("Classify(%+v) = %s, want %s", c.in, got, c.want)
		}
		if a := testing.AllocsPerRun(50, func() { Classify(c.in) }); a != 0 {
			t.Errorf("Classify(%v of %v, %s) allocates %v times, want none", c.in.Actual, c.in.Target, c.in.Direction, a)
		}
	}
}
