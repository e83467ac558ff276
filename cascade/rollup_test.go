package cascade_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// A mixed tree rolls up achievement weighted by declared weights or by
// target share, never as a plain average.
func TestWeightedRollup(t *testing.T) {
	e := newEnv(t)
	evs := events{
		e.event("1", "deal.won", "u1", "2025-02-10", "600"),
		e.event("2", "call", "u4", "2025-02-11", ""),
		e.event("3", "call", "u4", "2025-02-12", ""),
	}
	for _, tt := range []struct {
		rollup     cascade.Rollup
		root       string
		sales, sup string // contributions
	}{
		// revenue 600 of 1000 = 0.6 (weight 3); calls 2 of 10 = 0.2 (weight 1)
		{cascade.ByWeights, "0.5", "0.45", "0.05"},
		// by target share: weights 1000 and 10
		{cascade.TargetShare, "0.5960396039603960", "0.5940594059405941", "0.00198019801980198"},
	} {
		t.Run(string(tt.rollup), func(t *testing.T) {
			s := e.compile(t, cascade.Def{ID: "mix", Indicator: "revenue", Rollup: tt.rollup, Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("1000"),
				Children: []cascade.NodeDef{
					{Unit: "sales", Target: dp("1000"), Weight: dp("3")},
					{Unit: "support", Indicator: "calls", Target: dp("10")},
				}}})
			res := mustEvaluate(t, s, evs, sampleOrg)
			root := res.Trees[0].Root
			sales, sup := root.Children[0], root.Children[1]
			if !root.Achievement.Decimal.Equal(dec(tt.root)) || !sales.Contribution.Decimal.Equal(dec(tt.sales)) || !sup.Contribution.Decimal.Equal(dec(tt.sup)) {
				t.Fatalf("root %v, contributions %v and %v; want %s, %s, %s", root.Achievement, sales.Contribution, sup.Contribution, tt.root, tt.sales, tt.sup)
			}
			if !sales.Contribution.Decimal.Add(sup.Contribution.Decimal).Sub(root.Achievement.Decimal).Abs().LessThan(dec("0.0000000000001")) {
				t.Fatal("contributions do not add up to the achievement")
			}
			if len(res.Issues) != 0 {
				t.Fatal(res.Issues)
			}
		})
	}
}

// A lower-is-better target is inherited, and achievement is target / actual.
func TestLowerIsInherited(t *testing.T) {
	e := newEnv(t)
	s := e.compile(t, cascade.Def{ID: "cost", Indicator: "cost", Direction: score.LowerIsBetter, Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("500"),
		Split: &cascade.SplitDef{By: cascade.Even, Into: "month"}}})
	res := mustEvaluate(t, s, events{e.event("1", "expense", "u1", "2025-01-10", "1000")}, nil)
	root := res.Trees[0].Root
	jan := root.Children[0]
	if jan.Origin != cascade.Inherited || !jan.Target.Decimal.Equal(dec("500")) || !jan.Achievement.Decimal.Equal(dec("0.5")) || jan.Contribution.Valid {
		t.Fatalf("january: %+v", jan)
	}
	if feb := root.Children[1]; !feb.Met || feb.Achievement.Valid {
		t.Fatalf("february spent nothing: %+v", feb)
	}
}

// Prune keeps the nodes a viewer may see and the ancestors that hold them,
// without the ancestors' facts.
func TestPrune(t *testing.T) {
	e := newEnv(t)
	s := e.compile(t, cascade.Def{ID: "won", Indicator: "won", Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("10"),
		Split: &cascade.SplitDef{By: cascade.Even, Into: cascade.IntoUnits, Then: &cascade.SplitDef{By: cascade.Even, Into: cascade.IntoMembers}}}})
	res := mustEvaluate(t, s, events{e.event("1", "deal.won", "u4", "2025-01-10", "")}, sampleOrg)
	v := res.Prune(func(n *cascade.Node) bool { return n.Participant == "u4" })
	root := v.Trees[0].Root
	if root.Actual.Valid || len(root.Children) != 1 || root.Children[0].Participant != "support" || root.Children[0].Actual.Valid {
		t.Fatalf("pruned root %+v", root)
	}
	u4 := root.Children[0].Children
	if len(u4) != 1 || !u4[0].Actual.Decimal.Equal(dec("1")) || len(v.Issues) != 0 {
		t.Fatalf("u4: %+v", u4)
	}
	if !res.Trees[0].Root.Actual.Valid || len(res.Trees[0].Root.Children) != 2 {
		t.Fatal("Prune changed the result")
	}
}

