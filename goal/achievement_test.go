package goal

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func TestAchieve(t *testing.T) {
	null := decimal.NullDecimal{}
	tests := []struct {
		name             string
		dir              score.Direction
		actual, target   decimal.NullDecimal
		uncapped, capped string
		met              bool
	}{
		{"higher half way", score.HigherIsBetter, nd("25"), nd("50"), "0.5", "0.5", false},
		{"higher met", score.HigherIsBetter, nd("50"), nd("50"), "1", "1", true},
		{"higher beyond", score.HigherIsBetter, nd("60"), nd("50"), "1.2", "1", true},
		{"higher nothing", score.HigherIsBetter, nd("0"), nd("50"), "0", "0", false},
		{"higher refunds", score.HigherIsBetter, nd("-10"), nd("50"), "-0.2", "0", false},
		{"higher third", score.HigherIsBetter, nd("1"), nd("3"), "0.3333333333333333", "0.3333333333333333", false},
		{"higher zero target met", score.HigherIsBetter, nd("5"), nd("0"), "null", "1", true},
		{"higher zero target not met", score.HigherIsBetter, nd("-1"), nd("0"), "null", "0", false},
		{"lower met", score.LowerIsBetter, nd("400"), nd("500"), "1.25", "1", true},
		{"lower exactly", score.LowerIsBetter, nd("500"), nd("500"), "1", "1", true},
		{"lower over", score.LowerIsBetter, nd("1000"), nd("500"), "0.5", "0.5", false},
		{"lower zero actual", score.LowerIsBetter, nd("0"), nd("500"), "null", "1", true},
		{"lower zero target, zero actual", score.LowerIsBetter, nd("0"), nd("0"), "null", "1", true},
		{"lower zero target, some actual", score.LowerIsBetter, nd("3"), nd("0"), "0", "0", false},
		{"lower negative target", score.LowerIsBetter, nd("-1"), nd("-5"), "null", "0", false},
		{"undefined actual", score.HigherIsBetter, null, nd("50"), "null", "null", false},
		{"undefined target", score.LowerIsBetter, nd("3"), null, "null", "null", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := score.Achieve(tt.dir, tt.actual, tt.target)
			if got := str(a.Uncapped); got != tt.uncapped {
				t.Errorf("uncapped = %s, want %s", got, tt.uncapped)
			}
			if got := str(a.Capped); got != tt.capped {
				t.Errorf("capped = %s, want %s", got, tt.capped)
			}
			if a.Met != tt.met {
				t.Errorf("met = %v, want %v", a.Met, tt.met)
			}
		})
	}
}

func TestRemaining(t *testing.T) {
	tests := []struct {
		dir            score.Direction
		actual, target string
		want           string
	}{
		{score.HigherIsBetter, "20", "50", "30"},
		{score.HigherIsBetter, "60", "50", "0"},
		{score.LowerIsBetter, "620", "500", "120"},
		{score.LowerIsBetter, "400", "500", "0"},
	}
	for _, tt := range tests {
		if got := str(score.Remaining(tt.dir, nd(tt.actual), nd(tt.target))); got != tt.want {
			t.Errorf("Remaining(%s, %s, %s) = %s, want %s", tt.dir, tt.actual, tt.target, got, tt.want)
		}
	}
}

// genDecimal draws a decimal with up to 2 places in [-10^6, 10^6].
func genDecimal(t *rapid.T, label string) decimal.Decimal {
	return decimal.New(rapid.Int64Range(-100_000_000, 100_000_000).Draw(t, label), -int32(rapid.IntRange(0, 2).Draw(t, label+"_places")))
}

