package deliver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/org"
)

// Dispatcher delivers a live tracker's notifications and the scheduled
// digests to the recipients of a configuration, through an outbox:
//
//   - Tick moves the tracker to an instant (goalkit.Tracker.Tick), then
//     routes every notification of the tracker's ledger not routed yet —
//     those of this tick, and those of a tick whose process stopped before
//     routing them — to the recipients who may see it, and renders the
//     digests that are due; the messages and the routed keys enter the
//     outbox in one transaction.
//   - Deliver sends the messages that are due, retrying failures with
//     exponential backoff and jitter, and moves a message to the dead
//     letters after the configured number of attempts or a permanent
//     error.
//
// A Dispatcher is safe for concurrent use; Tick and Deliver are serialised.
// One Dispatcher at a time may use an outbox.
type Dispatcher struct {
	plan     *goalkit.Plan
	tracker  *goalkit.Tracker
	cfg      *Config
	outbox   Outbox
	channels map[string]Channel
	guar     map[string]Guarantee
	types    map[string]string // channel types, by name
	names    map[string]string
	o        options
	mu       sync.Mutex
	routed   map[string]bool // keys known routed, a cache of the outbox's
	adopted  bool
	last     time.Time // the latest instant ticked
	// rests are the channels that failed asking for a wait (a 429 with
	// Retry-After), by name: not attempted from since until until. In
	// memory only: after a restart one message tries the channel.
	rests   map[string]rest
	closers []func() error
}

// rest is when a channel rests after its failure asked for a wait.
type rest struct{ since, until time.Time }

// resting reports whether the rest holds at now: not before the failure
// (a clock gone back makes no rest longer than asked) and before its end.
func (r rest) resting(now time.Time) bool { return !now.Before(r.since) && now.Before(r.until) }

type options struct {
	tmpl   *Templates
	policy goal.VisibilityPolicy
	dir    org.Directory
	rand   func() float64
	log    *slog.Logger
	clock  func() time.Time
	batch  int
}

// Option sets an optional part of a Dispatcher.
type Option func(*options)

// WithTemplates renders with the templates (default: the built-in ones).
func WithTemplates(t *Templates) Option { return func(o *options) { o.tmpl = t } }

// WithVisibility decides who sees what with the policy. The default is
// goal.DefaultVisibility over the organisation of WithDirectory (none: users
// see their own rows, public goals' and the company's), on the date of
// each tick in the plan's time zone.
func WithVisibility(p goal.VisibilityPolicy) Option { return func(o *options) { o.policy = p } }

// WithDirectory gives the organisation for the default visibility: heads
// see their units' rows, members their teams'.
func WithDirectory(d org.Directory) Option { return func(o *options) { o.dir = d } }

// WithRand sets the source of the backoff's jitter, numbers in [0, 1)
// (tests make it fixed); a number outside [0, 1] is held to it (see
// Backoff).
func WithRand(f func() float64) Option { return func(o *options) { o.rand = f } }

// WithClock sets the dispatcher's clock (default time.Now): Run ticks and
// delivers at its instant, and Deliver stamps each attempt with the
// instant it was called with plus the time the clock says has passed since
// the call began (tests give a clock they move).
func WithClock(now func() time.Time) Option { return func(o *options) { o.clock = now } }

// WithLogger logs each failed attempt and each dead letter (never a
// secret: errors of the channels hold none).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// adoptedKey marks, in the outbox's routed keys, that the ledger keys
// present when the outbox was first used were adopted.
const adoptedKey = "goalkit.deliver.adopted"