// A kept node's share of its parent's actual would give away the actual
// Prune hides (the parent's is the node's over its share): it goes with it,
// and stays where the viewer sees the parent.
func TestPruneHidesTheShareOfAHiddenActual(t *testing.T) {
	e := newEnv(t)
	s := e.compile(t, cascade.Def{ID: "won", Indicator: "won", Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("10"),
		Split: &cascade.SplitDef{By: cascade.Even, Into: cascade.IntoUnits, Then: &cascade.SplitDef{By: cascade.Even, Into: cascade.IntoMembers}}}})
	// Support wins 2 deals: u4's in January, u3's after the move on 15 March.
	res := mustEvaluate(t, s, events{e.event("1", "deal.won", "u4", "2025-01-10", ""), e.event("2", "deal.won", "u3", "2025-03-20", "")}, sampleOrg)
	u4 := func(r *cascade.Result) *cascade.Node { return find(t, r.Trees[0].Root, "u4 2025-Q1") }
	if sh := u4(res).Share; !sh.Valid || !sh.Decimal.Equal(dec("0.5")) {
		t.Fatalf("u4's share of support: %v, want 0.5", sh)
	}
	own := u4(res.Prune(func(n *cascade.Node) bool { return n.Participant == "u4" }))
	if own.Share.Valid || !own.Actual.Decimal.Equal(dec("1")) || !own.Contribution.Valid {
		t.Fatalf("u4 alone: share %v, actual %v, contribution %v; want no share", own.Share, own.Actual, own.Contribution)
	}
	team := u4(res.Prune(func(n *cascade.Node) bool { return n.Participant == "u4" || n.Participant == "support" }))
	if !team.Share.Valid || !team.Share.Decimal.Equal(dec("0.5")) {
		t.Fatalf("u4 with support: share %v, want 0.5", team.Share)
	}
	if !u4(res).Share.Valid {
		t.Fatal("Prune changed the result")
	}
}

// A split by history weighs each child by its actual over the history
// period: a hidden ancestor's weight is a fact of it as much as its actual,
// so it goes too, while a node the viewer sees keeps its own.
func TestPruneHidesTheHistoryWeightOfAHiddenNode(t *testing.T) {
	e := newEnv(t)
	s := e.compile(t, cascade.Def{ID: "won", Indicator: "won", Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("10"),
		Split: &cascade.SplitDef{By: cascade.History, Into: cascade.IntoUnits, History: "2024-Q4",
			Then: &cascade.SplitDef{By: cascade.History, Into: cascade.IntoMembers, History: "2024-Q4"}}}})
	// 2024-Q4: sales wins 3 deals (u1, u2 twice), support 2 (u4, u3 is in
	// sales_a then).
	var evs events
	for i, who := range []string{"u1", "u2", "u2", "u4", "u4"} {
		evs = append(evs, e.event(fmt.Sprint(i), "deal.won", who, "2024-11-10", ""))
	}
	res := mustEvaluate(t, s, evs, sampleOrg)
	support := func(r *cascade.Result) *cascade.Node { return find(t, r.Trees[0].Root, "support 2025-Q1") }
	u4 := func(r *cascade.Result) *cascade.Node { return find(t, r.Trees[0].Root, "u4 2025-Q1") }
	if w := support(res).Weight; !w.Valid || !w.Decimal.Equal(dec("2")) {
		t.Fatalf("support's weight %v, want its 2 deals of 2024-Q4", w)
	}
	v := res.Prune(func(n *cascade.Node) bool { return n.Participant == "u4" })
	if w := support(v).Weight; w.Valid {
		t.Errorf("hidden support keeps its weight %s, its actual over 2024-Q4", w.Decimal)
	}
	if w := u4(v).Weight; !w.Valid || !w.Decimal.Equal(dec("2")) {
		t.Errorf("u4's own weight %v, want 2", w)
	}
	if !support(res).Weight.Valid {
		t.Fatal("Prune changed the result")
	}
}

// Contributions are each rounded to 16 significant digits, so their sum
// may miss the parent's achievement in the last digit, never by more than
// one unit of it per child: won 1 each against 3, the two departments
// contribute 0.3333333333333333 each, the company achieves
// 0.6666666666666667.
func TestContributionsRoundedEachOnTheirOwn(t *testing.T) {
	e := newEnv(t)
	s := e.compile(t, cascade.Def{ID: "won", Indicator: "won", Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("3"),
		Split: &cascade.SplitDef{By: cascade.Even, Into: cascade.IntoUnits}}})
	res := mustEvaluate(t, s, events{e.event("1", "deal.won", "u1", "2025-01-10", ""), e.event("2", "deal.won", "u4", "2025-01-11", "")}, sampleOrg)
	root := res.Trees[0].Root
	sum := decimal.Zero
	for _, c := range root.Children {
		if c.Contribution.Decimal.String() != "0.3333333333333333" {
			t.Errorf("%s contributes %s", c.ID, c.Contribution.Decimal)
		}
		sum = sum.Add(c.Contribution.Decimal)
	}
	if root.Achievement.Decimal.String() != "0.6666666666666667" || sum.String() != "0.6666666666666666" {
		t.Errorf("achievement %s, contributions add up to %s", root.Achievement.Decimal, sum)
	}
}

