package score

import (
	"math"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// tooLarge is the problem of a number whose exponent is past ±10000.
func tooLarge(path string, exp int64) string {
	return path + ": the number's exponent " + decimal.NewFromInt(exp).String() + " is out of range: at most ±10000"
}

// A number of the scoring sections built in Go whose exponent is past what
// a plan file's reader takes (±10000) is refused by Compile, NewCurve and
// NewTiers themselves, first and alone, naming each at its path: a host
// that compiled its scoring without the root's Compile got a pool of
// 10^1000000 compiled, split for half a second at each evaluation. The
// largest exponents a plan file may write compile.
func TestCompileRefusesNumbersTooLarge(t *testing.T) {
	num := func(exp int32) decimal.Decimal { return decimal.New(1, exp) }
	ptr := func(d decimal.Decimal) *decimal.Decimal { return &d }
	defs := func(target, point, pool decimal.Decimal) Defs {
		card := salesCard()
		card.KPIs[1].Target = ptr(target)
		card.KPIs[3].Curve.Steps[1].From = point
		return Defs{Scorecards: []ScorecardDef{card},
			Bonuses: []BonusDef{{ID: "b", Scorecard: "sales", Currency: "USD", Pool: &PoolDef{Amount: pool}}}}
	}
	_, err := Compile(defs(num(10001), num(-10001), num(math.MaxInt32)), Env{Indicators: salesSet(t)})
	want := []string{
		tooLarge("bonuses[0].pool.amount", math.MaxInt32),
		tooLarge("scorecards[0].kpis[1].target", 10001),
		tooLarge("scorecards[0].kpis[3].curve.steps[1].from", -10001),
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("Compile: got %v, want\n%s", err, strings.Join(want, "\n"))
	}
	// Refused before anything else: without indicators the scorecard's
	// problems would be others.
	if _, err := Compile(defs(num(10001), num(-10001), num(math.MaxInt32)), Env{}); err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("Compile without indicators: got %v, want\n%s", err, strings.Join(want, "\n"))
	}
	if _, err := Compile(defs(num(-10000), dec("25"), num(10000)), Env{Indicators: salesSet(t)}); err != nil {
		t.Errorf("Compile: the plan file's largest exponents are refused: %v", err)
	}

	spec := CurveSpec{Target: num(10001), Cap: ptr(num(-10001)), Curve: &CurveDef{Points: []CurvePoint{{At: num(0), Score: num(0)}, {At: num(math.MinInt32), Score: num(2)}}}}
	want = []string{
		tooLarge("cap", -10001),
		tooLarge("curve.points[1].at", math.MinInt32),
		tooLarge("target", 10001),
	}
	if _, err := NewCurve(spec); err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("NewCurve: got %v, want\n%s", err, strings.Join(want, "\n"))
	}
	if _, err := NewCurve(CurveSpec{Target: num(10000), Threshold: ptr(num(-10000)), Floor: ptr(num(-10000))}); err != nil {
		t.Errorf("NewCurve: the plan file's largest exponents are refused: %v", err)
	}

	want = []string{tooLarge("tiers[1].from", 10001), tooLarge("tiers[2].rate", -10001)}
	if _, err := NewTiers([]TierDef{{}, {From: num(10001)}, {From: num(2), Rate: num(-10001)}}); err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("NewTiers: got %v, want\n%s", err, strings.Join(want, "\n"))
	}
	if _, err := NewTiers([]TierDef{{}, {From: num(10000), Rate: num(-10000)}}); err != nil {
		t.Errorf("NewTiers: the plan file's largest exponents are refused: %v", err)
	}
}

// Split refuses places, an amount or a weight past ±10000 in a clear error:
// a million places took half a second, and the time grows with the square
// of their number. At the bounds it splits, exactly.
func TestSplitRefusesTooManyPlaces(t *testing.T) {
	one, two := decimal.New(1, 0), decimal.New(2, 0)
	for _, c := range []struct {
		amount  decimal.Decimal
		weights []decimal.Decimal
		places  int32
		want    string
	}{
		{one, []decimal.Decimal{one, two}, 10001, "split: places must be within ±10000, got 10001"},
		{one, []decimal.Decimal{one, two}, -10001, "split: places must be within ±10000, got -10001"},
		{one, []decimal.Decimal{one, two}, math.MaxInt32, "split: places must be within ±10000, got 2147483647"},
		{decimal.New(-1, 10001), []decimal.Decimal{one, two}, 0, "split: the amount's exponent 10001 is out of range: at most ±10000"},
		{one, []decimal.Decimal{one, decimal.New(1, -10001)}, 0, "split: weight 1's exponent -10001 is out of range: at most ±10000"},
	} {
		if _, err := Split(c.amount, c.weights, c.places); err == nil || err.Error() != c.want {
			// Fatal: without the bound, the cases after the first hang.
			t.Fatalf("Split(coefficient %s, exponent %d; %d places): got %v, want %s", c.amount.Coefficient(), c.amount.Exponent(), c.places, err, c.want)
		}
	}
	// 1 in the ratio 1:2 at 10000 places: 0.33…33 and 0.66…67 (the unit
	// left goes to the larger remainder, 2/3 of a unit, of the second part).
	parts, err := Split(one, []decimal.Decimal{one, two}, 10000)
	if err != nil {
		t.Fatal(err)
	}
	if want := "0." + strings.Repeat("3", 10000); parts[0].String() != want {
		t.Errorf("part 0 = %.20s…, want %.20s…", parts[0], want)
	}
	if want := "0." + strings.Repeat("6", 9999) + "7"; parts[1].String() != want {
		t.Errorf("part 1 = %.20s…, want %.20s…", parts[1], want)
	}
	if _, err := Split(decimal.New(1, 10000), []decimal.Decimal{one, decimal.New(1, -10000)}, -10000); err != nil {
		t.Errorf("the largest exponents: %v", err)
	}
}
