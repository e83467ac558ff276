package score

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func decp(s string) *decimal.Decimal {
	d := dec(s)
	return &d
}

func nd(s string) decimal.NullDecimal {
	if s == "" {
		return decimal.NullDecimal{}
	}
	return decimal.NewNullDecimal(dec(s))
}

func mustCurve(t *testing.T, spec CurveSpec) *Curve {
	t.Helper()
	c, err := NewCurve(spec)
	if err != nil {
		t.Fatalf("NewCurve: %v", err)
	}
	return c
}

// checkScores asserts the score of every actual in cases ("" is undefined).
func checkScores(t *testing.T, c *Curve, cases [][2]string) {
	t.Helper()
	for _, tc := range cases {
		got, err := c.Score(nd(tc[0]))
		if err != nil {
			t.Fatalf("Score(%s): %v", tc[0], err)
		}
		if !got.Equal(dec(tc[1])) {
			t.Errorf("Score(%q) = %s, want %s", tc[0], got, tc[1])
		}
	}
}

func TestCurveDefaultHigher(t *testing.T) {
	// threshold 250 000 → 0, target 500 000 → 100, stretch 750 000 → 150, cap 150.
	c := mustCurve(t, CurveSpec{Target: dec("500000"), Threshold: decp("250000"), Stretch: decp("750000"), Cap: decp("150"), Places: 2})
	checkScores(t, c, [][2]string{
		{"", "0"},
		{"-1", "0"},
		{"0", "0"},         // extrapolated −100, held by the floor
		{"249999.99", "0"}, // just under the threshold
		{"250000", "0"},    // at the threshold
		{"250000.01", "0"}, // 0.000004 rounds to 0.00
		{"251250", "0.5"},  // 1 250 / 2 500 per point
		{"375000", "50"},   // half way
		{"499999", "100"},  // 99.9996 rounds half away from zero to 100.00
		{"499000", "99.6"},
		{"500000", "100"},   // at the target
		{"500001", "100"},   // 100.0002 → 100.00
		{"510000", "102"},   // 10 000 over: 2 points (50 per 250 000)
		{"749999", "150"},   // 149.9998 → 150.00
		{"750000", "150"},   // at the stretch
		{"750001", "150"},   // capped
		{"1000000", "150"},  // capped
		{"333333", "33.33"}, // 33.3332 → 33.33
	})
}

func TestCurveDefaultNoCapKeepsScoring(t *testing.T) {
	// The default curve through 0 → 0 and target → 100 continues: Odoo caps at
	// 100, we do not unless told.
	c := mustCurve(t, CurveSpec{Target: dec("10"), Places: 2})
	checkScores(t, c, [][2]string{{"0", "0"}, {"5", "50"}, {"10", "100"}, {"15", "150"}, {"30", "300"}, {"1", "10"}, {"3", "30"}})
}

func TestCurveDefaultLower(t *testing.T) {
	// Lower is better and continuous: the default threshold is twice the
	// target; better than the target keeps scoring.
	c := mustCurve(t, CurveSpec{Direction: LowerIsBetter, Target: dec("500"), Places: 2})
	checkScores(t, c, [][2]string{
		{"1000", "0"},   // at the threshold
		{"1001", "0"},   // worse
		{"999", "0.2"},  // just better
		{"750", "50"},   // half way
		{"501", "99.8"}, // just worse than the target
		{"500", "100"},  // target
		{"499", "100.2"},
		{"250", "150"}, // no cap: better keeps scoring
		{"0", "200"},
		{"", "0"},
	})
	// with a stretch and a cap
	c = mustCurve(t, CurveSpec{Direction: LowerIsBetter, Target: dec("500"), Threshold: decp("800"), Stretch: decp("350"), Cap: decp("150"), Places: 2})
	checkScores(t, c, [][2]string{
		{"800", "0"}, {"800.01", "0"}, {"799.99", "0"}, {"650", "50"}, {"500.01", "100"}, {"500", "100"}, {"499.99", "100"},
		{"425", "125"}, {"350.01", "150"}, {"350", "150"}, {"349.99", "150"}, {"0", "150"}, {"402.4154", "132.53"},
	})
}

