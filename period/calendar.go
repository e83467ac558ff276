package period

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/rickb777/date/v2"
)

// defaultAnchor is the anchor of custom grains and recurrences when
// [WithAnchor] is not given: Monday 3 January 2000, 730121 days after
// date.Zero.
const defaultAnchor date.Date = 730121

// A Calendar maps instants to local dates in one time zone and knows how
// periods are laid out there: the first day of the week, the first month of
// the fiscal year, the anchor of custom grains, and which days are working
// days.
//
// A Calendar is immutable and safe for concurrent use. Make one with
// [NewCalendar] or [LoadCalendar]; the zero Calendar is the default one: UTC,
// weeks from Monday, fiscal years from January, anchor 3 January 2000, Monday
// to Friday working days.
type Calendar struct {
	// The fields are kept so that their zero values are the defaults.
	loc          *time.Location // nil: UTC
	weekRef      date.Date      // the first day of some week, for week arithmetic
	fiscalOffset int64          // months from January to the fiscal start
	anchorOffset date.Date      // days from defaultAnchor to the anchor
	work         *WorkCalendar
}

type config struct {
	weekStart   time.Weekday
	fiscalStart time.Month
	work        *WorkCalendar
	anchor      date.Date
}

// An Option configures a Calendar made by [NewCalendar] or [LoadCalendar].
type Option func(*config)

// WithWeekStart sets the first day of the week: time.Monday (the default, as
// in ISO 8601) or time.Sunday. Any other day makes NewCalendar fail.
func WithWeekStart(d time.Weekday) Option {
	return func(c *config) { c.weekStart = d }
}

// WithFiscalStart sets the month in which the fiscal year starts (default
// January). A month outside 1..12 makes NewCalendar fail.
func WithFiscalStart(m time.Month) Option {
	return func(c *config) { c.fiscalStart = m }
}

// WithWorkdays sets the working-day calendar. The default, and nil, is
// Monday to Friday with no holidays.
func WithWorkdays(w *WorkCalendar) Option {
	return func(c *config) { c.work = w }
}

// WithAnchor sets the anchor date: custom grains made with [Days] have
// periods starting at the anchor plus whole multiples of their length, and a
// [Recurrence] without an anchor starts at the period containing it. The
// default is Monday 3 January 2000.
func WithAnchor(d date.Date) Option {
	return func(c *config) { c.anchor = d }
}

// NewCalendar returns a calendar in loc (nil means UTC) with the options.
// It fails if the week start is not Monday or Sunday or the fiscal start is
// not a month 1..12.
func NewCalendar(loc *time.Location, opts ...Option) (*Calendar, error) {
	cfg := config{weekStart: time.Monday, fiscalStart: time.January, anchor: defaultAnchor}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	var errs []error
	if cfg.weekStart != time.Monday && cfg.weekStart != time.Sunday {
		errs = append(errs, fmt.Errorf("week start must be Monday or Sunday, got %s", weekdayName(cfg.weekStart)))
	}
	if cfg.fiscalStart < time.January || cfg.fiscalStart > time.December {
		errs = append(errs, fmt.Errorf("fiscal start must be a month 1..12, got %d", int(cfg.fiscalStart)))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	// date.Zero (1 January 1) is a Monday.
	ref := date.Zero
	if cfg.weekStart == time.Sunday {
		ref = date.Zero - 1
	}
	return &Calendar{
		loc:          loc,
		weekRef:      ref,
		fiscalOffset: int64(cfg.fiscalStart) - 1,
		anchorOffset: cfg.anchor - defaultAnchor,
		work:         cfg.work,
	}, nil
}

// LoadCalendar loads the IANA time zone named zone ("Europe/Berlin"; "" and
// "UTC" mean UTC) and returns [NewCalendar] in it. The zone "Local" is
// refused: a calendar must not depend on the machine it runs on.
func LoadCalendar(zone string, opts ...Option) (*Calendar, error) {
	if zone == "Local" {
		return nil, fmt.Errorf("time zone %q: the machine's local zone is not allowed, name the zone", zone)
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		if strconv.Quote(zone) != `"`+zone+`"` {
			// The time package's error repeats the name as it is: a line
			// break or a terminal's escape in it would reach the output.
			return nil, fmt.Errorf("time zone %q: unknown time zone", zone)
		}
		return nil, fmt.Errorf("time zone %q: %w", zone, err)
	}
	return NewCalendar(loc, opts...)
}

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location {
	if c.loc == nil {
		return time.UTC
	}
	return c.loc
}

// WeekStart returns the first day of the week: Monday or Sunday.
func (c *Calendar) WeekStart() time.Weekday { return weekday(c.weekRef) }

// FiscalStart returns the month in which the fiscal year starts.
func (c *Calendar) FiscalStart() time.Month { return time.Month(c.fiscalOffset + 1) }

// Anchor returns the anchor of custom grains and recurrences.
func (c *Calendar) Anchor() date.Date { return defaultAnchor + c.anchorOffset }

// WorkCalendar returns the working-day calendar; nil means the default,
// Monday to Friday with no holidays.
func (c *Calendar) WorkCalendar() *WorkCalendar { return c.work }

// Date returns the local date of the instant t in the calendar's time zone.
func (c *Calendar) Date(t time.Time) date.Date {
	return date.NewAt(t.In(c.Location()))
}

// Midnight returns the first instant of the local date d. On a day whose
// midnight is skipped by a daylight-saving jump, that is the instant of the
// jump. For a date the zone skipped altogether (Samoa skipped 30 December
// 2011), it is the first instant of the next day, so that day lasts no time.
func (c *Calendar) Midnight(d date.Date) time.Time {
	y, m, dd := d.Date()
	t := time.Date(y, m, dd, 0, 0, 0, 0, c.Location())
	if c.Date(t) == d && c.Date(t.Add(-time.Second)) < d {
		return t
	}
	// Midnight is in a gap or repeated: search the first second whose local
	// date is d or later. Zone offsets are whole seconds.
	lo, hi := t.Add(-48*time.Hour).Unix(), t.Add(48*time.Hour).Unix()
	for lo < hi {
		mid := lo + (hi-lo)/2
		if c.Date(time.Unix(mid, 0)) >= d {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return time.Unix(lo, 0).In(c.Location())
}

// Bounds returns the instants of p: the first instant of p.Start and the
// first instant of p.End, which p does not include.
func (c *Calendar) Bounds(p Period) (start, end time.Time) {
	return c.Midnight(p.Start), c.Midnight(p.End)
}

func weekdayName(d time.Weekday) string {
	if d >= time.Sunday && d <= time.Saturday {
		return d.String()
	}
	return fmt.Sprintf("weekday %d", int(d))
}
