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

// dueDigest returns the occurrence of the schedule that is due at asOf in
// loc: the latest one at or before asOf, if it is less than lateness ago,
// and its date, the recipient's local date the schedule names. The date
// is not always the occurrence's own: a time late in the evening that a
// jump skips is moved forward by the jump, past midnight (Nuuk, 23:30 on
// 29 March 2025 is 00:30 on the 30th), and stays the digest of its day.
// A day that a zone skipped whole (Samoa, 30 December 2011) has none,
// and the day before's is still due in the hours after the jump, as any
// late digest is.
func dueDigest(s *Schedule, weekly bool, asOf time.Time, loc *time.Location) (time.Time, string, bool) {
	local := asOf.In(loc)
	y, m, d := local.Date()
	step := 1
	if weekly {
		step = 7
		d -= (int(local.Weekday()) - int(s.Weekday) + 7) % 7
	}
	// The occurrence of the day's schedule may be later than asOf, and
	// so may that of the day before when its time was moved forward into
	// asOf's day: the one due is the first at or before asOf, going back
	// a step at a time. A day the zone skipped has none, and the time
	// read on it is another day's (Samoa's 30 December 2011 read at 09:00
	// is 29 December's 09:00): the step before is looked at instead.
	for range 4 {
		day := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
		at := wallClock(y, m, d, s.Hour, s.Minute, loc)
		if at.After(asOf) || !existsIn(day, loc) {
			d -= step
			continue
		}
		if asOf.Sub(at) >= lateness {
			return time.Time{}, "", false
		}
		return at, day.Format(time.DateOnly), true
	}
	return time.Time{}, "", false
}

// existsIn reports whether the date of day (noon UTC) is a day of loc's
// calendar: a zone that moved across the date line skipped one.
func existsIn(day time.Time, loc *time.Location) bool {
	y, m, d := day.Date()
	for _, h := range []int{0, 12, 23} {
		if ty, tm, td := time.Date(y, m, d, h, 0, 0, 0, loc).Date(); ty == y && tm == m && td == d {
			return true
		}
	}
	return false
}

// wallClock returns the instant at which a clock in loc reads hour:minute
// on the date y-m-d. A time that a daylight-saving jump skips is moved
// forward by the jump: 00:00 on a day whose midnight is skipped (Havana, 9
// March 2025) is the day's first instant, 01:00, where time.Date may give
// 23:00 the day before, and 23:30 on a day whose last hour is skipped
// (Nuuk, 29 March 2025) is 00:30 the next day. A time that occurs twice is
// either occurrence.
func wallClock(y int, m time.Month, d, hour, minute int, loc *time.Location) time.Time {
	t := time.Date(y, m, d, hour, minute, 0, 0, loc)
	if h, mi, _ := t.Clock(); h == hour && mi == minute {
		return t
	}
	// In a gap, time.Date read the wall time with one of the offsets on
	// either side of the jump; reading it with the offset in force before
	// the jump, the smaller, gives the later instant.
	wall := time.Date(y, m, d, hour, minute, 0, 0, time.UTC).Unix()
	_, off := t.Zone()
	if u := wall - int64(off); u > t.Unix() {
		return time.Unix(u, 0).In(loc)
	}
	return t
}

// digestRows returns the running goal instances of the report (already
// cut to what the viewer may see), in the report's order, each participant
// named by name, and the report's row of each.
func digestRows(plan *goalkit.Plan, rep *goalkit.Report, name func(id string, kind goal.ParticipantKind) string) ([]DigestRow, []*goal.Row) {
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
		goalName, currency := goalInfo(plan, r.Goal)
		if r.Name != "" {
			goalName = r.Name
		}
		out = append(out, DigestRow{Goal: r.Goal, Name: goalName, Participant: name(r.Participant, r.Kind), ParticipantKind: string(r.Kind),
			Period: r.Label, Currency: currency, Actual: r.Actual, Target: r.Target,
			Achievement: r.Achievement.Uncapped, Status: string(r.Status)})
		src = append(src, r)
	}
	return out, src
}
