package cascade

import (
	"encoding/json"

	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// Kind is what a node's participant is.
type Kind string

// The participant kinds.
const (
	Company  Kind = "company"
	UnitKind Kind = "unit"
	UserKind Kind = "user"
)

// Origin is where a node's target comes from.
type Origin string

// The origins of targets.
const (
	// Declared: the plan sets the node's target.
	Declared Origin = "declared"
	// SplitDown: the node's share of its parent's target.
	SplitDown Origin = "split"
	// Inherited: the parent's target itself (lower is better, or not
	// additive).
	Inherited Origin = "inherited"
)

// Tree is one evaluated cascade.
type Tree struct {
	Cascade   string          `json:"cascade"`
	Name      string          `json:"name,omitempty"`
	Indicator string          `json:"indicator"`
	Direction score.Direction `json:"direction"`
	Rollup    Rollup          `json:"rollup"`
	Root      *Node           `json:"root"`
}

// Node is one evaluated node of a cascade: its participant and period, its
// plan (target), its actual, its achievement and its contribution to
// its parent.
type Node struct {
	// ID is the node's declared id, or its participant and period label.
	ID string
	// Path is the node's definition path; a generated node's path is the
	// nearest declared node's followed by "/" and the keys below it.
	Path string
	// Key names the node among its siblings: its unit or user id for a
	// split over the organisation, its period label for a split over time.
	Key         string
	Kind        Kind
	Participant string // "*" for the company
	Period      period.Period
	Label       string
	Indicator   string
	// Target is the plan; Origin says where it comes from.
	Target decimal.NullDecimal
	Origin Origin
	// Weight is the node's weight in its parent's split, or in a weighted
	// roll-up, 0 included (a month without working days); undefined for the
	// root and where no split or roll-up weighs the node.
	Weight decimal.NullDecimal
	// Actual is the node's value, evaluated from the events of its whole
	// subtree (never from its children's values).
	Actual decimal.NullDecimal
	// Achievement is actual against target for the direction (score.Achieve,
	// uncapped), or, for a weighted roll-up, the weighted mean of the
	// children's achievements. Met says whether the target is reached.
	Achievement decimal.NullDecimal
	Met         bool
	// Share is the node's part of its parent: of the parent's actual for an
	// additive measure, of the roll-up weights for a weighted roll-up.
	// Contribution is the part of the parent's achievement the node accounts
	// for: actual / parent's target for an additive measure (higher is
	// better), share × achievement for a weighted roll-up. Both are
	// undefined where they have no meaning (ratios, averages, the root).
	Share        decimal.NullDecimal
	Contribution decimal.NullDecimal
	Children     []*Node

	// evaluation state
	split    *SplitDef
	declared decimal.NullDecimal // declared weight
	ind      *kpi.Indicator
	pid      string
	scope    string // the nearest unit at or above the node, if any
	hist     period.Period
	hasHist  bool
}

// Walk calls fn for the node and every node below it, parents first; a
// nil Node has none, and a nil fn is called for none.
func (n *Node) Walk(fn func(*Node)) {
	if n == nil || fn == nil {
		return
	}
	fn(n)
	for _, c := range n.Children {
		c.Walk(fn)
	}
}

type jsonNode struct {
	ID           string  `json:"id"`
	Kind         Kind    `json:"kind"`
	Participant  string  `json:"participant"`
	Period       string  `json:"period"`
	PeriodStart  string  `json:"period_start"`
	PeriodEnd    string  `json:"period_end"`
	Indicator    string  `json:"indicator"`
	Target       *string `json:"target"`
	Origin       Origin  `json:"origin"`
	Weight       *string `json:"weight,omitempty"`
	Actual       *string `json:"actual"`
	Achievement  *string `json:"achievement"`
	Met          bool    `json:"met"`
	Share        *string `json:"share,omitempty"`
	Contribution *string `json:"contribution,omitempty"`
	Children     []*Node `json:"children,omitempty"`
}

// MarshalJSON writes the node as the report's cascade format: decimals as
// strings, undefined values as null; a nil Node as null.
func (n *Node) MarshalJSON() ([]byte, error) {
	if n == nil {
		return []byte("null"), nil
	}
	j := jsonNode{ID: n.ID, Kind: n.Kind, Participant: n.Participant, Period: n.Label,
		PeriodStart: n.Period.Start.String(), PeriodEnd: n.Period.End.String(), Indicator: n.Indicator,
		Target: decimalx.Text(n.Target), Origin: n.Origin, Actual: decimalx.Text(n.Actual), Achievement: decimalx.Text(n.Achievement), Met: n.Met,
		Children: n.Children}
	if n.Weight.Valid {
		j.Weight = decimalx.Text(n.Weight)
	}
	if n.Share.Valid {
		j.Share = decimalx.Text(n.Share)
	}
	if n.Contribution.Valid {
		j.Contribution = decimalx.Text(n.Contribution)
	}
	return json.Marshal(j)
}

// Result is the outcome of Set.Evaluate: the evaluated trees in definition
// order and every issue found, sorted by path.
type Result struct {
	Trees  []*Tree           `json:"trees"`
	Issues []problem.Problem `json:"issues"`
}

// Prune returns a copy of the result with the nodes keep accepts and their
// ancestors: an ancestor kept only to hold the tree together shows its plan
// but not its actual, achievement, weight (a split by history weighs a node
// by its actual over the history period), share or contribution, and in a
// roll-up by measure its children do not show their shares of its actual
// either.
// A tree whose root is not kept and has no kept node goes. The issues are
// kept when keep accepts the root of every tree, a tree that goes included
// (they name units and people). The result is left unchanged. A nil
// Result, a nil Tree and a tree without a root have nothing to keep. The
// issues kept are a copy: changing them leaves the result unchanged.
// A nil keep accepts no node (a cut for a viewer that says nothing shows
// nothing): the copy has no trees and no issues.
func (r *Result) Prune(keep func(*Node) bool) *Result {
	if r == nil || keep == nil {
		return &Result{Trees: []*Tree{}, Issues: []problem.Problem{}}
	}
	out := &Result{Trees: []*Tree{}, Issues: append([]problem.Problem{}, r.Issues...)}
	all := true
	for _, t := range r.Trees {
		if t == nil || t.Root == nil {
			continue
		}
		all = all && keep(t.Root)
		root := prune(t.Root, keep, t.Rollup == Measure || t.Rollup == "")
		if root == nil {
			continue
		}
		c := *t
		c.Root = root
		out.Trees = append(out.Trees, &c)
	}
	if !all || len(out.Trees) == 0 {
		out.Issues = []problem.Problem{}
	}
	return out
}

// prune returns the copy of n that Prune keeps, or nil. measure says that
// a node's share is of its parent's actual (a roll-up by measure).
func prune(n *Node, keep func(*Node) bool, measure bool) *Node {
	var kids []*Node
	for _, c := range n.Children {
		if k := prune(c, keep, measure); k != nil {
			kids = append(kids, k)
		}
	}
	seen := keep(n)
	if !seen && len(kids) == 0 {
		return nil
	}
	if !seen && measure {
		// A child's share of the actual hidden below would give it away:
		// the actual is the child's over its share.
		for _, k := range kids {
			k.Share = decimal.NullDecimal{}
		}
	}
	c := *n
	c.Children = kids
	if !seen {
		c.Actual, c.Achievement, c.Met, c.Share, c.Contribution = decimal.NullDecimal{}, decimal.NullDecimal{}, false, decimal.NullDecimal{}, decimal.NullDecimal{}
		c.Weight = decimal.NullDecimal{}
	}
	return &c
}
