// Package report checks the plan and report an export is given.
package report

import (
	"errors"
	"fmt"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/cascade"
)

// Usable returns the report an export writes, and an error for a nil plan
// or report, or a report that holds a nil goal row, cascade tree or node
// (a host's report the engine would not make: its filtering left a hole),
// naming the first. A report without values (Report.Values nil, as a zero
// Report or one a host built has) is one: each part of an export that
// reads the values skips them.
func Usable(plan *goalkit.Plan, rep *goalkit.Report) (*goalkit.Report, error) {
	switch {
	case plan == nil && rep == nil:
		return nil, errors.New("no plan and no report given (nil)")
	case plan == nil:
		return nil, errors.New("no plan given (nil)")
	case rep == nil:
		return nil, errors.New("no report given (nil)")
	}
	if at := nilPart(rep); at != "" {
		return nil, fmt.Errorf("the report's %s is nil", at)
	}
	return rep, nil
}

// nilPart is the path of the first nil goal row, cascade tree or node of
// rep (goals.rows[1], cascade.trees[0].root.children[2]), or "".
func nilPart(rep *goalkit.Report) string {
	if rep.Goals != nil {
		for i, r := range rep.Goals.Rows {
			if r == nil {
				return fmt.Sprintf("goals.rows[%d]", i)
			}
		}
	}
	if rep.Cascade == nil {
		return ""
	}
	var node func(n *cascade.Node, at string) string
	node = func(n *cascade.Node, at string) string {
		if n == nil {
			return at
		}
		for i, c := range n.Children {
			if p := node(c, fmt.Sprintf("%s.children[%d]", at, i)); p != "" {
				return p
			}
		}
		return ""
	}
	for i, t := range rep.Cascade.Trees {
		at := fmt.Sprintf("cascade.trees[%d]", i)
		if t == nil {
			return at
		}
		if p := node(t.Root, at+".root"); p != "" {
			return p
		}
	}
	return ""
}
