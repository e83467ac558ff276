package cascade

import (
	"fmt"
	"slices"
	"strings"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/problem"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// The codes of a cascade's consistency issues: each issue is a
// problem.Problem with the path of the node (`cascades[0].root.children[2]`
// and, for generated nodes, the node's id after a slash) or of the directory
// entry (`directory.units[3]`), one of these codes and a message with the
// numbers.
const (
	// OverAllocated: the children's targets add up to more than the parent's.
	OverAllocated problem.Code = "over_allocated"
	// UnderAllocated: the children's targets add up to less (unallocated).
	UnderAllocated problem.Code = "under_allocated"
	// SplitFailed: a split rule could not be applied; the fallback is said.
	SplitFailed problem.Code = "split_failed"
	// UnknownUnit: a node names a unit the directory does not have.
	UnknownUnit problem.Code = "unknown_unit"
	// NotBelow: a child's unit or user is not within its parent's unit.
	NotBelow problem.Code = "not_below"
	// Cycle: units of the directory are their own ancestors.
	Cycle problem.Code = "cycle"
	// Orphan: a unit's parent, or a membership's unit, does not exist.
	Orphan problem.Code = "orphan"
	// TwoUnits: a person belongs to two units at once (neither below the
	// other).
	TwoUnits problem.Code = "two_units"
	// EmptyMembership: a membership ends at or before it starts, so it
	// holds no date and the organisation leaves it out.
	EmptyMembership problem.Code = "empty_membership"
)

func sortIssues(is []problem.Problem) []problem.Problem { return problem.Sort(is) }

// CheckDirectory checks an organisation: cycles among units, units whose
// parent does not exist, memberships of units that do not exist or that end
// at or before they start (which hold no date), and people who belong to two
// units at once where neither unit is below the other.
// A unit listed twice is where it is listed first, as org.Org reads it: the
// parent a repeat names makes no cycle and no orphan. The issues are sorted
// by path.
func CheckDirectory(units []org.Unit, ms []org.Membership) []problem.Problem {
	var out []problem.Problem
	idx := map[string]int{} // the first unit with the id, as org.Org reads it
	for i, u := range units {
		if _, dup := idx[u.ID]; !dup {
			idx[u.ID] = i
		}
	}
	for i, u := range units {
		path := fmt.Sprintf("directory.units[%d]", i)
		if u.Parent == "" || idx[u.ID] != i {
			continue // a root, or a repeat: its parent is not the unit's
		}
		if _, ok := idx[u.Parent]; !ok {
			out = append(out, problem.Problem{Path: path, Code: Orphan, Msg: fmt.Sprintf("unit %s: parent %s does not exist", u.ID, u.Parent)})
			continue
		}
		// Walk up; a cycle is reported once, at its first unit in order.
		chain := []string{u.ID}
		seen := map[string]bool{u.ID: true}
		for p := u.Parent; p != ""; {
			if p == u.ID {
				if minOf(chain) == u.ID {
					out = append(out, problem.Problem{Path: path, Code: Cycle, Msg: "units form a cycle: " + strings.Join(append(chain, u.ID), " → ")})
				}
				break
			}
			if seen[p] {
				break // a cycle above, reported from its own units
			}
			seen[p] = true
			chain = append(chain, p)
			j, ok := idx[p]
			if !ok {
				break
			}
			p = units[j].Parent
		}
	}
	parents := map[string]string{}
	for id, i := range idx {
		parents[id] = units[i].Parent
	}
	related := func(a, b string) bool {
		return isAncestor(parents, a, b) || isAncestor(parents, b, a)
	}
	// Each membership is compared with the user's earlier ones only: with
	// every earlier one, a directory of 20 000 memberships took half a
	// second at each evaluation.
	byUser := map[string][]int{}
	for i, m := range ms {
		path := fmt.Sprintf("directory.memberships[%d]", i)
		earlier := byUser[m.User]
		byUser[m.User] = append(earlier, i)
		if m.From != 0 && m.To != 0 && m.To <= m.From {
			out = append(out, problem.Problem{Path: path, Code: EmptyMembership, Msg: fmt.Sprintf("membership of %s in %s: to %s is not after from %s, so it holds no date", m.User, m.Unit, m.To, m.From)})
		}
		if _, ok := idx[m.Unit]; !ok {
			out = append(out, problem.Problem{Path: path, Code: Orphan, Msg: fmt.Sprintf("membership of %s: unit %s does not exist", m.User, m.Unit)})
			continue
		}
		for _, j := range earlier {
			o := ms[j]
			if o.Unit != m.Unit && related(o.Unit, m.Unit) {
				continue
			}
			if _, ok := idx[o.Unit]; !ok {
				continue // an orphan, reported as such: the organisation leaves it out
			}
			from, to, ok := intersect(o.From, o.To, m.From, m.To)
			if !ok {
				continue
			}
			if o.Unit == m.Unit {
				out = append(out, problem.Problem{Path: path, Code: TwoUnits, Msg: fmt.Sprintf("%s is in %s twice %s (memberships[%d])", m.User, m.Unit, describeRange(from, to), j)})
				continue
			}
			out = append(out, problem.Problem{Path: path, Code: TwoUnits, Msg: fmt.Sprintf("%s is in both %s and %s %s (memberships[%d])", m.User, o.Unit, m.Unit, describeRange(from, to), j)})
		}
	}
	return sortIssues(out)
}

func minOf(xs []string) string { return slices.Min(xs) }

// isAncestor reports whether a lies above b.
func isAncestor(parents map[string]string, a, b string) bool {
	seen := map[string]bool{}
	for p := parents[b]; p != "" && !seen[p]; p = parents[p] {
		if p == a {
			return true
		}
		seen[p] = true
	}
	return false
}

// intersect returns the common dates of [f1, t1) and [f2, t2), zero bounds
// being open.
func intersect(f1, t1, f2, t2 date.Date) (date.Date, date.Date, bool) {
	from := f1
	if f1 == 0 || f2 != 0 && f2 > f1 {
		from = f2
	}
	to := t1
	if t1 == 0 || t2 != 0 && t2 < t1 {
		to = t2
	}
	if from != 0 && to != 0 && from >= to {
		return 0, 0, false
	}
	return from, to, true
}

func describeRange(from, to date.Date) string {
	switch {
	case from == 0 && to == 0:
		return "at all times"
	case from == 0:
		return "until " + to.AddDate(0, 0, -1).String()
	case to == 0:
		return "from " + from.String()
	}
	return fmt.Sprintf("from %s to %s", from, to.AddDate(0, 0, -1))
}

// grouped formats a decimal for people: thousands separated by spaces, as
// in "unallocated: 120 000".
func grouped(d decimal.Decimal) string { return display.Grouped(d.String()) }