// New returns a dispatcher of the tracker's notifications (the tracker of
// plan) under the configuration, with an implementation for each of its
// channels, by name. The configuration may come from ParseConfig or be
// built in Go: New reads its recipients (their lists and schedules
// included), channels and retry setting once (what changes in cfg later is
// not seen), and so the map of channels, resolving the recipients' time
// zones (an unknown one is an error); a recipient without a language gets
// English, and a zero field of Retry its default (DefaultAttempts,
// DefaultBase, DefaultMax). What ParseConfig refuses in a file, New refuses
// in Go, naming the recipient or channel: a recipient without a user or
// listed twice, a language the templates do not have, an unknown kind, a
// schedule that is no time of day or weekday, a channel named neither in
// the configuration nor among the channels, a channel a recipient lists
// twice, a channel configured twice, a
// channel of a configured type for which the recipient has no address (an
// email channel and no email), an email that is no address, a
// guarantee other than at_least_once or at_most_once, and a retry setting
// out of its bounds (attempts below 0 or above 1000, a negative base or
// max, a max less than the base). A nil plan, tracker,
// configuration or outbox is refused, and so is a tracker that plan's
// Track did not start, and a channel given as a value that cannot send (a
// nil ChannelFunc, a nil pointer of this package's channels, a Bitrix24
// channel over a nil notifier), whose first attempt would panic.
func New(plan *goalkit.Plan, tracker *goalkit.Tracker, cfg *Config, outbox Outbox, channels map[string]Channel, opts ...Option) (*Dispatcher, error) {
	// Each is needed from the first tick on: missing, New says which
	// rather than a tick panicking.
	var missing []string
	for _, m := range []struct {
		name string
		nil_ bool
	}{{"plan", plan == nil}, {"tracker", tracker == nil}, {"configuration", cfg == nil}, {"outbox", outbox == nil}} {
		if m.nil_ {
			missing = append(missing, m.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("deliver: New: no %s given (nil)", strings.Join(missing, ", no "))
	}
	if tracker.Plan() != plan {
		// Its notifications would be of the other plan's goals while the
		// routes and templates read this plan's.
		return nil, errors.New("deliver: New: the tracker tracks another plan than the one given (start it with this plan's Track)")
	}
	// The channels are kept in a map of the dispatcher's own: a host that
	// changes its map later, even while Run delivers, changes nothing.
	d := &Dispatcher{plan: plan, tracker: tracker, cfg: cfg, outbox: outbox, channels: maps.Clone(channels),
		guar: map[string]Guarantee{}, types: map[string]string{}, names: map[string]string{}, routed: map[string]bool{}}
	for _, opt := range opts {
		opt(&d.o)
	}
	if d.o.tmpl == nil {
		t, err := LoadTemplates(nil)
		if err != nil {
			return nil, err
		}
		d.o.tmpl = t
	}
	if d.o.rand == nil {
		d.o.rand = jitter
	}
	if d.o.log == nil {
		d.o.log = slog.New(slog.DiscardHandler)
	}
	if d.o.clock == nil {
		d.o.clock = time.Now
	}
	d.o.batch = 100
	var errs []error
	// A configuration built in Go, not parsed, has its recipients' time
	// zones unresolved: the dispatcher resolves them in a copy of its own,
	// so that digests keep the recipient's local hour and date. The copy
	// is whole (the recipients' lists and schedules, the channels), so
	// that what the host changes in cfg later, unchecked, changes nothing.
	own := *cfg
	own.Channels = slices.Clone(cfg.Channels)
	own.Recipients = slices.Clone(cfg.Recipients)
	for i := range own.Recipients {
		r := &own.Recipients[i]
		r.Channels, r.Kinds = slices.Clone(r.Channels), slices.Clone(r.Kinds)
		for _, s := range []**Schedule{&r.Daily, &r.Weekly} {
			if *s != nil {
				c := **s
				*s = &c
			}
		}
	}
	d.cfg = &own
	// A zero retry setting is its default, as in a parsed file; what a
	// file may not say (a negative or a thousand attempts and more, a
	// duration not positive, a max below the base) is refused.
	errs = append(errs, checkRetry(cfg.Retry)...)
	if own.Retry.Attempts <= 0 {
		own.Retry.Attempts = DefaultAttempts
	}
	if own.Retry.Base <= 0 {
		own.Retry.Base = DefaultBase
		if own.Retry.Max > 0 {
			own.Retry.Base = min(DefaultBase, own.Retry.Max)
		}
	}
	if own.Retry.Max <= 0 {
		own.Retry.Max = max(DefaultMax, own.Retry.Base)
	}
	for i := range own.Recipients {
		r := &own.Recipients[i]
		// A parsed configuration whose TimeZone the host set afterwards
		// is resolved again: the zone the file named was kept, unchecked.
		if r.TimeZone == "" || r.resolved() {
			if !r.resolved() {
				r.loc = nil
			}
			continue
		}
		loc, err := time.LoadLocation(r.TimeZone)
		if err != nil || r.TimeZone == "Local" {
			errs = append(errs, fmt.Errorf("recipients[%d] (%s): unknown time zone %q (an IANA name such as Europe/Moscow)", i, r.User, r.TimeZone))
			continue
		}
		r.loc = loc
	}
	for i, c := range cfg.Channels {
		if _, dup := d.types[c.Name]; dup {
			// The second's type and guarantee would silently replace
			// the first's.
			errs = append(errs, fmt.Errorf("channels[%d] (%s): channel %q is defined twice", i, c.Name, c.Name))
		}
		if ch := channels[c.Name]; ch == nil {
			errs = append(errs, fmt.Errorf("%s: channel %q has no implementation among the channels given (Config.OpenChannels opens a file's)", cfg.channelAt(i), c.Name))
		} else if what := nilChannel(ch); what != "" {
			errs = append(errs, fmt.Errorf("%s: channel %q: the implementation given is %s, which cannot send", cfg.channelAt(i), c.Name, what))
		}
		switch c.Guarantee {
		case "", AtLeastOnce, AtMostOnce:
		default:
			errs = append(errs, fmt.Errorf("channels[%d] (%s): guarantee must be %s or %s, got %q", i, c.Name, AtLeastOnce, AtMostOnce, c.Guarantee))
		}
		d.guar[c.Name] = c.Guarantee
		d.types[c.Name] = c.Type
	}
	errs = append(errs, d.checkRecipients()...)
	for _, r := range cfg.Recipients {
		if r.Name != "" {
			d.names[r.User] = r.Name
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return d, nil
}

// nilChannel says what ch is when, though not a nil interface, it cannot
// send and its Send would panic at the first attempt: a nil ChannelFunc, a
// nil pointer of one of this package's channels, or a Bitrix24 channel
// over no notifier. It is "" for any other channel.
func nilChannel(ch Channel) string {
	nilPtr := false
	switch c := ch.(type) {
	case ChannelFunc:
		if c == nil {
			return "a nil ChannelFunc"
		}
	case *Webhook:
		nilPtr = c == nil
	case *Email:
		nilPtr = c == nil
	case *Telegram:
		nilPtr = c == nil
	case *Slack:
		nilPtr = c == nil
	case *Bitrix24:
		if c == nil {
			nilPtr = true
		} else if f, ok := c.n.(NotifierFunc); c.n == nil || ok && f == nil {
			return "a Bitrix24 channel over a nil notifier"
		}
	}
	if nilPtr {
		return fmt.Sprintf("a nil %T", ch)
	}
	return ""
}

// checkRetry refuses, in a configuration built in Go, a retry setting
// that ParseConfig refuses in a file: attempts out of 1 to 1000, a base or
// max not positive, a max less than the base (the waits would all be max).
// A zero field is its default.
func checkRetry(r Retry) []error {
	var errs []error
	if r.Attempts < 0 || r.Attempts > 1000 {
		errs = append(errs, fmt.Errorf("retry: attempts must be from 1 to 1000 (0: %d), got %d", DefaultAttempts, r.Attempts))
	}
	for _, d := range []struct {
		name string
		d    time.Duration
	}{{"base", r.Base}, {"max", r.Max}} {
		if d.d < 0 {
			errs = append(errs, fmt.Errorf("retry: %s must be a positive duration (0: the default), got %s", d.name, d.d))
		}
	}
	if r.Base > 0 && r.Max > 0 && r.Max < r.Base {
		errs = append(errs, fmt.Errorf("retry: max (%s) is less than base (%s)", r.Max, r.Base))
	}
	return errs
}

// checkRecipients refuses, in a configuration built in Go, what
// ParseConfig refuses of a file's recipients and the dispatcher could not
// act on: no user, a language the templates do not have, a kind that is
// none (its messages would never be sent, and nothing would say so), a
// schedule that is no time of day, and a channel that neither the
// configuration nor the channels given to New name.
func (d *Dispatcher) checkRecipients() []error {
	var errs []error
	kinds := messageKinds()
	users := map[string]bool{}
	for i := range d.cfg.Recipients {
		r := &d.cfg.Recipients[i]
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("recipients[%d] (%s): %s", i, r.User, fmt.Sprintf(format, args...)))
		}
		if r.User == "" {
			bad("a recipient needs a user")
		} else if users[r.User] {
			// Their messages on a channel both list share an id: the
			// outbox would keep the first and drop the other unsaid.
			bad("recipient %q is listed twice", r.User)
		}
		users[r.User] = true
		if _, ok := d.o.tmpl.text[r.lang()]; !ok {
			bad("no templates of language %q (have: %s)", r.Language, strings.Join(slices.Sorted(maps.Keys(d.o.tmpl.text)), ", "))
		}
		// An empty list is nil to the routing (every kind, the channels
		// of the addresses), not none as written: a file may not write
		// one, and neither may Go.
		if r.Kinds != nil && len(r.Kinds) == 0 {
			bad("kinds is an empty list, which names no kind and would be read as every kind: leave Kinds nil for every kind, or name the kinds")
		}
		if r.Channels != nil && len(r.Channels) == 0 {
			bad("channels is an empty list, which names no channel and would be read as the channels of the recipient's addresses: leave Channels nil for those, or name the channels")
		}
		for _, k := range r.Kinds {
			if !slices.Contains(kinds, k) {
				bad("unknown kind %q (known: %s)", k, strings.Join(kinds, ", "))
			}
		}
		if kind, field := r.unscheduledDigest(); kind != "" {
			bad("kinds: %s", unscheduledWant(kind, field))
		}
		for _, s := range []struct {
			name   string
			sc     *Schedule
			weekly bool
		}{{"daily", r.Daily, false}, {"weekly", r.Weekly, true}} {
			switch sc := s.sc; {
			case sc == nil:
			case sc.Hour < 0 || sc.Hour > 23 || sc.Minute < 0 || sc.Minute > 59:
				bad("%s: hour %d, minute %d is not a time of day (hours 0 to 23, minutes 0 to 59)", s.name, sc.Hour, sc.Minute)
			case s.weekly && (sc.Weekday < time.Sunday || sc.Weekday > time.Saturday):
				bad("%s: %d is not a weekday (time.Sunday to time.Saturday)", s.name, int(sc.Weekday))
			}
		}
		if want := emailWant(r.Email); want != "" {
			bad("email %s", want)
		}
		if r.Telegram != "" && !telegramChatID(r.Telegram) {
			bad("telegram %s", telegramChatWant(r.Telegram))
		}
		if r.Bitrix24 != "" && !bitrix24UserID(r.Bitrix24) {
			bad("bitrix24 %s", bitrix24UserWant(r.Bitrix24))
		}
		for j, name := range r.Channels {
			if slices.Contains(r.Channels[:j], name) {
				// Its two messages would share an id: the outbox would
				// keep one, and the tick count two.
				bad("channel %q is listed twice", name)
				continue
			}
			// A channel given to New alone, without a configuration of
			// its own, delivers too.
			if d.channels[name] == nil && !slices.ContainsFunc(d.cfg.Channels, func(c ChannelConfig) bool { return c.Name == name }) {
				bad("no channel is named %q", name)
			}
			// A channel of a configured type needs the recipient's
			// address for it: without one, every message to the
			// recipient on it would be a dead letter.
			switch typ := d.types[name]; {
			case typ == TypeEmail && r.Email == "", typ == TypeTelegram && r.Telegram == "", typ == TypeBitrix24 && r.Bitrix24 == "":
				bad("%s is a %s channel and the recipient has no %s address", name, typ, typ)
			}
		}
	}
	return errs
}

// Outbox returns the dispatcher's outbox (its dead letters, say).
func (d *Dispatcher) Outbox() Outbox { return d.outbox }

// Close closes what Open opened (the outbox); a Dispatcher from New has
// nothing to close.
func (d *Dispatcher) Close() error {
	var errs []error
	for _, c := range d.closers {
		errs = append(errs, c())
	}
	return errors.Join(errs...)
}

// TickResult says what a tick routed.
type TickResult struct {
	// Notifications is how many notification keys were routed, Digests
	// how many digests were rendered, and Messages how many messages
	// entered the outbox for them.
	Notifications, Digests, Messages int
	// Unrendered is how many of the messages the templates could not
	// render (a host's template that fails): each is logged, and is a dead
	// letter with the template's error at its first delivery attempt.
	Unrendered int
}

// Tick moves the tracker to asOf, and routes into the outbox the
// notifications of its ledger not routed before and the digests due at
// asOf. The first tick over an outbox adopts the keys already in the
// ledger without sending them: they were emitted before delivery was set
// up. A tick at an instant before the last one's ticks at the last one's,
// as goalkit.Tracker.Tick does. The zero time, and an instant outside the
// years 1678 to 2261 in which the outbox keeps instants, are refused,
// before anything is adopted or ticked. The last instant is the last tick's that
// committed: a tick that fails (the tracker's tick, the visibility policy,
// a chart, the outbox's Add) leaves it as it was, so that a later tick at
// an earlier instant (a clock corrected back after a bad reading) ticks
// at its own instant, not at one that never ticked.
func (d *Dispatcher) Tick(ctx context.Context, asOf time.Time) (TickResult, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var res TickResult
	if err := needInstant("Tick", "asOf", asOf); err != nil {
		return res, err
	}
	if asOf.Before(d.last) {
		// A tick back in time (a clock stepped back) ticks at the last
		// tick's instant, as the tracker does: what was routed stays
		// routed, and no earlier day's digest comes late.
		asOf = d.last
	}
	if err := d.adopt(ctx); err != nil {
		return res, err
	}
	fresh, err := d.tracker.Tick(ctx, asOf)
	if err != nil {
		return res, err
	}
	pol, err := d.policy(ctx, asOf)
	if err != nil {
		return res, err
	}
	// The ledger holds this tick's notifications and any that a stopped
	// process committed but never routed.
	ns, err := d.unrouted(ctx, fresh)
	if err != nil {
		return res, err
	}
	reps := &tickReports{ctx: ctx, tracker: d.tracker, asOf: asOf, pol: pol, pngs: pngCache{}}
	var keys []RoutedKey
	var msgs []Message
	for i := range ns {
		n := &ns[i]
		for ri := range d.cfg.Recipients {
			r := &d.cfg.Recipients[ri]
			if !r.wants(string(n.Kind)) || !canSee(pol, d.plan, r, n) {
				continue
			}
			v := d.notificationView(r, n, asOf)
			imgs, err := d.notificationChart(reps, r, n, &v)
			if err != nil {
				return res, err
			}
			msgs = append(msgs, d.render(r, v, n.Key, string(n.Kind), asOf, n, nil, imgs)...)
		}
		keys = append(keys, RoutedKey{Key: n.Key, At: n.At})
	}
	res.Notifications = len(keys)
	dk, dm, rendered, err := d.digests(ctx, asOf, reps)
	if err != nil {
		return res, err
	}
	for _, k := range dk {
		keys = append(keys, RoutedKey{Key: k})
	}
	msgs = append(msgs, dm...)
	res.Digests = rendered
	for _, m := range msgs {
		if m.Unrendered != "" {
			res.Unrendered++
		}
	}
	if len(keys) > 0 {
		if err := d.outbox.Add(ctx, keys, msgs); err != nil {
			return res, err
		}
		for _, k := range keys {
			d.routed[k.Key] = true
		}
		res.Messages = len(msgs)
	}
	d.last = asOf
	return res, nil
}

// needInstant refuses the zero time as the argument arg of the
// dispatcher's method fn, naming both: a host's time.Time left unset.
// An instant outside the years 1678 to 2261 (a clock set far off) is
// refused too, before anything is ticked: the outbox keeps its instants as
// int64 nanoseconds, and a tick there moved the tracker to it and then
// failed at the outbox, every later tick again at the tracker's instant.
func needInstant(fn, arg string, t time.Time) error {
	if t.IsZero() {
		return fmt.Errorf("deliver: Dispatcher.%s: %s is the zero time (0001-01-01 00:00 UTC), not an instant: give the instant to deliver at (time.Now() for now)", fn, arg)
	}
	if !colstore.InYears(t) {
		return fmt.Errorf("deliver: Dispatcher.%s: %s %s is outside the years 1678 to 2261 in which the outbox keeps instants: give one inside them (a clock that reads so is set wrong)", fn, arg, t.Format(time.RFC3339))
	}
	return nil
}

// adopt marks the ledger's keys routed the first time an outbox is used.
func (d *Dispatcher) adopt(ctx context.Context) error {
	if d.adopted {
		return nil
	}
	done, err := d.outbox.Routed(ctx, []string{adoptedKey})
	if err != nil {
		return err
	}
	if !done[adoptedKey] {
		var keys []RoutedKey
		var bad error
		d.tracker.Indicators().LedgerRange(func(key string, data []byte) bool {
			k := RoutedKey{Key: key}
			if len(data) > 0 {
				n, err := decodeNotification(data)
				if err != nil {
					bad = fmt.Errorf("ledger %q: %w", key, err)
					return false
				}
				k.At = n.At
			}
			keys = append(keys, k)
			return true
		})
		if bad != nil {
			return bad
		}
		if err := d.outbox.Add(ctx, append(keys, RoutedKey{Key: adoptedKey}), nil); err != nil {
			return err
		}
	}
	d.adopted = true
	return nil
}

// unrouted returns the ledger's notifications whose keys are not routed,
// sorted by instant and key; fresh are this tick's (their data need not be
// read back).
func (d *Dispatcher) unrouted(ctx context.Context, fresh []goal.Notification) ([]goal.Notification, error) {
	byKey := map[string]goal.Notification{}
	for _, n := range fresh {
		byKey[n.Key] = n
	}
	var keys []string
	data := map[string][]byte{}
	d.tracker.Indicators().LedgerRange(func(key string, v []byte) bool {
		if !d.routed[key] {
			keys = append(keys, key)
			data[key] = v
		}
		return true
	})
	known, err := d.outbox.Routed(ctx, keys)
	if err != nil {
		return nil, err
	}
	var out []goal.Notification
	for _, k := range keys {
		if known[k] {
			d.routed[k] = true
			continue
		}
		n, ok := byKey[k]
		if !ok {
			if n, err = decodeNotification(data[k]); err != nil {
				return nil, fmt.Errorf("ledger %q: %w", k, err)
			}
		}
		out = append(out, n)
	}
	slices.SortFunc(out, func(a, b goal.Notification) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out, nil
}

// tickReports evaluates the tracker's report for a tick at most once, and
// cuts it for each recipient at most once: with the daily series when an
// email of the tick draws charts (goalkit.WithSeries costs a value per row
// and day; see docs/deliver.md), without them otherwise. It keeps the
// charts drawn in the tick.
type tickReports struct {
	ctx     context.Context
	tracker *goalkit.Tracker
	asOf    time.Time
	pol     goal.VisibilityPolicy
	rep     *goalkit.Report
	series  bool
	views   map[goal.Viewer]*goalkit.Report
	pngs    pngCache // the charts drawn
}

// forViewer returns the tick's report as r may see it, with the daily
// series when series is true.
func (t *tickReports) forViewer(r *Recipient, series bool) (*goalkit.Report, error) {
	if t.rep == nil || series && !t.series {
		var opts []goalkit.EvalOption
		if series {
			opts = append(opts, goalkit.WithSeries())
		}
		rep, err := t.tracker.Report(t.ctx, t.asOf, opts...)
		if err != nil {
			return nil, err
		}
		t.rep, t.series, t.views = rep, series, map[goal.Viewer]*goalkit.Report{}
	}
	viewer := goal.Viewer{User: r.User, Admin: r.Admin}
	v, ok := t.views[viewer]
	if !ok {
		v = t.rep.ForViewer(viewer, t.pol)
		t.views[viewer] = v
	}
	return v, nil
}

// policy returns the visibility policy of a tick at asOf.
func (d *Dispatcher) policy(ctx context.Context, asOf time.Time) (goal.VisibilityPolicy, error) {
	if d.o.policy != nil {
		return d.o.policy, nil
	}
	o, err := org.Load(ctx, d.o.dir)
	if err != nil {
		return nil, err
	}
	return goal.DefaultVisibility{Org: o, Date: d.plan.Calendar().Date(asOf)}, nil
}

// digests renders the digests due at asOf that are not routed yet,
// returning their keys, their messages and how many were rendered. A
// recipient who may see no running goal gets none (the key is routed all
// the same).
func (d *Dispatcher) digests(ctx context.Context, asOf time.Time, reps *tickReports) ([]string, []Message, int, error) {
	type due struct {
		r    *Recipient
		kind string
		key  string
		date string
	}
	var dues []due
	for i := range d.cfg.Recipients {
		r := &d.cfg.Recipients[i]
		for _, s := range []struct {
			kind  string
			sched *Schedule
		}{{KindDailyDigest, r.Daily}, {KindWeeklyDigest, r.Weekly}} {
			if s.sched == nil || !r.wants(s.kind) {
				continue
			}
			_, date, ok := dueDigest(s.sched, s.kind == KindWeeklyDigest, asOf, r.Location())
			if !ok {
				continue
			}
			key := DigestKey(s.kind, r.User, date)
			if !d.routed[key] {
				dues = append(dues, due{r, s.kind, key, date})
			}
		}
	}
	if len(dues) == 0 {
		return nil, nil, 0, nil
	}
	keys := make([]string, len(dues))
	for i, x := range dues {
		keys[i] = x.key
	}
	known, err := d.outbox.Routed(ctx, keys)
	if err != nil {
		return nil, nil, 0, err
	}
	// One report for all the digests, with the daily series when one of
	// them is an email (charts).
	series := false
	for _, x := range dues {
		if !known[x.key] && d.emails(x.r) {
			series = true
		}
	}
	var outKeys []string
	rendered := 0
	var msgs []Message
	for _, x := range dues {
		if known[x.key] {
			d.routed[x.key] = true
			continue
		}
		rep, err := reps.forViewer(x.r, series)
		if err != nil {
			return nil, nil, 0, err
		}
		outKeys = append(outKeys, x.key)
		rows, src := digestRows(d.plan, rep, d.participantName)
		if len(rows) == 0 {
			continue
		}
		var imgs []Image
		if d.emails(x.r) {
			order := chartOrder(src, x.r.User)
			picked := make([]*goal.Row, len(order))
			for i, j := range order {
				picked[i] = src[j]
			}
			var cs []*Chart
			cs, imgs = d.charts(reps.pngs, x.r, x.key, picked)
			for i, j := range order {
				rows[j].Chart = cs[i]
			}
		}
		dg := &Digest{Kind: x.kind, Date: x.date, Rows: rows}
		v := View{Lang: x.r.lang(), Recipient: d.nameOf(x.r.User), Kind: x.kind, Date: x.date, Digest: dg}
		ms := d.render(x.r, v, x.key, x.kind, asOf, nil, dg, imgs)
		msgs = append(msgs, ms...)
		if len(ms) == 0 || ms[0].Unrendered == "" {
			rendered++
		}
	}
	return outKeys, msgs, rendered, nil
}

func (d *Dispatcher) nameOf(user string) string {
	if n, ok := d.names[user]; ok {
		return n
	}
	return user
}

// participantName is how messages name a participant of the kind: a user
// by the recipient's name of that user id, a team or the company by its
// id (a team may have the id of a user: a Bitrix24 portal's department 1
// and user 1).
func (d *Dispatcher) participantName(id string, kind goal.ParticipantKind) string {
	if kind != goal.User {
		return id
	}
	return d.nameOf(id)
}

// notificationView is what the templates see of a notification for r.
func (d *Dispatcher) notificationView(r *Recipient, n *goal.Notification, asOf time.Time) View {
	name, currency := goalInfo(d.plan, n.Goal)
	kind := goal.User
	if s, ok := subjectOf(d.plan, n); ok {
		kind = s.Kind
	}
	return View{Lang: r.lang(), Recipient: d.nameOf(r.User), Kind: string(n.Kind), Goal: name, GoalID: n.Goal,
		Participant: d.participantName(n.Participant, kind), ParticipantKind: string(kind), Period: n.Period,
		From: n.PeriodStart.String(), Until: (n.PeriodEnd - 1).String(), Date: localDate(asOf, r.Location()),
		Currency: currency, Actual: n.Actual, Target: n.Target, Forecast: n.Forecast, Before: n.Before,
		Milestone: n.Milestone, DaysLeft: n.DaysLeft, Status: string(n.Status)}
}

// notificationChart sets the view's chart, for a recipient with an email
// channel, to the burn-up of the notification's row in the recipient's
// report, and returns its image.
func (d *Dispatcher) notificationChart(reps *tickReports, r *Recipient, n *goal.Notification, v *View) ([]Image, error) {
	if !d.emails(r) {
		return nil, nil
	}
	rep, err := reps.forViewer(r, true)
	if err != nil {
		return nil, err
	}
	var row *goal.Row
	if rep.Goals != nil {
		row = findRow(rep.Goals.Rows, n)
	}
	cs, imgs := d.charts(reps.pngs, r, n.Key, []*goal.Row{row})
	v.Chart = cs[0]
	return imgs, nil
}

// render renders the view once and makes a message of it for each of the
// recipient's channels. Emails carry the images the HTML refers to (a
// host's template may leave a chart out); other channels none. When the
// templates fail, the messages are unrendered (Message.Unrendered), dead
// letters at their first attempt: one bad template does not hold up the
// other messages, or every later tick.
func (d *Dispatcher) render(r *Recipient, v View, key, kind string, asOf time.Time, n *goal.Notification, dg *Digest, imgs []Image) []Message {
	subject, text, html, err := d.o.tmpl.Render(v)
	unrendered := func(err error) string {
		var secrets []string
		for _, c := range d.cfg.Channels {
			if c.URL != "" {
				secrets = append(secrets, urlSecrets(c.URL)...)
			}
		}
		failed := mask(err.Error(), secrets)
		d.o.log.Error("deliver: message not rendered", "key", key, "recipient", r.User, "error", failed)
		return failed
	}
	var failed string
	if err != nil {
		failed = unrendered(err)
		imgs = nil
	}
	var used []Image
	for _, img := range imgs {
		if strings.Contains(html, "cid:"+img.ContentID) {
			used = append(used, img)
		}
	}
	var out []Message
	var slack, slackFailed string
	slackDone := failed != ""
	for _, ch := range channelsOf(r, d.cfg.Channels) {
		m := Message{ID: MessageID(key, r.User, ch), Key: key, Kind: kind, Channel: ch, To: *r,
			Created: asOf.UTC(), Subject: subject, Text: text, HTML: html, Notification: n, Digest: dg, Unrendered: failed}
		switch d.types[ch] {
		case TypeEmail:
			m.Images = used
		case TypeSlack:
			// The text with the names it inserts as written, not read as
			// mrkdwn; rendered once for all the recipient's Slack
			// channels.
			if !slackDone {
				var err error
				if slack, err = d.o.tmpl.slackText(v); err != nil {
					slackFailed = unrendered(err)
				}
				slackDone = true
			}
			if failed == "" {
				m.Text = slack
				if slackFailed != "" {
					m.Subject, m.Text, m.HTML, m.Unrendered = "", "", "", slackFailed
				}
			}
		}
		out = append(out, m)
	}
	return out
}

// emails reports whether one of the recipient's channels is email: only
// then are charts drawn.
func (d *Dispatcher) emails(r *Recipient) bool {
	return slices.ContainsFunc(channelsOf(r, d.cfg.Channels), func(ch string) bool { return d.types[ch] == TypeEmail })
}

// charts draws the burn-up of each row (nil: none) for the message of key
// to r: a chart for the templates per row, nil where there is none, and the
// images drawn. A chart that cannot be drawn is logged and left out: the
// message goes without it.
func (d *Dispatcher) charts(cache pngCache, r *Recipient, key string, rows []*goal.Row) ([]*Chart, []Image) {
	cs := make([]*Chart, len(rows))
	var imgs []Image
	words, err := d.o.tmpl.words(r.lang())
	if err != nil {
		d.o.log.Warn("deliver: charts left out", "key", key, "recipient", r.User, "error", err.Error())
		return cs, nil
	}
	for i, row := range rows {
		c, img, err := burnUp(row, key, r.User, i+1, words, cache)
		if err != nil {
			d.o.log.Warn("deliver: chart left out", "key", key, "recipient", r.User, "error", err.Error())
			continue
		}
		if c != nil {
			c.Goal, c.Currency = goalInfo(d.plan, row.Goal)
			if row.Name != "" {
				c.Goal = row.Name
			}
			c.Participant = d.participantName(row.Participant, row.Kind)
			cs[i] = c
			imgs = append(imgs, *img)
		}
	}
	return cs, imgs
}

// DeliverResult counts what a Deliver call did.
type DeliverResult struct {
	Sent, Failed, Dead int
	// Rested is how many due messages were not attempted because their
	// channel failed earlier in the call (ChannelFault), or in an earlier
	// call asking for a wait that has not passed (a 429 with Retry-After):
	// they stay due, their attempts not counted, for a later call.
	Rested int
}

// Deliver sends every message due at now, until none is left due or ctx
// ends, each message at most once: a failed attempt is due again after
// Backoff, and at the next call when that is no later than now (a wait of
// zero, a clock that stands still); a permanent error, or
// the configured number of failed attempts, moves the message to the dead
// letters. A message whose previous attempt never reported (the process
// stopped during it) is sent again when its channel deduplicates, and
// under at_least_once; under at_most_once it goes to the dead letters.
// After a failure of the channel itself (ChannelFault: a refused login, a
// server that cannot be reached), the channel's other messages are left
// due and unattempted until the next call, which tries the channel again;
// when the failure asked for a wait (a 429 with Retry-After, up to
// Retry.Max), until the first call at or past its end. The dispatcher
// keeps that wait in memory: after a restart one message tries the
// channel, and a clock set back before the failure ends the wait. A
// resting channel's messages are left out of the reads of an outbox that
// reads by channel (ChannelDue); another outbox's Due is asked for as
// many more as the call left.
//
// The messages due are those due at now. Each attempt is stamped (its
// sent-at, its next try) with now plus the time the dispatcher's clock
// (WithClock) says has passed since the call began, so that a long run of
// slow attempts does not stamp the last ones at the instant of the first.
// The zero time is refused: nothing would be due at it; so is an instant
// outside the years 1678 to 2261, which no attempt could be stamped with.
// A stamp past their end (seconds into a call at the end of 2261, a retry
// a backoff after it) is held at it (at now, when now is later: an instant
// of 2261 west of UTC), so that a message due again then is due at the
// next call.
func (d *Dispatcher) Deliver(ctx context.Context, now time.Time) (DeliverResult, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var res DeliverResult
	if err := needInstant("Deliver", "now", now); err != nil {
		return res, err
	}
	start := d.o.clock()
	at := func() time.Time { return kept(now, now.Add(max(0, d.o.clock().Sub(start)))) }
	// The channels that failed in this call, and the messages left due on
	// them: the outbox gives those again on every read, so each read asks
	// for that many more.
	rested := map[string]bool{}
	left := map[string]bool{}
	// The messages attempted in this call: one whose next try is due
	// again at now (a wait of zero, a clock that stands still) waits for
	// the next call, rather than spending its attempts at once.
	tried := map[string]bool{}
	// An outbox that reads by channel leaves the resting channels'
	// messages out of the reads; of its count of them, those attempted in
	// this call and due again at now were not rested.
	byChannel, _ := d.outbox.(ChannelDue)
	again := map[string]int{}
	for {
		limit := d.o.batch + len(left) + len(tried)
		var due []Entry
		var err error
		skipped := -1
		if byChannel != nil {
			due, skipped, err = byChannel.DueExcept(ctx, now, limit, d.resting(rested, now))
		} else {
			due, err = d.outbox.Due(ctx, now, limit)
		}
		if err != nil {
			return res, err
		}
		n, seen := 0, 0 // attempted, and new to the call
		for _, e := range due {
			if tried[e.Message.ID] || left[e.Message.ID] {
				continue
			}
			seen++
			if rested[e.Message.Channel] || d.rests[e.Message.Channel].resting(now) {
				left[e.Message.ID] = true
				continue
			}
			if err := ctx.Err(); err != nil {
				return res, err
			}
			n++
			tried[e.Message.ID] = true
			fault, dueAgain, err := d.attempt(ctx, e, now, at, &res)
			if err != nil {
				return res, err
			}
			if fault {
				rested[e.Message.Channel] = true
			}
			if dueAgain {
				again[e.Message.Channel]++
			}
		}
		// Done when nothing was attempted and the read held every due
		// message, or it held none new to the call (a host's Due that
		// repeats an entry may fill it past the limit with what was left
		// or tried: the next read would give the same).
		if n == 0 && len(due) < limit || seen == 0 {
			res.Rested = len(left)
			if skipped >= 0 {
				for _, ch := range d.resting(rested, now) {
					skipped -= again[ch]
				}
				res.Rested = max(res.Rested, skipped)
			}
			return res, nil
		}
	}
}

// resting returns the names of the channels that rest at now, sorted:
// those that failed in this call (rested) and those whose wait asked
// earlier has not passed.
func (d *Dispatcher) resting(rested map[string]bool, now time.Time) []string {
	var out []string
	for ch := range rested {
		out = append(out, ch)
	}
	for ch, r := range d.rests {
		if r.resting(now) && !rested[ch] {
			out = append(out, ch)
		}
	}
	slices.Sort(out)
	return out
}

// attempt makes one attempt at the entry's message, reading the instant
// from at before and after it, and reports whether the channel failed
// (ChannelFault) and whether the message is due again at the call's
// instant, callAt (a failure with a wait of zero); errors are the outbox's
// (a failed send is recorded, not returned).
func (d *Dispatcher) attempt(ctx context.Context, e Entry, callAt time.Time, at func() time.Time, res *DeliverResult) (fault, again bool, _ error) {
	m := e.Message
	ch := d.channels[m.Channel]
	retry := d.cfg.Retry
	n := e.Attempts + 1
	// Without deduplication at the receiver, at_most_once never sends a
	// message again after an attempt of unknown outcome.
	mostOnce := ch != nil && !deduplicates(ch) && d.guar[m.Channel] == AtMostOnce
	now := at()
	switch {
	case m.Unrendered != "":
		if err := d.outbox.Begin(ctx, m.ID, now); err != nil {
			return false, false, err
		}
		return false, false, d.dead(ctx, m, now, m.Unrendered, res)
	case ch == nil:
		if err := d.outbox.Begin(ctx, m.ID, now); err != nil {
			return false, false, err
		}
		return false, false, d.dead(ctx, m, now, fmt.Sprintf("no channel is named %q in the configuration", m.Channel), res)
	case e.State == Sending && mostOnce:
		return false, false, d.dead(ctx, m, now, "an attempt was cut off (the process stopped) and its outcome is unknown; at_most_once: not sent again", res)
	}
	if err := d.outbox.Begin(ctx, m.ID, kept(callAt, now.Add(Backoff(n, retry.Base, retry.Max, d.o.rand())))); err != nil {
		return false, false, err
	}
	err := ch.Send(ctx, m)
	now = at()
	// A failure of the channel (a refused login) is no fault of the
	// message: it is retried, never a dead letter at once.
	fault = IsChannelFault(err)
	// The receiver's own wait (Retry-After, Telegram's retry_after), up
	// to Retry.Max.
	wait := min(serverWait(err), retry.Max)
	switch {
	case err == nil:
		delete(d.rests, m.Channel)
	case fault && wait > 0:
		// The channel asked to wait (a 429 with Retry-After): its other
		// messages wait as long, in the later calls too.
		if d.rests == nil {
			d.rests = map[string]rest{}
		}
		d.rests[m.Channel] = rest{since: now, until: now.Add(wait)}
		d.o.log.Warn("deliver: channel failed asking to wait, its messages wait until then", "channel", m.Channel, "until", now.Add(wait), "error", err.Error())
	case fault:
		d.o.log.Warn("deliver: channel failed, its other messages wait for the next delivery", "channel", m.Channel, "error", err.Error())
	}
	switch {
	case err == nil:
		res.Sent++
		return false, false, d.outbox.Sent(ctx, m.ID, now)
	case mostOnce && !IsNotDelivered(err):
		return false, false, d.dead(context.WithoutCancel(ctx), m, now, "the outcome of the attempt is unknown; at_most_once: not sent again: "+err.Error(), res)
	case ctx.Err() != nil:
		// Stopping: the attempt counts, and the message is due again at once.
		return fault, false, errors.Join(ctx.Err(), d.outbox.Fail(context.WithoutCancel(ctx), m.ID, now, false, err.Error()))
	case IsPermanent(err) && !fault:
		return false, false, d.dead(ctx, m, now, err.Error(), res)
	case n >= retry.Attempts:
		return fault, false, d.dead(ctx, m, now, fmt.Sprintf("%d attempts failed, the last: %s", n, err), res)
	}
	res.Failed++
	// The receiver's own wait (Retry-After, Telegram's retry_after) is
	// kept when it is longer than the backoff, up to Retry.Max: a bound,
	// so that a receiver asking for days does not hold the message that
	// long.
	next := kept(callAt, now.Add(max(Backoff(n, retry.Base, retry.Max, d.o.rand()), wait)))
	d.o.log.Info("deliver: attempt failed", "id", m.ID, "key", m.Key, "channel", m.Channel, "attempt", n, "next", next, "error", err.Error())
	return fault, !next.After(callAt), d.outbox.Fail(ctx, m.ID, next, false, err.Error())
}

// lastKept is the last instant of the years 1678 to 2261 in which the
// outbox keeps instants, in UTC.
var lastKept = time.Date(2261, time.December, 31, 23, 59, 59, 999999999, time.UTC)

// kept returns t, the stamp of an attempt of a Deliver call at callAt,
// held at the end of the years the outbox keeps instants in, or at callAt
// where that is later (an instant of 2261 west of UTC): an attempt stamped
// seconds after a call near the end of 2261, or due again a backoff later,
// is stamped with an instant the call itself was let in with, never one
// the outbox may refuse halfway through the call.
func kept(callAt, t time.Time) time.Time {
	end := lastKept
	if callAt.After(end) {
		end = callAt
	}
	if t.After(end) {
		return end
	}
	return t
}

// dead moves the message, whose attempt has begun, to the dead letters.
func (d *Dispatcher) dead(ctx context.Context, m Message, now time.Time, reason string, res *DeliverResult) error {
	res.Dead++
	d.o.log.Warn("deliver: dead letter", "id", m.ID, "key", m.Key, "channel", m.Channel, "reason", reason)
	return d.outbox.Fail(ctx, m.ID, now, true, reason)
}

// MinRunEvery is the shortest interval of Run, and of goalkit notify's
// -every and goalkit serve's -tick and -snapshot-every. A round (a notify
// cycle, a serve tick) reads the tracker or the source and the outbox,
// and a shorter interval delivers nothing sooner (digests are due to the
// minute, retries after their backoff): it only runs rounds back to back
// against the store.
const MinRunEvery = time.Second

// Run ticks and delivers every interval (default one minute: every 0 or
// less) at the dispatcher's clock (default the wall clock) until ctx ends,
// logging errors; it returns ctx's error. An interval under one second is
// refused at once, with an error (also logged, for a host that runs it in
// a goroutine of its own) naming it: a round ticks the tracker and reads
// the outbox, and a shorter interval delivers nothing sooner (digests are
// due to the minute, retries after their backoff), it only runs rounds
// back to back against the outbox.
func (d *Dispatcher) Run(ctx context.Context, every time.Duration) error {
	if every <= 0 {
		every = time.Minute
	}
	if every < MinRunEvery {
		err := fmt.Errorf("deliver: Run: every %s is shorter than %s: a round ticks the tracker and reads the outbox, and a shorter interval only runs rounds back to back", every, MinRunEvery)
		d.o.log.Error("deliver: run", "error", err.Error())
		return err
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		now := d.o.clock()
		if _, err := d.Tick(ctx, now); err != nil && ctx.Err() == nil {
			d.o.log.Error("deliver: tick", "error", err.Error())
		}
		if _, err := d.Deliver(ctx, now); err != nil && ctx.Err() == nil {
			d.o.log.Error("deliver: deliver", "error", err.Error())
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
