package kpi

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// Request says what an evaluation computes.
type Request struct {
	// Calendar maps event instants to local dates. Required.
	Calendar *period.Calendar
	// Periods are the periods to report: sorted and not overlapping. Where
	// the formulas read prev(), the periods evaluated before them (and, for
	// a running formula, each grain's from the first that starts in the
	// report) must not overlap them either.
	Periods []period.Period
	// AsOf, when set, leaves out events that happen after it.
	AsOf time.Time
	// KnownAt, when set, counts only the current event versions that were
	// known at that instant. A version replaced after it is not brought
	// back, since a source holds current versions only; Tracker.AsKnownAt,
	// which keeps every version, replays exactly what a report said then.
	KnownAt time.Time
	// Participants are reported even when they have no events (a directory's
	// users, say). Every actor with an event in the evaluated range is
	// reported anyway. None is empty or org.Everyone, whose row every
	// result has.
	Participants []string
	// Groups are teams whose members' events count together. A group's
	// values are computed from the members' events, never from their values:
	// a group's conversion is Σwon / Σcreated. A group whose id is also
	// the id of an actor with a row (an actor seen or a participant) has
	// no row: the row is the actor's, and a Warning names the group. No
	// member is empty (an event without an actor counts in the whole
	// company's row alone) or org.Everyone.
	Groups []org.Group
	// Rates converts amounts into the currency of money indicators.
	Rates Rates
	// BudgetRates serve indicators whose rate policy is "budget".
	BudgetRates Rates
	// Workers is how many goroutines scan; 0 means GOMAXPROCS.
	Workers int
}

// validateFor validates the request for an evaluation over tab, whose
// events must be dated in the calendar's zone.
func (r *Request) validateFor(tab *Table) error {
	if err := r.validate(); err != nil {
		return err
	}
	if at, differ := zoneDiff(tab.Location(), r.Calendar.Location()); differ {
		return fmt.Errorf("the table dates events in %s, the calendar in %s", zoneText(tab.Location(), at), zoneText(r.Calendar.Location(), at))
	}
	return nil
}

func (r *Request) validate() error {
	if r.Calendar == nil {
		return errors.New("request has no calendar")
	}
	if len(r.Periods) == 0 {
		return errors.New("request has no periods")
	}
	for i, p := range r.Periods {
		if p.End <= p.Start {
			return fmt.Errorf("period %d (%s) is empty", i, periodText(r.Calendar, p))
		}
		if i > 0 && p.Start < r.Periods[i-1].End {
			return fmt.Errorf("periods %d (%s) and %d (%s) overlap or are not sorted", i-1, periodText(r.Calendar, r.Periods[i-1]), i, periodText(r.Calendar, p))
		}
	}
	for i, p := range r.Participants {
		if err := participantProblem(i, p); err != nil {
			return err
		}
	}
	for gi, g := range r.Groups {
		if g.ID == "" || g.ID == org.Everyone {
			return fmt.Errorf("group id %q is not allowed", g.ID)
		}
		if first := slices.IndexFunc(r.Groups[:gi], func(o org.Group) bool { return o.ID == g.ID }); first >= 0 {
			return fmt.Errorf("groups: group %s is given twice (groups %d and %d)", display.QuoteID(g.ID), first, gi)
		}
		for i, m := range g.Members {
			if err := memberProblem(m); err != nil {
				return fmt.Errorf("group %s: members[%d] %w", clipID(g.ID), i, err)
			}
		}
		for i, sp := range g.Spans {
			if err := memberProblem(sp.Member); err != nil {
				return fmt.Errorf("group %s: spans[%d] %w", clipID(g.ID), i, err)
			}
			if sp.To != 0 && sp.To <= sp.From {
				return fmt.Errorf("group %s: membership of %s from %s to %s is empty", clipID(g.ID), clipID(sp.Member), sp.From, sp.To)
			}
			if slices.Contains(g.Members, sp.Member) {
				return fmt.Errorf("group %s: %s is both a member and a dated member", clipID(g.ID), clipID(sp.Member))
			}
			for _, o := range g.Spans[:i] {
				if o.Member == sp.Member && (o.To == 0 || sp.From < o.To) && (sp.To == 0 || o.From < sp.To) {
					return fmt.Errorf("group %s: memberships of %s overlap", clipID(g.ID), clipID(sp.Member))
				}
			}
		}
	}
	return nil
}

