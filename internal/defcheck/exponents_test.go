package defcheck

import (
	"math"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/problem"
	"github.com/shopspring/decimal"
)

// whole is written in one piece in a file ("25%"), as a goal's milestone is.
type whole struct {
	Percent bool
	Value   decimal.Decimal
}

func (w *whole) UnmarshalText([]byte) error { return nil }

type node struct {
	Target   *decimal.Decimal           `json:"target,omitempty"`
	Weights  map[string]decimal.Decimal `json:"weights"`
	Children []node                     `json:"children"`
	Pair     [2]decimal.Decimal         `json:"pair"`
	Skipped  decimal.Decimal            `json:"-"`
	hidden   decimal.Decimal
	Untagged decimal.Decimal
	Any      any                 `json:"any"`
	Marks    []whole             `json:"marks"`
	Null     decimal.NullDecimal `json:"null"`
}

// Exponents names every number of a definition whose exponent is past
// ±10000, at its path as a plan file writes it, and takes the largest ones
// a plan file may write.
func TestExponents(t *testing.T) {
	num := func(exp int32) decimal.Decimal { return decimal.New(1, exp) }
	ptr := func(d decimal.Decimal) *decimal.Decimal { return &d }
	msg := func(path string, exp int64) string {
		return path + ": the number's exponent " + decimal.NewFromInt(exp).String() + " is out of range: at most ±10000"
	}
	bad := node{
		Target:   ptr(num(10001)),
		Weights:  map[string]decimal.Decimal{"b": num(-10001), "a": num(10000), "c": num(math.MaxInt32)},
		Children: []node{{Untagged: num(math.MinInt32)}, {Target: ptr(num(-10000)), Any: ptr(num(20000))}},
		Pair:     [2]decimal.Decimal{num(0), num(10001)},
		Skipped:  num(1e6),
		hidden:   num(1e6),
		Marks:    []whole{{Value: num(1)}, {Percent: true, Value: num(-20000)}},
		Null:     decimal.NewNullDecimal(num(30000)),
	}
	var ps problem.List
	if Exponents(&ps, "cascades[0].root", bad) {
		t.Error("Exponents = true with numbers out of range")
	}
	want := []string{
		msg("cascades[0].root.children[0].Untagged", math.MinInt32),
		msg("cascades[0].root.children[1].any", 20000),
		msg("cascades[0].root.marks[1]", -20000),
		msg("cascades[0].root.null", 30000),
		msg("cascades[0].root.pair[1]", 10001),
		msg("cascades[0].root.target", 10001),
		msg("cascades[0].root.weights.b", -10001),
		msg("cascades[0].root.weights.c", math.MaxInt32),
	}
	if err := ps.Err(); err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("got\n%v\nwant\n%s", err, strings.Join(want, "\n"))
	}
	for _, p := range ps.Err().(*problem.Error).Problems {
		if p.Code != problem.Invalid {
			t.Errorf("%s: code %s, want %s", p.Path, p.Code, problem.Invalid)
		}
	}

	// At the bounds, a nil pointer, a nil interface, an empty path.
	ps = problem.List{}
	good := &node{Target: ptr(num(10000)), Weights: map[string]decimal.Decimal{"a": num(-10000)},
		Children: []node{{}}, Any: nil, Marks: []whole{{Value: num(-10000)}}}
	if !Exponents(&ps, "", good) || ps.Len() != 0 {
		t.Errorf("numbers in range refused: %v", ps.Err())
	}
	if !Exponents(&ps, "x", nil) || !Exponents(&ps, "x", (*node)(nil)) || ps.Len() != 0 {
		t.Errorf("nothing refused: %v", ps.Err())
	}
	// The root of an empty path is named by its fields alone.
	if Exponents(&ps, "", node{Target: ptr(num(10001))}); ps.Err() == nil || ps.Err().Error() != msg("target", 10001) {
		t.Errorf("empty path: got %v", ps.Err())
	}
}