func TestCurvePoints(t *testing.T) {
	// Points in any order; a floor below 0 lets a bad month cost points.
	c := mustCurve(t, CurveSpec{Target: dec("100"), Places: 2, Floor: decp("-20"), Curve: &CurveDef{Points: []CurvePoint{
		{At: dec("100"), Score: dec("100")}, {At: dec("80"), Score: dec("50")}, {At: dec("120"), Score: dec("200")}, {At: dec("60"), Score: dec("0")},
	}}})
	checkScores(t, c, [][2]string{
		{"40", "-20"}, {"50", "-20"}, {"55", "-12.5"}, {"60", "0"}, {"61", "2.5"}, {"79", "47.5"}, {"80", "50"}, {"81", "52.5"},
		{"99", "97.5"}, {"100", "100"}, {"101", "105"}, {"119", "195"}, {"120", "200"}, {"121", "205"}, {"", "-20"},
	})
	// Lower is better with points: scores fall as the actual rises.
	c = mustCurve(t, CurveSpec{Direction: LowerIsBetter, Target: dec("2"), Places: 2, Cap: decp("120"), Curve: &CurveDef{Points: []CurvePoint{
		{At: dec("4"), Score: dec("0")}, {At: dec("2"), Score: dec("100")}, {At: dec("1"), Score: dec("120")},
	}}})
	checkScores(t, c, [][2]string{
		{"5", "0"}, {"4", "0"}, {"3.99", "0.5"}, {"3", "50"}, {"2.01", "99.5"}, {"2", "100"}, {"1.99", "100.2"}, {"1", "120"}, {"0.5", "120"},
		{"2.4691358", "76.54"},
	})
}

func TestCurveSteps(t *testing.T) {
	steps := []CurveStep{{From: dec("30"), Score: dec("100")}, {From: dec("15"), Score: dec("50")}, {From: dec("40"), Score: dec("120")}, {From: dec("25"), Score: dec("80")}}
	c := mustCurve(t, CurveSpec{Target: dec("30"), Places: 2, Curve: &CurveDef{Steps: steps}})
	checkScores(t, c, [][2]string{
		{"0", "0"}, {"14", "0"}, {"14.99", "0"}, {"15", "50"}, {"24", "50"}, {"25", "80"}, {"29.99", "80"}, {"30", "100"}, {"39", "100"},
		{"40", "120"}, {"400", "120"}, {"", "0"},
	})
	// lower is better: at or below From
	c = mustCurve(t, CurveSpec{Direction: LowerIsBetter, Target: dec("2"), Places: 2, Curve: &CurveDef{Steps: []CurveStep{
		{From: dec("4"), Score: dec("40")}, {From: dec("2"), Score: dec("100")}, {From: dec("1"), Score: dec("110")},
	}}})
	checkScores(t, c, [][2]string{{"5", "0"}, {"4.01", "0"}, {"4", "40"}, {"2.01", "40"}, {"2", "100"}, {"1.01", "100"}, {"1", "110"}, {"0", "110"}})
}

func TestCurveFormula(t *testing.T) {
	c := mustCurve(t, CurveSpec{Target: dec("300"), Places: 2, Curve: &CurveDef{Formula: "actual <= 0 ? 0 : min(achievement, 200)"}})
	checkScores(t, c, [][2]string{{"-50", "0"}, {"0", "0"}, {"150", "50"}, {"300", "100"}, {"100", "33.33"}, {"600", "200"}, {"900", "200"}, {"", "0"}})
	// undefined results score the floor; the cap applies to formulas too
	c = mustCurve(t, CurveSpec{Target: dec("10"), Places: 2, Cap: decp("110"), Curve: &CurveDef{Formula: "100 * actual / (target - actual)"}})
	checkScores(t, c, [][2]string{{"10", "0"}, {"5", "100"}, {"9", "110"}})
	// lower is better: achievement is target / actual
	c = mustCurve(t, CurveSpec{Direction: LowerIsBetter, Target: dec("2"), Places: 2, Curve: &CurveDef{Formula: "achievement"}})
	checkScores(t, c, [][2]string{{"1", "200"}, {"2", "100"}, {"4", "50"}, {"3", "66.67"}, {"0", "0"}})
}

