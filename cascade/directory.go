package cascade

import "github.com/goalkit/goalkit/kpi"

// The org structure is declared in package kpi, below goals and cascades,
// which both follow it; these names are kept here for readers of cascades.
type (
	// Unit is one node of the organisation.
	Unit = kpi.OrgUnit
	// Membership is a user's membership of a unit over a date range.
	Membership = kpi.Membership
	// Directory is the host's organisation structure.
	Directory = kpi.Directory
)
