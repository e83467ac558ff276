package goalkittest

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// Zones are the time zones Calendars draws from: zones with DST (and a
// half-hour one), a zone without, and UTC.
var Zones = []string{"Europe/Berlin", "America/New_York", "Europe/Moscow", "UTC", "Australia/Lord_Howe"}

// Calendars draws calendars: a zone of Zones, Monday or Sunday weeks and a
// fiscal year starting in any month.
func Calendars() *rapid.Generator[*period.Calendar] {
	return rapid.Custom(func(t *rapid.T) *period.Calendar {
		zone := rapid.SampledFrom(Zones).Draw(t, "zone")
		opts := []period.Option{period.WithFiscalStart(time.Month(rapid.IntRange(1, 12).Draw(t, "fiscal")))}
		if rapid.Bool().Draw(t, "sunday") {
			opts = append(opts, period.WithWeekStart(time.Sunday))
		}
		cal, err := period.LoadCalendar(zone, opts...)
		if err != nil {
			t.Fatalf("load calendar %s: %v", zone, err)
		}
		return cal
	})
}

// Grains are the grains Periods draws from.
var Grains = []string{"day", "week", "month", "quarter", "year"}

// Periods draws periods of cal: of a grain of Grains, starting in [from, to).
func Periods(cal *period.Calendar, from, to date.Date) *rapid.Generator[period.Period] {
	return rapid.Custom(func(t *rapid.T) period.Period {
		g, err := period.ParseGrain(rapid.SampledFrom(Grains).Draw(t, "grain"))
		if err != nil {
			t.Fatal(err)
		}
		ps, err := cal.Periods(g, from, to)
		if err != nil || len(ps) == 0 {
			t.Skipf("no %s starts in [%s, %s)", g, from, to)
		}
		return rapid.SampledFrom(ps).Draw(t, "period")
	})
}

// nearOffsets are the distances from a boundary instants are drawn at:
// exactly on it, a nanosecond either side, sub-second instants that a
// store keeping milliseconds or microseconds would round, and further
// away.
var nearOffsets = []time.Duration{0, -time.Nanosecond, time.Nanosecond, time.Microsecond - time.Nanosecond, time.Microsecond,
	123456789 * time.Nanosecond, time.Second, -time.Second, time.Hour, -time.Hour,
	90 * time.Minute, 25 * time.Hour, -49 * time.Hour, 3 * 24 * time.Hour}

// Instants draws instants near the boundaries of periods in cal (their
// local midnights) and near the DST transitions of cal's zone in the years
// the periods touch, at the distances of a nanosecond to three days; and,
// one in eight, any whole second between the first and the last of those.
// They are in cal's location.
func Instants(cal *period.Calendar, periods []period.Period) *rapid.Generator[time.Time] {
	bounds := boundaries(cal, periods)
	return rapid.Custom(func(t *rapid.T) time.Time {
		if len(bounds) == 0 {
			t.Fatal("no periods to draw instants near")
		}
		if first, last := bounds[0], bounds[len(bounds)-1]; rapid.IntRange(0, 7).Draw(t, "anywhere?") == 0 {
			return first.Add(time.Duration(rapid.Int64Range(0, int64(last.Sub(first)/time.Second)).Draw(t, "second")) * time.Second)
		}
		b := rapid.SampledFrom(bounds).Draw(t, "near")
		return b.Add(rapid.SampledFrom(nearOffsets).Draw(t, "offset"))
	})
}

