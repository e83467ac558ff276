package deepcopy

import (
	"testing"

	"github.com/shopspring/decimal"
)

type node struct {
	Name     string
	Target   *decimal.Decimal
	Weights  map[string]int
	Children []node
	hidden   *int
}

// A copy shares no slice, map or pointer reached through exported fields:
// changing every one of them in the original leaves the copy as it was.
func TestOfSharesNothing(t *testing.T) {
	ten := decimal.NewFromInt(10)
	h := 7
	orig := node{Name: "root", Target: &ten, Weights: map[string]int{"a": 1},
		Children: []node{{Name: "kid", Weights: map[string]int{"b": 2}}}, hidden: &h}
	c := Of(orig)
	*orig.Target = decimal.NewFromInt(99)
	orig.Weights["a"] = 100
	orig.Children[0].Name = "changed"
	orig.Children[0].Weights["b"] = 200
	if !c.Target.Equal(decimal.NewFromInt(10)) || c.Weights["a"] != 1 || c.Children[0].Name != "kid" || c.Children[0].Weights["b"] != 2 {
		t.Fatalf("the copy changed with the original: %+v", c)
	}
	if c.hidden != orig.hidden { // unexported: copied as it is
		t.Error("an unexported pointer was copied anew")
	}
	var none node
	if got := Of(none); got.Target != nil || got.Weights != nil || got.Children != nil {
		t.Errorf("nil fields became %+v", got)
	}
}
