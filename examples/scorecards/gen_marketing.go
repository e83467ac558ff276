package main

import (
	"fmt"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// The marketers, their channel and their month: leads, ad spend, leads
// turned into deals and the revenue those deals brought.
var marketers = []struct {
	id, channel                     string
	leads, spend, converted, income int
}{
	{"orlova", "context", 240, 96000, 52, 480000},   // cheap, converting leads
	{"volkov", "social", 180, 125000, 27, 300000},   // expensive leads
	{"lebedeva", "seo", 205, 82000, 43, 310000},     // steady
	{"zaitsev", "partners", 150, 120000, 18, 90000}, // a bad month
}

// marketingEvents generates March 2025: daily ad spend, leads, conversions
// and attributed revenue.
func marketingEvents(cal *period.Calendar) []kpi.Event {
	g := newGen(cal, 2)
	from, to := date.New(2025, 3, 1), date.New(2025, 4, 1)
	for _, m := range marketers {
		attrs := map[string]any{"channel": m.channel}
		days := int(to - from)
		for i, amt := range g.split(g.around(m.spend, 3), days) {
			d := from + date.Date(i)
			g.add("ad.spend", m.id, cal.Midnight(d).Add(12*time.Hour), fmt.Sprint(amt), attrs)
		}
		for _, t := range g.spread(g.around(m.leads, 4), from, to) {
			g.add("lead.created", m.id, t, "", attrs)
		}
		for _, t := range g.spread(g.around(m.converted, 6), from, to) {
			g.add("lead.converted", m.id, t, "", attrs)
		}
		deals := max(1, m.income/60000)
		amounts := g.split(g.around(m.income, 5), deals)
		for i, t := range g.spread(deals, from, to) {
			g.add("campaign.revenue", m.id, t, fmt.Sprint(amounts[i]), attrs)
		}
	}
	return g.events
}
