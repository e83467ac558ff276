package dashboard

import (
	"net/url"
	"sort"

	"github.com/goalkit/goalkit/period"
)

// currentPeriod is the period that holds the as-of date, else the latest
// one that started before it, else the first.
func (q *request) currentPeriod(ps []period.Period) period.Period {
	today := q.h.data.Plan().Calendar().Date(q.asOf)
	var cur period.Period
	started := false
	for _, p := range ps {
		if p.Contains(today) {
			return p
		}
		// The first period to start before today counts even when one
		// given before it starts later.
		if p.Start <= today && (!started || p.Start > cur.Start) {
			cur, started = p, true
		}
	}
	if !started {
		return ps[0]
	}
	return cur
}

// periodLinks returns links to the page for each of the distinct periods
// of ps, in order, and the period chosen: ?period= (a label) when it names
// one, else the current one.
func (q *request) periodLinks(path string, ps []period.Period) ([]navLink, period.Period) {
	if len(ps) == 0 {
		return nil, period.Period{}
	}
	cal := q.h.data.Plan().Calendar()
	cur := q.currentPeriod(ps)
	want := q.r.URL.Query().Get("period")
	var distinct []period.Period
	seen := map[period.Period]bool{}
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			distinct = append(distinct, p)
		}
		if want != "" && cal.Label(p) == want {
			cur = p
		}
	}
	sort.Slice(distinct, func(i, j int) bool { return distinct[i].Start < distinct[j].Start })
	links := make([]navLink, len(distinct))
	for i, p := range distinct {
		label := cal.Label(p)
		links[i] = navLink{Key: label, Text: label, Href: q.link(path, url.Values{"period": {label}}), Active: p == cur}
	}
	return links, cur
}
