package main

import (
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// The support agents and their month: tickets a working day, mean minutes
// to the first response, percent resolved and mean rating in tenths.
var agents = []struct {
	id                        string
	perDay, minutes, resolved int
	rating                    int
}{
	{"morozov", 56, 75, 97, 47},
	{"novikova", 48, 110, 95, 45},
	{"pavlov", 52, 150, 88, 42},
	{"fedorova", 45, 95, 96, 48},
	{"egorov", 50, 130, 80, 40}, // under the resolved gate
}

var supportTeams = []org.Group{
	{ID: "day_shift", Members: []string{"morozov", "novikova"}},
	{ID: "night_shift", Members: []string{"pavlov", "fedorova", "egorov"}},
}

// supportEvents generates March 2025: tickets (with the time of the first
// reply and whether they were resolved) and customer ratings.
func supportEvents(cal *period.Calendar) []kpi.Event {
	g := newGen(cal, 3)
	from, to := date.New(2025, 3, 1), date.New(2025, 4, 1)
	for _, a := range agents {
		for _, day := range g.workdays(from, to) {
			for _, t := range g.spread(g.around(a.perDay, 10), day, day+1) {
				wait := time.Duration(g.around(a.minutes, 60)) * time.Minute
				attrs := map[string]any{"first_reply": t.Add(wait), "resolved": g.chance(a.resolved, 100)}
				g.add("ticket.created", a.id, t, "", attrs)
				if g.chance(1, 4) {
					stars := min(5, max(1, g.around(a.rating, 25)/10+boolInt(g.chance(a.rating%10, 10))))
					g.add("ticket.rated", a.id, t.Add(wait+time.Hour), "", map[string]any{"rating": decimal.NewFromInt(int64(stars))})
				}
			}
		}
	}
	return g.events
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
