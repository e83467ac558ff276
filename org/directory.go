package org

import (
	"context"

	"github.com/rickb777/date/v2"
)

// Unit is a node of the host's organisation: a company, a department, a
// team.
type Unit struct {
	ID     string `json:"id"`
	Name   string `json:"name,omitempty" plan:"text"` // a string in a directory file: true or 5 unquoted is refused
	Parent string `json:"parent,omitempty"`           // "" for a root
	Head   string `json:"head,omitempty"`             // user id of the head, if any
}

// Membership says that User belonged to Unit on the local dates [From, To).
// A zero From or To leaves that side open.
type Membership struct {
	User string    `json:"user"`
	Unit string    `json:"unit"`
	From date.Date `json:"from,omitzero"`
	To   date.Date `json:"to,omitzero"`
}

// Directory is the host's organisation structure. adapters/memory holds one
// in memory; the Bitrix24 adapter reads the portal's departments. Unit and
// user ids are any text but "" and "*" ([Everyone]), which [Load] refuses.
type Directory interface {
	Units(ctx context.Context) ([]Unit, error)
	Memberships(ctx context.Context) ([]Membership, error)
}
