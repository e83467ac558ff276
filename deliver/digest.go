package deliver

import (
	"net/url"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/shopspring/decimal"
)

// The kinds of the scheduled digests.
const (
	KindDailyDigest  = "digest_daily"
	KindWeeklyDigest = "digest_weekly"
)

// Digest is the content of a scheduled digest: the goals a recipient may
// see, as of the digest's time.
type Digest struct {
	// Kind is digest_daily or digest_weekly; Date the recipient's local
	// date of the digest.
	Kind string      `json:"kind"`
	Date string      `json:"date"`
	Rows []DigestRow `json:"rows"`
}

// DigestRow is one goal instance of a digest: a running goal for one
// participant.
type DigestRow struct {
	Goal            string              `json:"goal"`
	Name            string              `json:"name"`
	Participant     string              `json:"participant"`
	ParticipantKind string              `json:"participant_kind"`
	Period          string              `json:"period"`
	Currency        string              `json:"currency,omitempty"`
	Actual          decimal.NullDecimal `json:"actual"`
	Target          decimal.NullDecimal `json:"target"`
	Achievement     decimal.NullDecimal `json:"achievement"`
	Status          string              `json:"status"`
	// StatusText is the status in the recipient's language, for the
	// templates.
	StatusText string `json:"-"`
	// Chart is the row's burn-up in an email's HTML part; nil for the
	// other rows and channels (see MaxDigestCharts).
	Chart *Chart `json:"-"`
}

// DigestKey is the idempotency key of a recipient's digest: its kind, the
// user and the local date it is for.
func DigestKey(kind, user, date string) string {
	return kind + "/" + url.PathEscape(user) + "/" + date
}

// lateness is how late a digest may still be sent: a dispatcher that was
// not running at a digest's time sends it at its first tick within this
// long, and skips it after.
const lateness = 24 * time.Hour

// dueDigest returns the local time of the occurrence of the schedule that
// is due at asOf in loc: the latest one at or before asOf, if it is less
// than lateness ago.
func dueDigest(s *Schedule, weekly bool, asOf time.Time, loc *time.Location) (time.Time, bool) {
	local := asOf.In(loc)
	y, m, d := local.Date()
	at := time.Date(y, m, d, s.Hour, s.Minute, 0, 0, loc)
	if weekly {
		back := (int(local.Weekday()) - int(s.Weekday) + 7) % 7
		at = time.Date(y, m, d-back, s.Hour, s.Minute, 0, 0, loc)
		if at.After(asOf) {
			at = time.Date(y, m, d-back-7, s.Hour, s.Minute, 0, 0, loc)
		}
	} else if at.After(asOf) {
		at = time.Date(y, m, d-1, s.Hour, s.Minute, 0, 0, loc)
	}
	if asOf.Sub(at) >= lateness {
		return time.Time{}, false
	}
	return at, true
}

// digestRows returns the running goal instances of the report (already
// cut to what the viewer may see), in the report's order, and the report's
// row of each.
func digestRows(plan *goalkit.Plan, rep *goalkit.Report, names map[string]string) ([]DigestRow, []*goal.Row) {
	if rep == nil || rep.Goals == nil {
		return nil, nil
	}
	var out []DigestRow
	var src []*goal.Row
	for i := range rep.Goals.Rows {
		r := rep.Goals.Rows[i]
		if !r.Started || r.Ended || r.State != goal.StateActive {
			continue
		}
		name, currency := goalInfo(plan, r.Goal)
		if r.Name != "" {
			name = r.Name
		}
		who := r.Participant
		if n, ok := names[who]; ok {
			who = n
		}
		out = append(out, DigestRow{Goal: r.Goal, Name: name, Participant: who, ParticipantKind: string(r.Kind),
			Period: r.Label, Currency: currency, Actual: r.Actual, Target: r.Target,
			Achievement: r.Achievement.Uncapped, Status: string(r.Status)})
		src = append(src, r)
	}
	return out, src
}

// digestDate is the Date of a digest whose occurrence is at.
func digestDate(at time.Time) string { return at.Format(time.DateOnly) }
