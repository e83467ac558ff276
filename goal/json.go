package goal

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/internal/isodate"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Numbers are written as JSON strings holding the exact decimal ("12.5"), or
// null when undefined (decimalx.Text), never through float64 and whatever
// decimal's package settings.

func numOf(d decimal.Decimal) *string {
	s := d.String()
	return &s
}

func instant(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

type rowJSON struct {
	Goal              string          `json:"goal"`
	Name              string          `json:"name,omitempty"`
	Participant       string          `json:"participant"`
	Kind              ParticipantKind `json:"participant_kind"`
	Members           []string        `json:"members,omitempty"`
	Period            string          `json:"period"`
	PeriodStart       date.Date       `json:"period_start"`
	PeriodEnd         date.Date       `json:"period_end"`
	State             State           `json:"state"`
	Status            Status          `json:"status"`
	Direction         score.Direction `json:"direction"`
	Measure           Measure         `json:"measure"`
	Target            *string         `json:"target"`
	Actual            *string         `json:"actual"`
	Achievement       *string         `json:"achievement"`
	AchievementCapped *string         `json:"achievement_capped"`
	Remaining         *string         `json:"remaining"`
	Elapsed           *string         `json:"elapsed"`
	TimeLeftSeconds   int64           `json:"time_left_seconds"`
	DaysLeft          int             `json:"days_left"`
	WorkdaysLeft      int             `json:"workdays_left"`
	Expected          *string         `json:"expected"`
	Pace              PaceMethod      `json:"pace"`
	Forecast          *string         `json:"forecast"`
	ForecastMethod    ForecastMethod  `json:"forecast_method"`
	Probability       *string         `json:"probability,omitempty"`
	ForecastP10       *string         `json:"forecast_p10,omitempty"`
	ForecastP50       *string         `json:"forecast_p50,omitempty"`
	ForecastP90       *string         `json:"forecast_p90,omitempty"`
	Milestones        []string        `json:"milestones"`
	Previous          *string         `json:"previous"`
	DeltaPrevious     *string         `json:"delta_previous"`
	YearAgo           *string         `json:"year_ago"`
	DeltaYearAgo      *string         `json:"delta_year_ago"`
	Rank              *int            `json:"rank"`
	Items             []itemJSON      `json:"items,omitempty"`
	Series            []pointJSON     `json:"series,omitempty"`
	ClosedAt          string          `json:"closed_at,omitempty"`
	AchievedAt        string          `json:"achieved_at,omitempty"`
}

type itemJSON struct {
	ID     string  `json:"id"`
	Name   string  `json:"name,omitempty"`
	Weight *string `json:"weight"`
	Manual bool    `json:"manual,omitempty"`
	Count  int64   `json:"count"`
	Done   bool    `json:"done"`
}

type pointJSON struct {
	Date   date.Date `json:"date"`
	Actual *string   `json:"actual"`
	Plan   *string   `json:"plan"`
}

// MarshalJSON writes the row as a `goals` row of the report.
func (r Row) MarshalJSON() ([]byte, error) {
	j := rowJSON{
		Goal: r.Goal, Name: r.Name, Participant: r.Participant, Kind: r.Kind, Members: r.Members,
		Period: r.Label, PeriodStart: r.Period.Start, PeriodEnd: r.Period.End,
		State: r.State, Status: r.Status, Direction: r.Direction, Measure: r.Measure,
		Target: decimalx.Text(r.Target), Actual: decimalx.Text(r.Actual), Achievement: decimalx.Text(r.Achievement.Uncapped),
		AchievementCapped: decimalx.Text(r.Achievement.Capped), Remaining: decimalx.Text(r.Remaining), Elapsed: numOf(r.Elapsed),
		TimeLeftSeconds: int64(r.TimeLeft / time.Second), DaysLeft: r.DaysLeft, WorkdaysLeft: r.WorkdaysLeft,
		Expected: decimalx.Text(r.Expected), Pace: r.Pace, Forecast: decimalx.Text(r.Forecast), ForecastMethod: r.ForecastMethod,
		Milestones: r.Milestones, Previous: decimalx.Text(r.Previous), DeltaPrevious: decimalx.Text(r.DeltaPrevious),
		YearAgo: decimalx.Text(r.YearAgo), DeltaYearAgo: decimalx.Text(r.DeltaYearAgo),
		Probability: decimalx.Text(r.Chance.Reach), ForecastP10: decimalx.Text(r.Chance.P10), ForecastP50: decimalx.Text(r.Chance.P50), ForecastP90: decimalx.Text(r.Chance.P90),
	}
	if j.Milestones == nil {
		j.Milestones = []string{}
	}
	if r.Rank > 0 {
		rk := r.Rank
		j.Rank = &rk
	}
	for _, it := range r.Items {
		j.Items = append(j.Items, itemJSON{ID: it.ID, Name: it.Name, Weight: numOf(it.Weight), Manual: it.Manual, Count: it.Count, Done: it.Done})
	}
	for _, p := range r.Series {
		j.Series = append(j.Series, pointJSON{Date: p.Date, Actual: decimalx.Text(p.Actual), Plan: decimalx.Text(p.Plan)})
	}
	if !r.ClosedAt.IsZero() {
		j.ClosedAt = instant(r.ClosedAt)
	}
	if !r.AchievedAt.IsZero() {
		j.AchievedAt = instant(r.AchievedAt)
	}
	return json.Marshal(j)
}

type notificationJSON struct {
	Key         string     `json:"key"`
	Kind        NotifyKind `json:"kind"`
	Goal        string     `json:"goal"`
	Participant string     `json:"participant"`
	Period      string     `json:"period"`
	PeriodStart date.Date  `json:"period_start"`
	PeriodEnd   date.Date  `json:"period_end"`
	At          string     `json:"at"`
	Status      Status     `json:"status"`
	Milestone   string     `json:"milestone,omitempty"`
	Actual      *string    `json:"actual"`
	Target      *string    `json:"target"`
	Forecast    *string    `json:"forecast,omitempty"`
	Before      *string    `json:"before,omitempty"`
	DaysLeft    int        `json:"days_left"`
	Message     string     `json:"message"`
}

// MarshalJSON writes the notification as a `notifications` entry.
func (n Notification) MarshalJSON() ([]byte, error) {
	return json.Marshal(notificationJSON{
		Key: n.Key, Kind: n.Kind, Goal: n.Goal, Participant: n.Participant, Period: n.Period,
		PeriodStart: n.PeriodStart, PeriodEnd: n.PeriodEnd, At: instant(n.At), Status: n.Status,
		Milestone: n.Milestone, Actual: decimalx.Text(n.Actual), Target: decimalx.Text(n.Target), Forecast: decimalx.Text(n.Forecast),
		Before: decimalx.Text(n.Before), DaysLeft: n.DaysLeft, Message: n.Message,
	})
}

// UnmarshalJSON reads a notification as MarshalJSON writes it (a report's
// `notifications` entry, the tracker's ledger): numbers as exact decimals,
// the period as ISO dates, the instant in RFC 3339 (absent: zero). A field
// that cannot be read is an error naming the key (cut to 64 bytes, its
// control characters escaped) and the field, and quoting a number or an
// instant that cannot be read cut to 64 bytes; members it does not know
// are left alone, as the format grows by adding members.
func (n *Notification) UnmarshalJSON(data []byte) error {
	var j struct {
		notificationJSON
		PeriodStart string `json:"period_start"`
		PeriodEnd   string `json:"period_end"`
	}
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	if j.Key == "" {
		return errors.New("no key")
	}
	key := display.Text(display.Clip(j.Key, display.MaxQuoted))
	fail := func(field string, err error) error { return fmt.Errorf("%s: %s: %w", key, field, err) }
	out := Notification{Key: j.Key, Kind: j.Kind, Goal: j.Goal, Participant: j.Participant, Period: j.Period,
		Status: j.Status, Milestone: j.Milestone, DaysLeft: j.DaysLeft, Message: j.Message}
	var err error
	if out.PeriodStart, err = isodate.Parse(j.PeriodStart); err != nil {
		return fail("period_start", err)
	}
	if out.PeriodEnd, err = isodate.Parse(j.PeriodEnd); err != nil {
		return fail("period_end", err)
	}
	if j.At != "" {
		if out.At, err = time.Parse(time.RFC3339Nano, j.At); err != nil {
			return fail("at", fmt.Errorf("want an RFC 3339 instant, got %s", display.QuoteID(j.At)))
		}
	}
	for _, f := range []struct {
		name string
		s    *string
		d    *decimal.NullDecimal
	}{{"actual", j.Actual, &out.Actual}, {"target", j.Target, &out.Target}, {"forecast", j.Forecast, &out.Forecast}, {"before", j.Before, &out.Before}} {
		if f.s == nil {
			continue
		}
		d, err := decimal.NewFromString(*f.s)
		if err != nil || strings.ContainsAny(*f.s, "eE") {
			return fail(f.name, fmt.Errorf("want a decimal, got %s", display.QuoteID(*f.s)))
		}
		*f.d = decimal.NewNullDecimal(d)
	}
	*n = out
	return nil
}

type outcomeJSON struct {
	Target      *string `json:"target"`
	Actual      *string `json:"actual"`
	Achievement *string `json:"achievement"`
	Status      Status  `json:"status"`
}

func (o Outcome) json() outcomeJSON {
	return outcomeJSON{Target: decimalx.Text(o.Target), Actual: decimalx.Text(o.Actual), Achievement: decimalx.Text(o.Achievement), Status: o.Status}
}

type correctionJSON struct {
	Goal        string      `json:"goal"`
	Participant string      `json:"participant"`
	Period      string      `json:"period"`
	PeriodStart date.Date   `json:"period_start"`
	PeriodEnd   date.Date   `json:"period_end"`
	Policy      Policy      `json:"policy"`
	ClosedAt    string      `json:"closed_at"`
	Applied     bool        `json:"applied"`
	Before      outcomeJSON `json:"before"`
	After       outcomeJSON `json:"after"`
}

// MarshalJSON writes the correction as a `corrections` entry.
func (c Correction) MarshalJSON() ([]byte, error) {
	return json.Marshal(correctionJSON{
		Goal: c.Goal, Participant: c.Participant, Period: c.Period, PeriodStart: c.PeriodStart, PeriodEnd: c.PeriodEnd,
		Policy: c.Policy, ClosedAt: instant(c.ClosedAt), Applied: c.Applied, Before: c.Before.json(), After: c.After.json(),
	})
}

type recordJSON struct {
	Goal        string          `json:"goal"`
	Participant string          `json:"participant"`
	Kind        ParticipantKind `json:"participant_kind"`
	PeriodStart date.Date       `json:"period_start"`
	PeriodEnd   date.Date       `json:"period_end"`
	ClosedAt    string          `json:"closed_at"`
	Target      *string         `json:"target"`
	Actual      *string         `json:"actual"`
	Achievement *string         `json:"achievement"`
	Status      Status          `json:"status"`
	NextTarget  *string         `json:"next_target"`
}

// MarshalJSON writes the record in the record format. Reading it back with
// json.Unmarshal gives the same record; numbers are read exactly from
// strings or JSON numbers.
func (r Record) MarshalJSON() ([]byte, error) {
	return json.Marshal(recordJSON{
		Goal: r.Goal, Participant: r.Participant, Kind: r.Kind, PeriodStart: r.PeriodStart, PeriodEnd: r.PeriodEnd,
		ClosedAt: instant(r.ClosedAt), Target: decimalx.Text(r.Target), Actual: decimalx.Text(r.Actual), Achievement: decimalx.Text(r.Achievement),
		Status: r.Status, NextTarget: decimalx.Text(r.NextTarget),
	})
}