func TestCurveErrors(t *testing.T) {
	cases := []struct {
		name string
		spec CurveSpec
		want string
	}{
		{"target at the threshold", CurveSpec{Target: dec("10"), Threshold: decp("10")}, "threshold: threshold 10 must be below the target 10"},
		{"lower target 0", CurveSpec{Direction: LowerIsBetter, Target: dec("0")}, "threshold: target 0 needs a threshold (the actual that scores 0) above it"},
		{"lower threshold below", CurveSpec{Direction: LowerIsBetter, Target: dec("5"), Threshold: decp("4")}, "threshold: threshold 4 must be above the target 5"},
		{"stretch", CurveSpec{Target: dec("10"), Stretch: decp("9")}, "stretch: stretch 9 must be above the target 10"},
		{"lower stretch", CurveSpec{Direction: LowerIsBetter, Target: dec("10"), Stretch: decp("11")}, "stretch: stretch 11 must be below the target 10"},
		{"stretch score", CurveSpec{Target: dec("10"), Stretch: decp("20"), StretchScore: decp("90")}, "stretch_score: stretch_score 90 must be at least 100"},
		{"stretch score alone", CurveSpec{Target: dec("10"), StretchScore: decp("120")}, "stretch_score: stretch_score needs a stretch"},
		{"direction", CurveSpec{Target: dec("10"), Direction: "up"}, `direction: direction must be higher or lower, got "up"`},
		{"cap under floor", CurveSpec{Target: dec("10"), Cap: decp("-1")}, "cap: cap -1 is below the floor 0"},
		// Long numbers are quoted shortened, as formula's errors quote one.
		{"long cap under floor", CurveSpec{Target: dec("10"), Cap: ptrDec(decimal.New(-1, -10000))}, "cap: cap -1e-10000 is below the floor 0"},
		{"one point", CurveSpec{Target: dec("10"), Curve: &CurveDef{Points: []CurvePoint{{At: dec("1"), Score: dec("1")}}}}, "curve.points: a linear curve needs at least 2 points, got 1"},
		{"same point", CurveSpec{Target: dec("10"), Curve: &CurveDef{Points: []CurvePoint{{At: dec("1"), Score: dec("1")}, {At: dec("1.0"), Score: dec("2")}}}}, "curve.points: two points at 1"},
		{"falling", CurveSpec{Target: dec("10"), Curve: &CurveDef{Points: []CurvePoint{{At: dec("0"), Score: dec("50")}, {At: dec("10"), Score: dec("40")}}}},
			"curve.points: the score must not fall as the actual gets better (0 scores 50, 10 scores 40)"},
		{"falling lower", CurveSpec{Direction: LowerIsBetter, Target: dec("10"), Curve: &CurveDef{Points: []CurvePoint{{At: dec("0"), Score: dec("50")}, {At: dec("10"), Score: dec("60")}}}},
			"curve.points: the score must not fall as the actual gets better (10 scores 60, 0 scores 50)"},
		{"falling steps", CurveSpec{Target: dec("10"), Curve: &CurveDef{Steps: []CurveStep{{From: dec("1"), Score: dec("50")}, {From: dec("2"), Score: dec("40")}}}},
			"curve.steps: the score must not fall as the actual gets better (from 1 scores 50, from 2 scores 40)"},
		{"two kinds", CurveSpec{Target: dec("10"), Curve: &CurveDef{Formula: "1", Steps: []CurveStep{{From: dec("1"), Score: dec("1")}}}}, "curve: a curve has points, steps or a formula, not several"},
		{"empty curve", CurveSpec{Target: dec("10"), Curve: &CurveDef{}}, "curve: a curve needs points, steps or a formula"},
		{"points and threshold", CurveSpec{Target: dec("10"), Threshold: decp("1"), Curve: &CurveDef{Points: []CurvePoint{{At: dec("1"), Score: dec("1")}, {At: dec("2"), Score: dec("2")}}}},
			"curve.points: curve points replace threshold and stretch: declare one or the other"},
		{"formula", CurveSpec{Target: dec("10"), Curve: &CurveDef{Formula: "actul * 2"}}, `curve.formula: unknown name "actul" (did you mean "actual"?)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewCurve(tc.spec)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error\n got %s\nwant %s", err, tc.want)
			}
		})
	}
}

func TestAchievement(t *testing.T) {
	cases := []struct {
		dir            Direction
		actual, target string
		want           string
	}{
		{HigherIsBetter, "120", "100", "120"},
		{HigherIsBetter, "1", "3", "33.33"},
		{HigherIsBetter, "5", "0", ""},
		{LowerIsBetter, "400", "500", "125"},
		{LowerIsBetter, "0", "500", ""},
		{LowerIsBetter, "3", "2", "66.67"},
	}
	for _, tc := range cases {
		got := achievement(tc.dir, dec(tc.actual), dec(tc.target), 2)
		if got.Valid != (tc.want != "") || (got.Valid && !got.Decimal.Equal(dec(tc.want))) {
			t.Errorf("achievement(%s, %s, %s) = %v, want %q", tc.dir, tc.actual, tc.target, got, tc.want)
		}
	}
}

// NewCurve refuses places outside 0..10, a scorecard's score_places: with
// -1 a score of 57.2 was 60, and a huge count rounded to it at length.
func TestNewCurvePlaces(t *testing.T) {
	for _, places := range []int32{-1, 11, 1 << 30} {
		_, err := NewCurve(CurveSpec{Target: dec("10"), Places: places})
		if want := fmt.Sprintf("places: places must be 0..10, got %d", places); err == nil || err.Error() != want {
			t.Errorf("places %d: %v, want %s", places, err, want)
		}
	}
	for _, places := range []int32{0, 10} {
		mustCurve(t, CurveSpec{Target: dec("10"), Places: places})
	}
}
