package enginetest

import (
	"context"

	"github.com/goalkit/goalkit/org"
)

// Directory is an org.Directory of fixed units and memberships. Nothing is
// checked before org.Load, so a test can hand an engine a directory that
// is wrong on purpose.
func Directory(units []org.Unit, ms []org.Membership) org.Directory {
	return directory{units: units, ms: ms}
}

type directory struct {
	units []org.Unit
	ms    []org.Membership
}

func (d directory) Units(context.Context) ([]org.Unit, error)             { return d.units, nil }
func (d directory) Memberships(context.Context) ([]org.Membership, error) { return d.ms, nil }