// The issues name units and people: a viewer sees them only when they see
// the root of every tree, also of a tree they see nothing of.
func TestPruneIssuesNeedEveryRoot(t *testing.T) {
	e := newEnv(t)
	s := e.compile(t,
		cascade.Def{ID: "company", Indicator: "won", Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("10")}},
		cascade.Def{ID: "sales", Indicator: "won", Root: cascade.NodeDef{Unit: "sales", Period: "2025-Q1", Target: dp("10"),
			Children: []cascade.NodeDef{{User: "u4", Target: dp("4")}}}})
	res := mustEvaluate(t, s, events{e.event("1", "deal.won", "u1", "2025-01-10", "")}, sampleOrg)
	if len(res.Issues) == 0 {
		t.Fatal("no issue to hide")
	}
	for _, tt := range []struct {
		name   string
		keep   func(*cascade.Node) bool
		issues bool
	}{
		{"every root", func(*cascade.Node) bool { return true }, true},
		{"the company's root only", func(n *cascade.Node) bool { return n.Kind == cascade.Company }, false},
		{"the sales tree only", func(n *cascade.Node) bool { return n.Participant == "sales" }, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := len(res.Prune(tt.keep).Issues) > 0; got != tt.issues {
				t.Fatalf("issues shown: %v, want %v", got, tt.issues)
			}
		})
	}
	// The issues of the copy are its own: a viewer's copy whose issue a
	// host rewrote (to translate it, say) changed the result's.
	msg := res.Issues[0].Msg
	res.Prune(func(*cascade.Node) bool { return true }).Issues[0].Msg = "changed"
	if res.Issues[0].Msg != msg {
		t.Errorf("the result's issue after a copy's changed: %q, want %q", res.Issues[0].Msg, msg)
	}
}

// In a weighted roll-up, a lower-is-better child met without a ratio
// (nothing spent against its budget) counts as its target met, 1, not as
// nothing achieved.
func TestWeightedRollupMetAtZero(t *testing.T) {
	e := newEnv(t)
	// January spends 1000 of 500 (0.5), February nothing (met), March 500 (1).
	evs := events{e.event("1", "expense", "u1", "2025-01-10", "1000"), e.event("2", "expense", "u1", "2025-03-10", "500")}
	for _, tt := range []struct {
		rollup cascade.Rollup
		// (0.5 + 1 + 1) / 3 by weights; by target share the same, every
		// month inheriting 500.
		root, feb string
		met       bool
	}{
		{cascade.ByWeights, "0.8333333333333333", "0.3333333333333333", false},
		{cascade.TargetShare, "0.8333333333333333", "0.3333333333333333", false},
	} {
		t.Run(string(tt.rollup), func(t *testing.T) {
			s := e.compile(t, cascade.Def{ID: "cost", Indicator: "cost", Direction: score.LowerIsBetter, Rollup: tt.rollup,
				Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("500"), Split: &cascade.SplitDef{By: cascade.Even, Into: "month"}}})
			res := mustEvaluate(t, s, evs, nil)
			root := res.Trees[0].Root
			feb := root.Children[1]
			if !feb.Met || feb.Achievement.Valid {
				t.Fatalf("february: met %v, achievement %v", feb.Met, feb.Achievement)
			}
			if root.Achievement.Decimal.String() != tt.root || feb.Contribution.Decimal.String() != tt.feb || root.Met != tt.met {
				t.Errorf("root %v (met %v), february's contribution %v; want %s (met %v), %s", root.Achievement, root.Met, feb.Contribution, tt.root, tt.met, tt.feb)
			}
		})
	}
}

// Inherit and EvenWeights take any count a host passes: below 1 gives no
// parts; a negative one made them panic (makeslice).
func TestPartsOfNoCount(t *testing.T) {
	for _, n := range []int{-1, 0, math.MinInt} {
		if got := cascade.Inherit(dec("500"), n); len(got) != 0 {
			t.Errorf("Inherit(500, %d) = %v, want none", n, got)
		}
		if got := cascade.EvenWeights(n); len(got) != 0 {
			t.Errorf("EvenWeights(%d) = %v, want none", n, got)
		}
	}
	if got := fmt.Sprint(cascade.EvenWeights(2)); got != "[1 1]" {
		t.Errorf("EvenWeights(2) = %s", got)
	}
}
