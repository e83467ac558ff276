package kpi

import (
	"time"

	"github.com/shopspring/decimal"
)

// Event is one business fact: a lead created, a deal won for 1 500.00 RUB, a
// call made. Events are identified by ID: a later event with the same ID is a
// correction that replaces the earlier one (any field may change, Kind and Time
// included), and an event with Deleted set retracts it.
//
// Attribute values must be one of: string, bool, int64 (or int), a
// decimal.Decimal, or a time.Time. Hosts that read JSON map numbers to
// decimal.Decimal so nothing passes through float64.
type Event struct {
	ID       string              `json:"id"`
	Kind     string              `json:"kind,omitempty"`
	Time     time.Time           `json:"time"`
	Actor    string              `json:"actor,omitempty"`
	Amount   decimal.NullDecimal `json:"amount"`
	Currency string              `json:"currency,omitempty"`
	Attrs    map[string]any      `json:"attrs,omitempty"`
	// Deleted marks a retraction of the event with this ID; the other fields
	// are then ignored.
	Deleted bool `json:"deleted,omitempty"`
	// Known is when the engine learned of this version of the event. It is
	// optional for batch evaluation and used by live tracking to replay what
	// was known at an earlier instant. The zero value means "always known".
	Known time.Time `json:"known,omitzero"`
}

// Attr returns the attribute named name and whether the event carries it.
func (e *Event) Attr(name string) (any, bool) {
	v, ok := e.Attrs[name]
	return v, ok
}

// Clone returns a copy of e that shares nothing mutable with it: its Attrs
// map is copied. Readers that reuse one Event between calls hand out events
// that must be cloned to be kept.
func (e *Event) Clone() Event {
	c := *e
	if e.Attrs != nil {
		c.Attrs = make(map[string]any, len(e.Attrs))
		for k, v := range e.Attrs {
			c.Attrs[k] = v
		}
	}
	return c
}