// Achievement never gets worse as the actual improves in the goal's
// direction: capped always, uncapped wherever it is defined on both sides.
func TestAchievementMonotone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		dir := rapid.SampledFrom([]score.Direction{score.HigherIsBetter, score.LowerIsBetter}).Draw(t, "dir")
		target := genDecimal(t, "target")
		a, b := genDecimal(t, "a"), genDecimal(t, "b")
		worse, better := a, b
		if (dir == score.HigherIsBetter) == (a.Cmp(b) > 0) {
			worse, better = b, a
		}
		w := score.Achieve(dir, decimal.NewNullDecimal(worse), decimal.NewNullDecimal(target))
		g := score.Achieve(dir, decimal.NewNullDecimal(better), decimal.NewNullDecimal(target))
		if w.Capped.Decimal.Cmp(g.Capped.Decimal) > 0 {
			t.Fatalf("%s: capped %s at %s but %s at the better %s (target %s)", dir, w.Capped.Decimal, worse, g.Capped.Decimal, better, target)
		}
		if w.Uncapped.Valid && g.Uncapped.Valid && w.Uncapped.Decimal.Cmp(g.Uncapped.Decimal) > 0 {
			t.Fatalf("%s: uncapped %s at %s but %s at the better %s (target %s)", dir, w.Uncapped.Decimal, worse, g.Uncapped.Decimal, better, target)
		}
		if w.Met && !g.Met {
			t.Fatalf("%s: met at %s but not at the better %s (target %s)", dir, worse, better, target)
		}
		if c := w.Capped.Decimal; c.Sign() < 0 || c.Cmp(one) > 0 {
			t.Fatalf("capped %s outside [0, 1]", c)
		}
		// Milestones reached at the worse value stay reached at the better.
		m := Milestone{Percent: rapid.Bool().Draw(t, "pct"), Value: genDecimal(t, "milestone").Abs()}
		if m.Reached(dir, decimal.NewNullDecimal(worse), decimal.NewNullDecimal(target)) && !m.Reached(dir, decimal.NewNullDecimal(better), decimal.NewNullDecimal(target)) {
			t.Fatalf("%s: milestone %s reached at %s, not at the better %s (target %s)", dir, m, worse, better, target)
		}
	})
}

func TestMilestoneReached(t *testing.T) {
	tests := []struct {
		m              string
		dir            score.Direction
		actual, target string
		want           bool
	}{
		{"25%", score.HigherIsBetter, "12.5", "50", true},
		{"25%", score.HigherIsBetter, "12.4", "50", false},
		{"100%", score.HigherIsBetter, "50", "50", true},
		{"120%", score.HigherIsBetter, "59", "50", false},
		{"120%", score.HigherIsBetter, "60", "50", true},
		{"40", score.HigherIsBetter, "40", "50", true},
		{"40", score.HigherIsBetter, "39", "50", false},
		{"50%", score.LowerIsBetter, "1000", "500", true},
		{"50%", score.LowerIsBetter, "1001", "500", false},
		{"100%", score.LowerIsBetter, "500", "500", true},
		{"100%", score.LowerIsBetter, "0", "500", true},
		{"600", score.LowerIsBetter, "600", "500", true},
		{"600", score.LowerIsBetter, "601", "500", false},
	}
	for _, tt := range tests {
		m, err := ParseMilestone(tt.m)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Reached(tt.dir, nd(tt.actual), nd(tt.target)); got != tt.want {
			t.Errorf("%s %s: Reached(%s of %s) = %v, want %v", tt.m, tt.dir, tt.actual, tt.target, got, tt.want)
		}
	}
	if _, err := ParseMilestone("half"); err == nil || err.Error() != `milestone "half" is not a number or a percent such as "25%"` {
		t.Errorf("ParseMilestone(half) error = %v", err)
	}
	// A long word is quoted cut to 64 bytes, as ids are: one of 10,000
	// characters made a message as long.
	if _, err := ParseMilestone(strings.Repeat("h", 10_000)); err == nil || err.Error() != `milestone "`+strings.Repeat("h", 64)+`…" is not a number or a percent such as "25%"` {
		t.Errorf("ParseMilestone(10,000 h) error = %.200v", err)
	}
}
