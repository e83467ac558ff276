package dashboard

import (
	"fmt"
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
// one, else the current one. A ?period= that names none of them is a
// *periodError: 404 for a label of another period, 400 for no label at
// all, either naming it, rather than a page of the current period under
// the address of another.
func (q *request) periodLinks(path string, ps []period.Period) ([]navLink, period.Period, error) {
	if len(ps) == 0 {
		return nil, period.Period{}, q.checkPeriod()
	}
	cal := q.h.data.Plan().Calendar()
	cur := q.currentPeriod(ps)
	want, asked := q.periodAsked()
	found := false
	var distinct []period.Period
	seen := map[period.Period]bool{}
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			distinct = append(distinct, p)
		}
		if asked && !found && cal.Label(p) == want {
			cur, found = p, true
		}
	}
	if asked && !found {
		return nil, period.Period{}, q.periodError(want, false)
	}
	sort.Slice(distinct, func(i, j int) bool { return distinct[i].Start < distinct[j].Start })
	links := make([]navLink, len(distinct))
	for i, p := range distinct {
		label := cal.Label(p)
		links[i] = navLink{Key: label, Text: label, Href: q.link(path, url.Values{"period": {label}}), Active: p == cur}
	}
	return links, cur, nil
}

// periodAsked is the request's ?period=, and whether it has one (given
// empty, it asks for a period too: one whose label is empty, which none
// is).
func (q *request) periodAsked() (string, bool) {
	vs, ok := q.r.URL.Query()["period"]
	if !ok || len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

// checkPeriod refuses a ?period= that is no period label at all on a page
// that has no period to choose (one that is a label shows the page, which
// says nothing of any period).
func (q *request) checkPeriod() error {
	want, asked := q.periodAsked()
	if !asked {
		return nil
	}
	if _, err := q.h.data.Plan().Calendar().ParseLabel(want); err != nil {
		return q.periodError(want, true)
	}
	return nil
}

// periodError is the refusal of ?period= want: malformed when it is no
// period label of the plan's calendar (400), else a period the page does
// not have (404).
func (q *request) periodError(want string, malformed bool) error {
	if !malformed {
		_, err := q.h.data.Plan().Calendar().ParseLabel(want)
		malformed = err != nil
	}
	return &periodError{param: "period", label: want, malformed: malformed, unknown: "period.unknown", bad: "period.malformed"}
}

// A periodError makes a page answer 400 (malformed) or 404 with a message
// that names the value asked: the words of the key bad or unknown, with
// the value for their %q.
type periodError struct {
	param, label string
	malformed    bool
	unknown, bad string
}

func (e *periodError) Error() string {
	if e.malformed {
		return fmt.Sprintf("%s %q: malformed", e.param, e.label)
	}
	return fmt.Sprintf("%s %q: not on this page", e.param, e.label)
}
