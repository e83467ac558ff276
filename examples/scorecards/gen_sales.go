package main

import (
	"fmt"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// The sales managers and their form (100 = on plan) from December 2024 to
// March 2025.
var salesReps = []struct {
	id   string
	form [4]int
}{
	{"ivanov", [4]int{118, 122, 125, 121}},  // a star all along
	{"petrova", [4]int{85, 106, 109, 110}},  // three months at plan by March
	{"sidorov", [4]int{92, 96, 90, 94}},     // close, never quite there
	{"kuznetsova", [4]int{70, 84, 93, 113}}, // at plan for the first time
	{"smirnov", [4]int{60, 55, 62, 48}},     // under the revenue gate
}

var salesTeams = []org.Group{
	{ID: "moscow", Members: []string{"ivanov", "petrova", "sidorov"}},
	{ID: "spb", Members: []string{"kuznetsova", "smirnov"}},
}

// salesEvents generates December 2024 to March 2025: deals opened, deals
// won (most with new clients), meetings.
func salesEvents(cal *period.Calendar) []kpi.Event {
	g := newGen(cal, 1)
	months := []date.Date{date.New(2024, 12, 1), date.New(2025, 1, 1), date.New(2025, 2, 1), date.New(2025, 3, 1), date.New(2025, 4, 1)}
	for _, r := range salesReps {
		clients := 0
		for m := range 4 {
			form := r.form[m]
			from, to := months[m], months[m+1]
			deals := g.around(64*form/100, 8)
			won := g.around(deals*15*form/10000, 10)
			newClients := min(won, g.around(10*form/100, 10))
			for _, t := range g.spread(deals, from, to) {
				g.add("deal.created", r.id, t, "", nil)
			}
			amounts := g.split(g.around(500000*form/100, 5), won)
			for i, t := range g.spread(won, from, to) {
				attrs := map[string]any{}
				if i < newClients {
					clients++
					attrs["client"] = fmt.Sprintf("%s-c%03d", r.id, clients)
					attrs["new_client"] = true
				} else {
					attrs["client"] = fmt.Sprintf("%s-old%d", r.id, g.rnd.IntN(5))
				}
				g.add("deal.won", r.id, t, fmt.Sprint(amounts[i]), attrs)
			}
			for _, t := range g.spread(g.around(30*form/100, 8), from, to) {
				g.add("meeting", r.id, t, "", nil)
			}
		}
	}
	return g.events
}
