package cascade

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit/problem"
)

// TestZeroValues calls every exported method of the package's types on a
// nil pointer and on a zero value a host can build in Go: each works with
// its documented meaning, and none panics.
func TestZeroValues(t *testing.T) {
	all := func(*Node) bool { return true }
	empty := func(r *Result, err error) bool {
		return err == nil && r != nil && len(r.Trees) == 0 && len(r.Issues) == 0
	}
	for _, tc := range []struct {
		name string
		ok   func() bool
	}{
		{"nil Set.Cascades", func() bool { return (*Set)(nil).Cascades() == nil }},
		{"nil Set.Kinds", func() bool { return (*Set)(nil).Kinds() == nil }},
		{"nil Set.Calendar", func() bool { return (*Set)(nil).Calendar() == nil }},
		{"nil Set.Lookup", func() bool { c, ok := (*Set)(nil).Lookup("sales"); return c == nil && !ok }},
		{"nil Set.Lint", func() bool { return (*Set)(nil).Lint() == nil }},
		{"nil Set.Evaluate", func() bool { return empty((*Set)(nil).Evaluate(context.Background(), nil, Request{})) }},
		{"nil Set.Evaluate of an unknown cascade", func() bool {
			_, err := (*Set)(nil).Evaluate(context.Background(), nil, Request{Cascades: []string{"sales"}})
			return err != nil && err.Error() == `cascade: unknown cascade "sales" in the request`
		}},
		{"zero Set.Evaluate", func() bool { return empty((&Set{}).Evaluate(context.Background(), nil, Request{})) }},
		{"zero Set.Lint", func() bool { return (&Set{}).Lint() == nil }},
		{"nil Cascade.ID", func() bool { return (*Cascade)(nil).ID() == "" }},
		{"nil Cascade.Places", func() bool { return (*Cascade)(nil).Places() == 0 }},
		{"nil Cascade.Def", func() bool { return (*Cascade)(nil).Def().ID == "" }},
		{"nil Node.Walk", func() bool {
			n := 0
			(*Node)(nil).Walk(func(*Node) { n++ })
			return n == 0
		}},
		{"Node.Walk with a nil fn", func() bool {
			(&Node{Children: []*Node{{}}}).Walk(nil)
			return true
		}},
		{"nil Node.MarshalJSON", func() bool { b, err := (*Node)(nil).MarshalJSON(); return err == nil && string(b) == "null" }},
		{"nil Result.Prune", func() bool { r := (*Result)(nil).Prune(all); return r != nil && len(r.Trees) == 0 }},
		{"Result.Prune with a nil keep keeps nothing", func() bool {
			r := (&Result{Trees: []*Tree{{Root: &Node{ID: "root"}}}, Issues: []problem.Problem{{Msg: "u1"}}}).Prune(nil)
			return r != nil && len(r.Trees) == 0 && r.Trees != nil && len(r.Issues) == 0 && r.Issues != nil
		}},
		{"a nil Tree in Result.Prune", func() bool { return len((&Result{Trees: []*Tree{nil}}).Prune(all).Trees) == 0 }},
		{"a zero Tree in Result.Prune", func() bool { return len((&Result{Trees: []*Tree{{}}}).Prune(all).Trees) == 0 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("panic: %v", r)
				}
			}()
			if !tc.ok() {
				t.Fatal("the result is not the documented one")
			}
		})
	}
}
