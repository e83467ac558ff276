package kpi

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/org"
	"github.com/shopspring/decimal"
)

// Limits of events and tables: they keep a table's memory linear in the
// events it holds, and an event or a batch past one is refused with an error
// that names the event and the limit.
const (
	// MaxEventAttrs is the most attributes one event may carry.
	MaxEventAttrs = colstore.MaxEventAttrs
	// MaxAttrNames is the most distinct attribute names one Table (and so one
	// store or Tracker) holds, over all its events.
	MaxAttrNames = colstore.MaxAttrNames
)

// Event is one business fact: a lead created, a deal won for 1 500.00 RUB, a
// call made. Events are identified by ID: a later event with the same ID is a
// correction that replaces the earlier one (any field may change, Kind and Time
// included), and an event with Deleted set retracts it.
//
// Attribute values must be one of: string, bool, int64 (or int), a
// decimal.Decimal, or a time.Time. Hosts that read JSON map numbers to
// decimal.Decimal so nothing passes through float64.
//
// ID, Kind, Actor, Currency and attribute names are identifiers: valid UTF-8
// without control characters (U+0000–U+001F, U+007F–U+009F; so no tab or
// newline either). Attribute values are data and may hold any text; the
// report writers escape it for terminals and neutralise it for spreadsheets.
type Event struct {
	// ID names the event; every version of it (corrections, a
	// retraction) carries the same ID.
	ID string `json:"id"`
	// Kind is what happened ("deal.won"), as indicators select it.
	Kind string `json:"kind,omitempty"`
	// Time is when it happened: its local date in the evaluation's time
	// zone is the day it counts in.
	Time time.Time `json:"time"`
	// Actor is who is credited: a user id, the participant of the rows
	// the event counts in; "": no one, the event counts in the whole
	// company's row (org.Everyone) alone.
	Actor string `json:"actor,omitempty"`
	// Amount is the event's amount (money, in Currency), exact; undefined
	// (Valid false): none.
	Amount decimal.NullDecimal `json:"amount"`
	// Currency is Amount's ISO 4217 code; "": an amount an indicator with
	// a currency takes to be in its own.
	Currency string `json:"currency,omitempty"`
	// Attrs are the event's attributes by name.
	Attrs map[string]any `json:"attrs,omitempty"`
	// Deleted marks a retraction of the event with this ID; the other fields
	// are then ignored.
	Deleted bool `json:"deleted,omitempty"`
	// Known is when the engine learned of this version of the event. It is
	// optional for batch evaluation and used by live tracking to replay what
	// was known at an earlier instant. The zero value means "always known":
	// a version applied live without one counts as known before it came,
	// so the goals' ticks compare with a past that already held it (see
	// goalkit's Tracker.Apply). Give each version of an ID its own
	// instant, to the nanosecond where it can be: scale-out orders an ID's
	// versions by Known and drops one known at the instant of a version
	// applied before it, so with a Known of whole seconds a correction made
	// within the second of the version it corrects is lost (package
	// scaleout).
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

// Validate reports what makes e unusable: no ID, or an ID that is not valid
// UTF-8 or has a control character, a Known outside the years 1678–2261;
// for an event that is not a retraction,
// no Kind or Time, a Kind, Actor, Currency or attribute name that is not
// valid UTF-8 or has a control character, an Actor "*" (org.Everyone, the
// whole company's row of every result, which no actor may share), a time outside the years 1678–2261
// (instants are kept as nanoseconds in an int64), an attribute without a
// name, more than MaxEventAttrs attributes, an attribute value of a type
// other than string, int64 (or int, int32), decimal.Decimal, bool and
// time.Time, or an amount or decimal attribute whose exponent is beyond
// ±1000 (as the event files' parsers bound it). Stores refuse such events. (A table's own limits, MaxAttrNames
// and its room for event kinds, are checked by Table.Apply and
// Table.CheckNames.)
func (e *Event) Validate() error {
	return e.validate(&eventCheck{})
}

// maxKnownNames bounds the known attribute names validate looks up in an
// event's attributes before it iterates them instead.
const maxKnownNames = 16

// eventCheck is what the check of an event may take from the table the
// event goes to (nothing, for Validate), and what it found there.
type eventCheck struct {
	// known, when not empty, are attribute names known to be valid (a
	// table's): an event whose attributes all have one of them has them
	// checked by looking each up, much cheaper than iterating its map.
	known []string
	// vals (nil, or as long as known) is set to the attributes' values by
	// the index of their names in known, nil for a name the event has
	// not, when news is false.
	vals []any
	// tab, when not nil, is the table: a kind, actor or currency it holds
	// is an identifier already, and codes are set to their codes there (0
	// for one it does not hold).
	tab   *colstore.Table
	codes colstore.Codes
	// attrs, when not nil (with vals and tab), has the check sort the
	// attributes' values for the table (see splitAttrs): the codes of
	// those its cache of values holds go to attrs, the others to vals
	// (missed is set when one went there; vals is not read otherwise).
	attrs  []colstore.AttrCode
	missed bool
	// grows is set when the event may add to the table's dictionaries: a
	// kind, actor or currency whose code was not found, or an attribute
	// value its cache did not hold (missed).
	grows bool
	// news is false when the event has no attribute name outside known.
	news bool
}

// validate is Validate, with what c gives and finds (see eventCheck).
func (e *Event) validate(c *eventCheck) error {
	c.news = !e.Deleted && len(e.Attrs) > 0
	c.codes = colstore.Codes{}
	return e.check(c)
}

func (e *Event) check(c *eventCheck) error {
	if e.ID == "" {
		return errors.New("event has no id")
	}
	// A canonical decimal id (most are) is all digits: an identifier, and
	// the table is told its number (Codes.ID) so as not to read it again.
	var num uint64
	if n, ok := colstore.IDNumber(e.ID); ok {
		num = n + 1
	} else if bad := display.IDProblem(e.ID); bad != "" {
		return fmt.Errorf("event id %s %s", display.QuoteID(e.ID), bad)
	}
	c.codes.ID = num
	if !e.Known.IsZero() && !colstore.InsideYears(e.Known.Unix()) && !colstore.InYears(e.Known) {
		return colstore.TimeOutside(e.ID, "known", e.Known)
	}
	if e.Deleted {
		return nil
	}
	if e.Kind == "" {
		return fmt.Errorf("event %s has no kind", display.QuoteID(e.ID))
	}
	if c.tab != nil {
		c.codes = c.tab.Known(e.Kind, e.Actor, e.Currency)
		c.codes.ID = num
	}
	if c.codes.Kind == 0 {
		c.grows = true
		if err := identProblem(e.ID, "kind", e.Kind); err != nil {
			return err
		}
	}
	if c.codes.Actor == 0 {
		c.grows = c.grows || e.Actor != ""
		if err := identProblem(e.ID, "actor", e.Actor); err != nil {
			return err
		}
		if e.Actor == org.Everyone {
			return everyoneActor(e.ID)
		}
	}
	if c.codes.Currency == 0 && e.Currency != "" { // most events have none
		c.grows = true
		if err := identProblem(e.ID, "currency", e.Currency); err != nil {
			return err
		}
	}
	if e.Amount.Valid {
		if err := colstore.ExponentOutside(e.ID, "amount", e.Amount.Decimal); err != nil {
			return err
		}
	}
	if e.Time.IsZero() {
		return fmt.Errorf("event %s has no time", display.QuoteID(e.ID))
	}
	if !colstore.InsideYears(e.Time.Unix()) && !colstore.InYears(e.Time) { // the first inlined
		return colstore.TimeOutside(e.ID, "time", e.Time)
	}
	if err := colstore.TooManyAttrs(e.ID, len(e.Attrs)); err != nil {
		return err
	}
	if len(e.Attrs) > 0 && len(c.known) <= maxKnownNames {
		var found bool
		if c.attrs != nil {
			found = e.splitAttrs(c)
		} else {
			found = e.knownAttrs(c.known, c.vals)
		}
		if found {
			c.news = false
			return nil
		}
	}
	for name, v := range e.Attrs {
		if attrProblem(e.ID, name, v) != nil {
			// The map's order is random: the error is that of the first
			// bad attribute by name, the same from run to run.
			for _, name := range slices.Sorted(maps.Keys(e.Attrs)) {
				if err := attrProblem(e.ID, name, e.Attrs[name]); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// identProblem reports what makes v, the field name of the event id, not an
// identifier. It is small enough to be inlined: an empty v (no currency)
// costs no call.
func identProblem(id, name, v string) error {
	if v == "" {
		return nil
	}
	if bad := display.IDProblem(v); bad != "" {
		return identError(id, name, v, bad)
	}
	return nil
}

// everyoneActor is the error of an event of the id whose actor is
// org.Everyone: every result has the whole company's row under that id, so
// that no evaluation of a table holding the event could tell the two apart.
func everyoneActor(id string) error {
	return identError(id, "actor", org.Everyone, "is the whole company's row in reports, not an actor")
}

func identError(id, name, v, bad string) error {
	return fmt.Errorf("event %s: %s %s %s", display.QuoteID(id), name, display.QuoteID(v), bad)
}

// attrProblem reports what makes an attribute of the event id unusable: no
// name, a name that is not an identifier, or a value of a type attributes
// do not take.
func attrProblem(id, name string, v any) error {
	if name == "" {
		return fmt.Errorf("event %s has an attribute without a name", display.QuoteID(id))
	}
	if bad := display.IDProblem(name); bad != "" {
		return fmt.Errorf("event %s: attribute name %s %s", display.QuoteID(id), display.QuoteID(name), bad)
	}
	if d, ok := v.(decimal.Decimal); ok {
		return colstore.ExponentOutside(id, "attribute "+display.QuoteID(name)+":", d)
	}
	if !attrValue(v) {
		return fmt.Errorf("event %s: attribute %s: unsupported value of type %T (want string, int64, decimal.Decimal, bool or time.Time)", display.QuoteID(id), display.QuoteID(name), v)
	}
	return nil
}

// splitAttrs is knownAttrs that also sorts the values for the table:
// the code of a value the table's cache of values holds (the very value
// it coded before, so of a type attributes take) goes to c.attrs, any
// other value to c.vals at its name's index, nil at the others (c.missed
// is then set; c.vals is cleared at the first).
func (e *Event) splitAttrs(c *eventCheck) bool {
	n := 0
	for i, name := range c.known {
		v, ok := e.Attrs[name]
		if !ok {
			continue
		}
		n++
		if code := c.tab.CachedCode(i, v); code != 0 {
			c.attrs = append(c.attrs, colstore.AttrCode{Attr: i, Code: code})
			continue
		}
		if !attrValue(v) {
			return false
		}
		if !c.missed {
			clear(c.vals) // values of an event before
			c.missed, c.grows = true, true
		}
		c.vals[i] = v
	}
	return n == len(e.Attrs)
}

// knownAttrs reports whether every attribute of e has one of the names
// known and a value of a type attributes take, setting vals[i] (when vals
// is not nil) to the value of known[i], nil where e has none.
func (e *Event) knownAttrs(known []string, vals []any) bool {
	n := 0
	for i, name := range known {
		v, ok := e.Attrs[name]
		if vals != nil {
			vals[i] = v
		}
		if !ok {
			continue
		}
		if !attrValue(v) {
			return false
		}
		n++
	}
	return n == len(e.Attrs)
}

// attrValue reports whether v is of a type attributes take (a decimal
// within MaxExponent).
func attrValue(v any) bool {
	switch v := v.(type) {
	case string, int64, int, int32, bool, time.Time:
		return true
	case decimal.Decimal:
		x := v.Exponent()
		return x >= -colstore.MaxExponent && x <= colstore.MaxExponent
	}
	return false
}
