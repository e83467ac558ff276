package cascade_test

import (
	"fmt"
	"math/big"
	"slices"
	"testing"

	"github.com/goalkit/goalkit/cascade"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// handNode is a node of a random tree as the hand model reads it.
type handNode struct {
	def      *cascade.NodeDef
	children []*handNode
}

// drawTree draws a node and, below depth, up to four children, some with
// a declared target (the units of places times a whole number) and some
// with a weight, zero included.
func drawTree(t *rapid.T, n *int, depth, places int) *handNode {
	id := *n
	*n++
	def := &cascade.NodeDef{ID: fmt.Sprintf("n%d", id), User: fmt.Sprintf("u%d", id)}
	h := &handNode{def: def}
	if depth == 0 {
		return h
	}
	for range rapid.IntRange(0, 4).Draw(t, "children") {
		ch := drawTree(t, n, depth-1, places)
		if rapid.IntRange(0, 3).Draw(t, "declares") == 0 {
			ch.def.Target = ptr(decimal.New(rapid.Int64Range(0, 5000).Draw(t, "target"), int32(-places)))
		}
		if rapid.Bool().Draw(t, "has weight") {
			ch.def.Weight = ptr(decimal.NewFromInt(rapid.Int64Range(0, 3).Draw(t, "weight")))
		}
		h.children = append(h.children, ch)
		def.Children = append(def.Children, *ch.def)
	}
	if len(h.children) > 0 && rapid.IntRange(0, 2).Draw(t, "weighted") == 0 {
		def.Split = &cascade.SplitDef{By: cascade.Capacity}
	}
	return h
}

// A tree of targets split down by the hand model: each node's children
// that declare no target share what the declared ones leave of the node's
// target (nothing when they take more, an over-allocation), evenly or by
// capacity (a node's weight, 1 without one; all zero: evenly, with an
// issue), each the whole units of its exact quota and the units left one
// each to the largest remainders, ties to the earlier child. Every split
// adds back exactly to what it shares, at any depth and width, and the
// allocation issues are exactly the nodes the model says.
func TestTreeSplitByHand(t *testing.T) {
	e := newEnv(t)
	rapid.Check(t, func(t *rapid.T) {
		ind, places := "won", 0
		if rapid.Bool().Draw(t, "money") {
			ind, places = "revenue", 2
		}
		var count int
		root := drawTree(t, &count, rapid.IntRange(1, 4).Draw(t, "depth"), places)
		root.def.Target = ptr(decimal.New(rapid.Int64Range(0, 1_000_000).Draw(t, "root target"), int32(-places)))
		root.def.Period = "2025-Q1"
		s := e.compile(t, cascade.Def{ID: "t", Indicator: ind, Root: *root.def})
		res, err := evaluate(s, events{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		nodes := map[string]*cascade.Node{}
		res.Trees[0].Root.Walk(func(n *cascade.Node) { nodes[n.ID] = n })

		var want []string // "code path" of the allocation issues
		var walk func(h *handNode, target *big.Int, path string)
		walk = func(h *handNode, target *big.Int, path string) {
			n := nodes[h.def.ID]
			if got := n.Target.Decimal.Shift(int32(places)); !n.Target.Valid || got.BigInt().Cmp(target) != 0 || !got.IsInteger() {
				t.Fatalf("%s: target %v, want %s units of %d places", h.def.ID, n.Target, target, places)
			}
			if len(h.children) == 0 {
				return
			}
			rest := new(big.Int).Set(target)
			var open []int
			for i, ch := range h.children {
				if ch.def.Target != nil {
					rest.Sub(rest, ch.def.Target.Shift(int32(places)).BigInt())
				} else {
					open = append(open, i)
				}
			}
			shares := make([]*big.Int, len(h.children))
			for i, ch := range h.children {
				if ch.def.Target != nil {
					shares[i] = ch.def.Target.Shift(int32(places)).BigInt()
				}
			}
			switch {
			case len(open) == 0 && rest.Sign() > 0:
				want = append(want, fmt.Sprintf("%s %s", cascade.UnderAllocated, path))
			case rest.Sign() < 0:
				want = append(want, fmt.Sprintf("%s %s", cascade.OverAllocated, path))
				rest.SetInt64(0)
			}
			if len(open) > 0 {
				ws := make([]int64, len(open))
				var sum int64
				for k, i := range open {
					ws[k] = 1
					if h.def.Split != nil && h.children[i].def.Weight != nil {
						ws[k] = h.children[i].def.Weight.IntPart()
					}
					sum += ws[k]
				}
				if sum == 0 {
					want = append(want, fmt.Sprintf("%s %s.split", cascade.SplitFailed, path))
					for k := range ws {
						ws[k] = 1
					}
					sum = int64(len(ws))
				}
				rems := make([]*big.Rat, len(open))
				left := new(big.Int).Set(rest)
				for k, w := range ws {
					q := new(big.Rat).SetFrac(new(big.Int).Mul(rest, big.NewInt(w)), big.NewInt(sum))
					fl := new(big.Int).Quo(q.Num(), q.Denom())
					shares[open[k]] = fl
					left.Sub(left, fl)
					rems[k] = q.Sub(q, new(big.Rat).SetInt(fl))
				}
				order := make([]int, len(open))
				for k := range order {
					order[k] = k
				}
				slices.SortStableFunc(order, func(a, b int) int { return rems[b].Cmp(rems[a]) })
				for _, k := range order[:left.Int64()] {
					shares[open[k]].Add(shares[open[k]], big.NewInt(1))
				}
			}
			for i, ch := range h.children {
				walk(ch, shares[i], fmt.Sprintf("%s.children[%d]", path, i))
			}
		}
		walk(root, root.def.Target.Shift(int32(places)).BigInt(), "cascades[0].root")

		var got []string
		for _, is := range res.Issues {
			if is.Code == cascade.UnderAllocated || is.Code == cascade.OverAllocated || is.Code == cascade.SplitFailed {
				got = append(got, fmt.Sprintf("%s %s", is.Code, is.Path))
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("issues %v, want %v (all: %v)", got, want, res.Issues)
		}
	})
}
