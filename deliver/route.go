package deliver

import (
	"slices"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
)

// channelsOf returns the names of the channels that deliver to r: its
// channels when it lists them, else every email, Telegram and Bitrix24
// channel it has an address for.
func channelsOf(r *Recipient, chans []ChannelConfig) []string {
	if len(r.Channels) > 0 {
		return r.Channels
	}
	var out []string
	for _, c := range chans {
		if c.Type == TypeEmail && r.Email != "" || c.Type == TypeTelegram && r.Telegram != "" || c.Type == TypeBitrix24 && r.Bitrix24 != "" {
			out = append(out, c.Name)
		}
	}
	return out
}

// wants reports whether r takes messages of the kind.
func (r *Recipient) wants(kind string) bool {
	return len(r.Kinds) == 0 || slices.Contains(r.Kinds, kind)
}

// subjectOf returns the visibility subject of a notification: its goal's
// visibility and the kind of its participant, from the plan. A goal the plan
// no longer has gives false (only admins see it).
func subjectOf(plan *goalkit.Plan, n *goal.Notification) (goal.Subject, bool) {
	gs := plan.Goals()
	if gs == nil {
		return goal.Subject{}, false
	}
	g, ok := gs.Lookup(n.Goal)
	if !ok {
		return goal.Subject{}, false
	}
	def := g.Def()
	kind := goal.User
	switch {
	case n.Participant == org.Everyone:
		kind = goal.Company
	case def.Participants.Mode != goal.Each && slices.Contains(def.Participants.Teams, n.Participant):
		kind = goal.Team
	}
	return goal.Subject{Goal: n.Goal, Visibility: def.Visibility, Participant: n.Participant, Kind: kind}, true
}

// canSee reports whether the recipient may see the notification.
func canSee(pol goal.VisibilityPolicy, plan *goalkit.Plan, r *Recipient, n *goal.Notification) bool {
	v := goal.Viewer{User: r.User, Admin: r.Admin}
	s, ok := subjectOf(plan, n)
	if !ok {
		return v.Admin
	}
	return pol.CanSee(v, s)
}

// goalInfo returns a goal's name (its id when it has none) and the
// currency of its numbers ("" when they are not money).
func goalInfo(plan *goalkit.Plan, id string) (name, currency string) {
	name = id
	gs := plan.Goals()
	if gs == nil {
		return name, ""
	}
	g, ok := gs.Lookup(id)
	if !ok {
		return name, ""
	}
	def := g.Def()
	if def.Name != "" {
		name = def.Name
	}
	if ix, ok := plan.Indicators().Lookup(def.Indicator); ok && ix.Unit() == kpi.UnitMoney {
		currency = ix.Def.Currency
	}
	return name, currency
}

// localDate writes the date of t in loc.
func localDate(t time.Time, loc *time.Location) string { return t.In(loc).Format(time.DateOnly) }
