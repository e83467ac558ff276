package cascade_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/problem"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// Lint warns of each weight that nothing reads, naming its path, and of
// none that is read. Whether a weight is read is found apart from Lint:
// the cascade is evaluated again with every weight seven times as large;
// a weight that is read changes the result, one that is not leaves it as
// it was.
func TestLintWarnsOfWeightsNothingReads(t *testing.T) {
	e := newEnv(t)
	evs := events{
		e.event("1", "deal.won", "u1", "2025-02-10", "600"),
		e.event("2", "deal.won", "u2", "2025-02-11", "300"),
		e.event("3", "call", "u4", "2025-02-12", ""),
	}
	two := func(split *cascade.SplitDef, a, b cascade.NodeDef) cascade.NodeDef {
		return cascade.NodeDef{Period: "2025-Q1", Target: dp("1000"), Split: split, Children: []cascade.NodeDef{a, b}}
	}
	sales := cascade.NodeDef{Unit: "sales", Weight: dp("3")}
	support := cascade.NodeDef{Unit: "support", Weight: dp("1")}
	const kids = "mix[0].root.children"
	for _, tt := range []struct {
		name string
		def  cascade.Def
		want []string // the paths warned of
	}{
		{"even split, measure", cascade.Def{Indicator: "revenue", Root: two(nil, sales, support)},
			[]string{kids + "[0].weight", kids + "[1].weight"}},
		{"calendar split, target share", cascade.Def{Indicator: "revenue", Rollup: cascade.TargetShare,
			Root: two(&cascade.SplitDef{By: cascade.CalendarDays},
				cascade.NodeDef{Period: "2025-01", Weight: dp("2")}, cascade.NodeDef{Period: "2025-02", Weight: dp("5")})},
			[]string{kids + "[0].weight", kids + "[1].weight"}},
		{"even split, weights roll-up", cascade.Def{Indicator: "revenue", Rollup: cascade.ByWeights, Root: two(nil, sales, support)}, nil},
		{"weights split, measure", cascade.Def{Indicator: "revenue", Root: two(&cascade.SplitDef{By: cascade.Weights}, sales, support)}, nil},
		{"capacity split, measure", cascade.Def{Indicator: "revenue", Root: two(&cascade.SplitDef{By: cascade.Capacity}, sales, support)}, nil},
		{"weights split, one named in split.weights", cascade.Def{Indicator: "revenue",
			Root: two(&cascade.SplitDef{By: cascade.Weights, Weights: map[string]decimal.Decimal{"sales": dec("2")}}, sales, support)},
			[]string{kids + "[0].weight"}},
		{"weights split over time, one month named in split.weights", cascade.Def{Indicator: "revenue",
			Root: two(&cascade.SplitDef{By: cascade.Weights, Weights: map[string]decimal.Decimal{"2025-01": dec("2")}},
				cascade.NodeDef{Period: "2025-01", Weight: dp("2")}, cascade.NodeDef{Period: "2025-02", Weight: dp("5")})},
			[]string{kids + "[0].weight"}},
		{"weights split, a declared target", cascade.Def{Indicator: "revenue",
			Root: two(&cascade.SplitDef{By: cascade.Weights}, cascade.NodeDef{Unit: "sales", Target: dp("400"), Weight: dp("3")}, support)},
			[]string{kids + "[0].weight"}},
		{"weights split, lower is better", cascade.Def{Indicator: "cost", Direction: score.LowerIsBetter,
			Root: two(&cascade.SplitDef{By: cascade.Weights}, sales, support)},
			[]string{kids + "[0].weight", kids + "[1].weight"}},
		{"weights split of a ratio", cascade.Def{Indicator: "conversion", Root: two(&cascade.SplitDef{By: cascade.Weights}, sales, support)},
			[]string{kids + "[0].weight", kids + "[1].weight"}},
		{"the root's weight", cascade.Def{Indicator: "revenue", Rollup: cascade.ByWeights,
			Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("1000"), Weight: dp("2")}},
			[]string{"mix[0].root.weight"}},
		{"a grandchild", cascade.Def{Indicator: "revenue", Root: two(&cascade.SplitDef{By: cascade.Weights},
			cascade.NodeDef{Unit: "sales", Weight: dp("3"), Children: []cascade.NodeDef{{Unit: "sales_a", Weight: dp("2")}, {User: "u1"}}}, support)},
			[]string{kids + "[0].children[0].weight"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.def.ID = "mix"
			s, err := cascade.Compile([]cascade.Def{tt.def}, cascade.Env{Calendar: e.cal, Indicators: e.inds, Path: "mix"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range s.Lint() {
				if p.Severity != problem.SevWarning || p.Code != cascade.UnusedWeight || !strings.Contains(p.Msg, "is not read") {
					t.Errorf("%+v: want an unused_weight warning", p)
				}
				got = append(got, p.Path)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("warned of %q, want %q", got, tt.want)
			}
			// Apart from Lint: each weight seven times as large, alone.
			base := resultJSON(t, s, evs)
			for _, path := range weightPaths(&tt.def.Root, "mix[0].root") {
				heavier := tt.def
				heavier.Root = deepNode(tt.def.Root)
				w := weightAt(&heavier.Root, "mix[0].root", path)
				*w = w.Mul(dec("7"))
				s7 := e.compile(t, heavier)
				same := reflect.DeepEqual(base, resultJSON(t, s7, evs))
				if warned := slices.Contains(tt.want, path+".weight"); same != warned {
					t.Errorf("%s: the result is the same with seven times the weight: %v; warned of: %v", path, same, warned)
				}
			}
		})
	}
}

func resultJSON(t *testing.T, s *cascade.Set, evs events) any {
	t.Helper()
	res := mustEvaluate(t, s, evs, sampleOrg)
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// weightPaths lists the paths of the nodes below and at n with a weight.
func weightPaths(n *cascade.NodeDef, path string) []string {
	var out []string
	if n.Weight != nil {
		out = append(out, path)
	}
	for i := range n.Children {
		out = append(out, weightPaths(&n.Children[i], fmt.Sprintf("%s.children[%d]", path, i))...)
	}
	return out
}

// weightAt returns the weight of the node at want.
func weightAt(n *cascade.NodeDef, path, want string) *decimal.Decimal {
	if path == want {
		return n.Weight
	}
	for i := range n.Children {
		if w := weightAt(&n.Children[i], fmt.Sprintf("%s.children[%d]", path, i), want); w != nil {
			return w
		}
	}
	return nil
}

// deepNode copies n with its own children and weights.
func deepNode(n cascade.NodeDef) cascade.NodeDef {
	if n.Weight != nil {
		n.Weight = ptr(*n.Weight)
	}
	n.Children = slices.Clone(n.Children)
	for i := range n.Children {
		n.Children[i] = deepNode(n.Children[i])
	}
	return n
}

// The warning's words, as docs/cascade.md gives them.
func TestLintWarningWords(t *testing.T) {
	e := newEnv(t)
	s := e.compile(t, cascade.Def{ID: "c", Indicator: "revenue", Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("1000"),
		Children: []cascade.NodeDef{{Unit: "sales"}, {Unit: "support", Weight: dp("3")}}}})
	got := s.Lint()
	want := "cascades[0].root.children[1].weight: weight 3 is not read: the parent splits by even, and the roll-up is measure (rollup: weights would read it)"
	if len(got) != 1 || got[0].Path+": "+got[0].Msg != want {
		t.Fatalf("got %+v\nwant %s", got, want)
	}
}

// A long weight is quoted shortened, as formula's errors quote a long
// number: 10,000 places made a warning of 10,000 characters.
func TestLintLongWeight(t *testing.T) {
	e := newEnv(t)
	w := decimal.New(3, -10000)
	s := e.compile(t, cascade.Def{ID: "c", Indicator: "revenue", Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("1000"),
		Children: []cascade.NodeDef{{Unit: "sales"}, {Unit: "support", Weight: &w}}}})
	got := s.Lint()
	want := "cascades[0].root.children[1].weight: weight 3e-10000 is not read: the parent splits by even, and the roll-up is measure (rollup: weights would read it)"
	if len(got) != 1 || got[0].Path+": "+got[0].Msg != want {
		t.Fatalf("got %+v\nwant %s", got, want)
	}
}