// boundaries returns the starts and ends of periods and the DST transitions
// of the years they touch, in order.
func boundaries(cal *period.Calendar, periods []period.Period) []time.Time {
	var out []time.Time
	years := map[int]bool{}
	for _, p := range periods {
		s, e := cal.Bounds(p)
		out = append(out, s, e)
		for y := s.Year(); y <= e.Year(); y++ {
			years[y] = true // a period over years touches those between
		}
	}
	loc := cal.Location()
	for y := range years {
		// an offset change between consecutive hours is a transition
		t := time.Date(y, 1, 1, 0, 0, 0, 0, loc)
		_, prev := t.Zone()
		for ; t.Year() == y; t = t.Add(time.Hour) {
			if _, off := t.Zone(); off != prev {
				out = append(out, transition(t.Add(-time.Hour), t))
				prev = off
			}
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return slices.CompactFunc(out, func(a, b time.Time) bool { return a.Equal(b) })
}

// transition returns the instant in (a, b] at which the offset of a's zone
// changes from a's: a transition need not fall on a whole hour of the hourly
// scan that found it (Lord Howe's clocks go forward at 02:00 of +10:30).
func transition(a, b time.Time) time.Time {
	_, from := a.Zone()
	for b.Sub(a) > time.Nanosecond {
		m := a.Add(b.Sub(a) / 2)
		if _, off := m.Zone(); off == from {
			a = m
		} else {
			b = m
		}
	}
	return b
}

// Shape says what events look like: their kinds, actors, amounts,
// currencies and attributes, the periods near whose boundaries they happen
// and the zones their instants are written in; and, for Stream, which
// versions arrive. ShapeOf derives one from a plan; Kinds, Actors and
// Periods must not be empty.
type Shape struct {
	Kinds []string
	// Actors are the users events are credited to; "" among them draws
	// events without an actor.
	Actors []string
	// Amounts are candidate amounts. Besides them, when MinAmount <
	// MaxAmount, amounts are drawn in [MinAmount, MaxAmount] with a number
	// of decimal places of Scales (default 2; trailing zeros kept, so 1.50
	// and 1.5 are both drawn). No amounts when Amounts is empty and the
	// range too.
	Amounts              []decimal.Decimal
	MinAmount, MaxAmount int64
	Scales               []int32
	// HugeAmounts draws half of the drawn amounts with a coefficient in
	// [2⁶¹, 2⁶²] (at the drawn scale): beyond what int64 minor units hold,
	// so that an exact fast path must fall back.
	HugeAmounts bool
	// Currencies are the currencies events carry, whether or not they
	// have an amount; "" among them draws events without one.
	Currencies []string
	// Attrs are candidate values of each attribute (string, bool, int64,
	// decimal.Decimal or time.Time; values of several types under one name
	// are drawn as they are). An event carries each attribute or not.
	Attrs map[string][]any
	// Periods are the periods whose boundaries instants cluster around
	// (Instants).
	Periods []period.Period
	// Zones are the locations instants are written in (the same instant,
	// another offset); default the calendar's.
	Zones []*time.Location
	// MaxIDs is the most distinct event ids in a stream (default 30).
	MaxIDs int
	// Redeliveries makes Stream send an earlier version of an id again
	// after later ones, as a webhook retried late does: it becomes the
	// current version.
	Redeliveries bool
	// Orphans makes Stream start some ids with a retraction: one that
	// arrives before the event it retracts, or one of an event never sent.
	Orphans bool
}

func (s *Shape) maxIDs() int {
	if s.MaxIDs > 0 {
		return s.MaxIDs
	}
	return 30
}

// event draws one event version with the given id, at an instant of inst.
func (s *Shape) event(t *rapid.T, inst *rapid.Generator[time.Time], id string) kpi.Event {
	e := kpi.Event{ID: id, Kind: rapid.SampledFrom(s.Kinds).Draw(t, "kind"), Time: inst.Draw(t, "time"),
		Actor: rapid.SampledFrom(s.Actors).Draw(t, "actor")}
	if len(s.Zones) > 0 {
		e.Time = e.Time.In(rapid.SampledFrom(s.Zones).Draw(t, "zone"))
	}
	if len(s.Amounts) > 0 || s.MinAmount < s.MaxAmount {
		if rapid.IntRange(0, 5).Draw(t, "amount?") > 0 {
			e.Amount = decimal.NewNullDecimal(s.amount(t))
		}
	}
	if len(s.Currencies) > 0 {
		e.Currency = rapid.SampledFrom(s.Currencies).Draw(t, "currency")
	}
	names := make([]string, 0, len(s.Attrs))
	for n := range s.Attrs {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if vs := s.Attrs[n]; len(vs) > 0 && rapid.IntRange(0, 4).Draw(t, n+"?") > 0 {
			if e.Attrs == nil {
				e.Attrs = map[string]any{}
			}
			e.Attrs[n] = rapid.SampledFrom(vs).Draw(t, n)
		}
	}
	return e
}

// amount draws an amount: a candidate, or one of the range.
func (s *Shape) amount(t *rapid.T) decimal.Decimal {
	if len(s.Amounts) > 0 && (s.MinAmount >= s.MaxAmount || rapid.Bool().Draw(t, "candidate")) {
		return rapid.SampledFrom(s.Amounts).Draw(t, "amount")
	}
	scale := int32(2)
	if len(s.Scales) > 0 {
		scale = max(rapid.SampledFrom(s.Scales).Draw(t, "scale"), 0)
	}
	if s.HugeAmounts && rapid.Bool().Draw(t, "huge") {
		return decimal.New(rapid.Int64Range(1<<61, 1<<62).Draw(t, "coefficient"), -scale)
	}
	return decimal.New(rapid.Int64Range(shift(s.MinAmount, scale), shift(s.MaxAmount, scale)).Draw(t, "coefficient"), -scale)
}

// shift returns v·10^scale, held at the ends of int64's range.
func shift(v int64, scale int32) int64 {
	for range scale {
		switch {
		case v > math.MaxInt64/10:
			return math.MaxInt64
		case v < math.MinInt64/10:
			return math.MinInt64
		}
		v *= 10
	}
	return v
}

// Events draws the final versions of a set of events of the shape: distinct
// ids, no retractions.
func Events(cal *period.Calendar, s Shape) *rapid.Generator[[]kpi.Event] {
	inst := Instants(cal, s.Periods)
	return rapid.Custom(func(t *rapid.T) []kpi.Event {
		n := rapid.IntRange(0, s.maxIDs()).Draw(t, "events")
		out := make([]kpi.Event, n)
		for i := range out {
			out[i] = s.event(t, inst, fmt.Sprintf("e%d", i+1))
		}
		return out
	})
}

// Stream draws a stream of event versions of the shape as a host receives
// them: events, corrections (a new version of an id, any field changed),
// retractions (Deleted), re-instatements and duplicates (and, as the shape
// says, late redeliveries and orphan retractions), the versions of
// different ids interleaved in any order, each id's in its own order.
func Stream(cal *period.Calendar, s Shape) *rapid.Generator[[]kpi.Event] {
	inst := Instants(cal, s.Periods)
	return rapid.Custom(func(t *rapid.T) []kpi.Event {
		n := rapid.IntRange(0, s.maxIDs()).Draw(t, "ids")
		perID := make([][]kpi.Event, n)
		for i := range perID {
			id := fmt.Sprintf("e%d", i+1)
			if s.Orphans && rapid.IntRange(0, 7).Draw(t, "orphan?") == 0 {
				perID[i] = []kpi.Event{{ID: id, Deleted: true}}
				if rapid.Bool().Draw(t, "never sent?") {
					continue
				}
			}
			perID[i] = append(perID[i], s.event(t, inst, id))
			for rapid.IntRange(0, 3).Draw(t, "more?") == 0 {
				vs := perID[i]
				last := vs[len(vs)-1]
				kinds := 2
				if s.Redeliveries && len(vs) > 1 {
					kinds = 3
				}
				switch rapid.IntRange(0, kinds).Draw(t, "version") {
				case 0:
					perID[i] = append(vs, s.event(t, inst, id)) // correction
				case 1:
					perID[i] = append(vs, kpi.Event{ID: id, Deleted: true}) // retraction
				case 2:
					perID[i] = append(vs, last.Clone()) // duplicate
				default:
					perID[i] = append(vs, vs[rapid.IntRange(0, len(vs)-2).Draw(t, "redelivered")].Clone()) // late redelivery
				}
			}
		}
		return interleave(t, perID)
	})
}

// interleave merges the versions of each id in an order drawn by t, keeping
// each id's versions in order.
func interleave(t *rapid.T, perID [][]kpi.Event) []kpi.Event {
	var out []kpi.Event
	for {
		var open []int
		for i, vs := range perID {
			if len(vs) > 0 {
				open = append(open, i)
			}
		}
		if len(open) == 0 {
			return out
		}
		i := open[rapid.IntRange(0, len(open)-1).Draw(t, "next")]
		out = append(out, perID[i][0])
		perID[i] = perID[i][1:]
	}
}

// Reorder draws another order of stream in which each id's versions keep
// their order: the order a host may receive the same versions in. The final
// events (Final) are the same.
func Reorder(stream []kpi.Event) *rapid.Generator[[]kpi.Event] {
	return rapid.Custom(func(t *rapid.T) []kpi.Event {
		if len(stream) < 2 {
			rapid.Bool().Draw(t, "trivial") // rapid wants every generator to draw
			return slices.Clone(stream)
		}
		idx := map[string]int{}
		var perID [][]kpi.Event
		for _, e := range stream {
			i, ok := idx[e.ID]
			if !ok {
				i = len(perID)
				idx[e.ID] = i
				perID = append(perID, nil)
			}
			perID[i] = append(perID[i], e)
		}
		return interleave(t, perID)
	})
}

// Final returns the events a stream leaves: the last version of each id,
// without the retracted ones, in the order of their first appearance.
func Final(stream []kpi.Event) []kpi.Event {
	last := map[string]kpi.Event{}
	var order []string
	for _, e := range stream {
		if _, ok := last[e.ID]; !ok {
			order = append(order, e.ID)
		}
		last[e.ID] = e
	}
	var out []kpi.Event
	for _, id := range order {
		if e := last[id]; !e.Deleted {
			out = append(out, e)
		}
	}
	return out
}
