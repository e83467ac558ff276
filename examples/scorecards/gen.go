package main

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// gen makes events with a fixed seed: the same events on every run.
type gen struct {
	rnd    *rand.Rand
	cal    *period.Calendar
	events []kpi.Event
}

func newGen(cal *period.Calendar, seed uint64) *gen {
	return &gen{rnd: rand.New(rand.NewPCG(seed, seed^0x5eed)), cal: cal}
}

// workdays returns the working days of [from, to).
func (g *gen) workdays(from, to date.Date) []date.Date {
	var ds []date.Date
	for d := from; d < to; d++ {
		if g.cal.WorkCalendar().IsWorkday(d) {
			ds = append(ds, d)
		}
	}
	return ds
}

// at is an instant on day d between 09:00 and 19:00 local time.
func (g *gen) at(d date.Date) time.Time {
	return g.cal.Midnight(d).Add(9*time.Hour + time.Duration(g.rnd.IntN(600))*time.Minute)
}

// chance is true with probability num/den.
func (g *gen) chance(num, den int) bool { return g.rnd.IntN(den) < num }

func (g *gen) add(kind, actor string, t time.Time, amount string, attrs map[string]any) {
	e := kpi.Event{ID: fmt.Sprintf("e%06d", len(g.events)+1), Kind: kind, Time: t, Actor: actor, Attrs: attrs}
	if amount != "" {
		e.Amount = decimal.NewNullDecimal(decimal.RequireFromString(amount))
		e.Currency = "RUB"
	}
	g.events = append(g.events, e)
}

// around draws a whole number within ±pct % of x.
func (g *gen) around(x, pct int) int {
	d := x * pct / 100
	if d == 0 {
		return x
	}
	return x - d + g.rnd.IntN(2*d+1)
}

// spread returns k instants on random working days of [from, to).
func (g *gen) spread(k int, from, to date.Date) []time.Time {
	days := g.workdays(from, to)
	ts := make([]time.Time, k)
	for i := range ts {
		ts[i] = g.at(days[g.rnd.IntN(len(days))])
	}
	return ts
}

// split splits total into k amounts of whole hundreds, each within ±40 %
// of the mean, that add up to total (rounded to hundreds).
func (g *gen) split(total, k int) []int {
	out := make([]int, k)
	left := total / 100
	for i := range k - 1 {
		mean := left / (k - i)
		out[i] = g.around(mean, 40) * 100
		left -= out[i] / 100
	}
	if k > 0 {
		out[k-1] = left * 100
	}
	return out
}
