package kpi

import (
	"errors"
	"fmt"
	"time"

	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// Request says what an evaluation computes.
type Request struct {
	// Calendar maps event instants to local dates. Required.
	Calendar *period.Calendar
	// Periods are the periods to report: sorted and not overlapping.
	Periods []period.Period
	// AsOf, when set, leaves out events that happen after it.
	AsOf time.Time
	// KnownAt, when set, counts only the event versions known at that
	// instant: what a report said then.
	KnownAt time.Time
	// Participants are reported even when they have no events (a directory's
	// users, say). Every actor with an event in the evaluated range is
	// reported anyway.
	Participants []string
	// Groups are teams whose members' events count together. A group's
	// values are computed from the members' events, never from their values:
	// a group's conversion is Σwon / Σcreated.
	Groups []Group
	// Rates converts amounts into the currency of money indicators.
	Rates Rates
	// BudgetRates serve indicators whose rate policy is "budget".
	BudgetRates Rates
	// Workers is how many goroutines scan; 0 means GOMAXPROCS.
	Workers int
}

// Group is a named set of participants evaluated together.
type Group struct {
	ID      string   `json:"id"`
	Members []string `json:"members"`
}

// Everyone is the participant id of the row for all events together.
const Everyone = "*"

func (r *Request) validate() error {
	if r.Calendar == nil {
		return errors.New("request has no calendar")
	}
	if len(r.Periods) == 0 {
		return errors.New("request has no periods")
	}
	for i, p := range r.Periods {
		if p.End <= p.Start {
			return fmt.Errorf("period %d (%s) is empty", i, r.Calendar.Label(p))
		}
		if i > 0 && p.Start < r.Periods[i-1].End {
			return fmt.Errorf("periods %s and %s overlap or are not sorted", r.Calendar.Label(r.Periods[i-1]), r.Calendar.Label(p))
		}
	}
	for _, g := range r.Groups {
		if g.ID == "" || g.ID == Everyone {
			return fmt.Errorf("group id %q is not allowed", g.ID)
		}
	}
	return nil
}

// Unpriced is an event whose amount could not be converted into an
// indicator's currency: it is counted by counts but not by sums.
type Unpriced struct {
	Indicator string `json:"indicator"`
	Event     string `json:"event"`
	Currency  string `json:"currency"`
	Amount    string `json:"amount"`
	Date      string `json:"date"`
}

// Warning is a value the engine refused to make up, with the reason.
type Warning struct {
	Indicator   string `json:"indicator"`
	Participant string `json:"participant"`
	Period      string `json:"period"`
	Msg         string `json:"message"`
}

// Row is one value of a result.
type Row struct {
	Indicator   string
	Participant string
	Period      period.Period
	Value       decimal.NullDecimal
}
