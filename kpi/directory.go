package kpi

import (
	"context"

	"github.com/rickb777/date/v2"
)

// OrgUnit is one node of the organisation: a company, a department, a team.
type OrgUnit struct {
	ID     string `json:"id"`
	Name   string `json:"name,omitempty"`
	Parent string `json:"parent,omitempty"` // "" for a root
	Head   string `json:"head,omitempty"`   // user id of the head, if any
}

// Membership says that User belonged to Unit on the local dates [From, To).
// A zero From means "since always", a zero To "until further notice". A person
// who moves department mid-month has two memberships that meet at the move.
type Membership struct {
	User string    `json:"user"`
	Unit string    `json:"unit"`
	From date.Date `json:"from,omitzero"`
	To   date.Date `json:"to,omitzero"`
}

// Directory is the host's organisation structure. Goals name teams and
// departments through it, and cascades follow it.
type Directory interface {
	// Units returns every unit of the organisation.
	Units(ctx context.Context) ([]OrgUnit, error)
	// Memberships returns every membership of every user, past and present.
	Memberships(ctx context.Context) ([]Membership, error)
}
