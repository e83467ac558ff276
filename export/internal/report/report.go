// Package report checks the plan and report an export is given.
package report

import (
	"errors"

	"github.com/goalkit/goalkit"
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
	if err := rep.Check(); err != nil {
		return nil, err
	}
	return rep, nil
}