// clipID is a group's or a member's id as an error names it: cut to
// display.MaxQuoted bytes (an id of 100 KB made an error of 100 KB).
func clipID(id string) string { return display.Clip(id, display.MaxQuoted) }

// periodText names p in an error: by its label where the label is p's
// (2025-03), else by its dates (2025-03-10 to 2025-03-17), as a period of
// no grain, one cut short or an empty one has no label of its own.
func periodText(cal *period.Calendar, p period.Period) string {
	if l := cal.Label(p); l != "" {
		if q, err := cal.ParseLabel(l); err == nil && q == p {
			return l
		}
	}
	return p.Start.String() + " to " + p.End.String()
}

// participantProblem reports what makes p, the request's participant i,
// no participant: nothing, or the whole company's row (org.Everyone, in
// every result already), as a group's id may be neither.
func participantProblem(i int, p string) error {
	switch p {
	case "":
		return fmt.Errorf("participant %d of the request is empty", i)
	case org.Everyone:
		return fmt.Errorf("participant %q is the whole company's row, in every result: not a participant to name", p)
	}
	return nil
}

// memberProblem reports what makes m no member of a group: nothing, or an
// id no actor's events may count under (empty, the whole company's row). An
// event without an actor counts in the whole company's row alone.
func memberProblem(m string) error {
	switch m {
	case "":
		return errors.New("is empty: an event without an actor counts in the whole company's row alone")
	case org.Everyone:
		return fmt.Errorf("is %q, the whole company's row, not an actor", m)
	}
	return nil
}

// Unpriced is an event whose amount could not be converted into an
// indicator's currency: it is counted by counts but not by sums.
type Unpriced struct {
	Indicator string `json:"indicator"`
	// Event is the event's ID; Currency and Amount (a decimal string) its
	// own; Date its local date (YYYY-MM-DD).
	Event    string `json:"event"`
	Currency string `json:"currency"`
	Amount   string `json:"amount"`
	Date     string `json:"date"`
	// RateDate is the date whose rate is missing (YYYY-MM-DD) where it is
	// not Date: the period's last day under RatePeriodEnd. It is "" (and
	// left out of JSON) where the rate looked for is the event's own date's.
	RateDate string `json:"rate_date,omitempty"`
	// actor is who the event credits: a viewer sees the event only when
	// they may see its actor (Result.View).
	actor string
}

// Warning is a value the engine refused to make up, with the reason.
type Warning struct {
	// Indicator, Participant and Period (a label, 2025-03) say where;
	// Indicator and Period are "" for a warning of none (a group with no
	// row, whose id is an actor's).
	Indicator   string `json:"indicator"`
	Participant string `json:"participant"`
	Period      string `json:"period"`
	Msg         string `json:"message"`
}

// Row is one value of a result: an indicator's total for a participant in
// a period, or, for an indicator declared with By, one of its breakdown
// rows.
type Row struct {
	Indicator   string
	Participant string
	Period      period.Period
	// Value is exact; undefined (Valid false) where the indicator has no
	// value: an average of no events, a division by zero, amounts in
	// several currencies (see Warnings).
	Value decimal.NullDecimal
	// By, on a breakdown row, holds the values of the indicator's By
	// attributes, in their order: a string, int64, decimal.Decimal, bool or
	// time.Time, or nil for events without the attribute. It is nil on a
	// total and on an Other row, and never nil on another breakdown row.
	By []any
	// Other marks the breakdown row of every combination outside the
	// indicator's top (IndicatorDef.Top), computed from their events.
	Other bool
}
