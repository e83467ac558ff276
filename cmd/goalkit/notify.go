package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/bitrix24/b24cmd"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/plainhttp"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
)

// snapshotEveryProblem is the usage error of a -snapshot-every (of goalkit
// serve and goalkit worker) that is negative or, other than 0 (never),
// shorter than deliver.MinRunEvery: a snapshot writes every event version the
// state holds, so a shorter interval writes them back to back.
func snapshotEveryProblem(d time.Duration) error {
	switch {
	case d < 0:
		return usagef("-snapshot-every: %s is negative (0: never)", d)
	case d > 0 && d < deliver.MinRunEvery:
		return usagef("-snapshot-every must be 0 (never) or at least %s, got %s: a snapshot writes every event version the state holds, and a shorter interval writes them back to back", deliver.MinRunEvery, d)
	}
	return nil
}

// notifyClock is the clock of goalkit notify's cycles (a test's own).
var notifyClock = time.Now

// notifyNow reads notifyClock. A reading outside the years 1678 to 2261
// is refused naming it: the outbox keeps its instants (a message's next
// try, a key's routing) as int64 nanoseconds, and a tick past 9999 is no
// instant a report can be as of. The engine's or the outbox's refusal
// named an instant the user never gave, and a delivery could fail after
// its message was sent.
func notifyNow() (time.Time, error) {
	now := notifyClock()
	return now, notifyYears(now)
}

// notifyYears is the refusal of a clock's reading now outside the years
// 1678 to 2261 (notifyNow), nil inside them.
func notifyYears(now time.Time) error {
	if !colstore.InYears(now) {
		return fmt.Errorf("the clock reads %s, outside the years 1678 to 2261 in which the outbox keeps instants: set the machine's clock", now.Format(time.RFC3339))
	}
	return nil
}

// runNotify implements `goalkit notify`: the plan's notifications and the
// scheduled digests, delivered to the recipients of a channels file through
// its outbox. Each cycle tracks the source's events afresh and ticks to
// now; keys already routed are not routed again, so a cycle, a restart or
// a crash never sends twice what the outbox holds.
func runNotify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("notify", stderr)
	var in inputs
	in.define(fs, eventsUsage, "with -once, tick as of this RFC 3339 instant (default now)")
	sourceSpec := fs.String("source", "", "read events from a database instead of -events: sqlite:FILE or postgres://…")
	in.defineMapping(fs)
	channels := fs.String("channels", "", "the delivery file (YAML): outbox, channels, recipients")
	dirPath := fs.String("directory", "", "the organisation as JSON, as goalkit directory writes it: who heads whom, for visibility")
	once := fs.Bool("once", false, "tick and deliver once, print what was done, and exit")
	every := fs.Duration("every", time.Minute, "without -once, how often to tick and deliver; at least 1s: each cycle reads the whole source again, and a shorter interval than a cycle takes runs them back to back against the store")
	since := defineInstant(fs, "since", "notify of transitions from this RFC 3339 instant (default: from the start of each goal period)")
	verbose := fs.Bool("v", false, "log each failed attempt")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *channels == "" {
		return usagef("-channels is required")
	}
	if *every < deliver.MinRunEvery {
		return usagef("-every %s is shorter than %s: each cycle reads the whole source again, so a shorter interval runs cycles back to back against the store", *every, deliver.MinRunEvery)
	}
	if in.asOf.given() && !*once {
		return usagef("-as-of goes with -once")
	}
	everyGiven := false
	fs.Visit(func(f *flag.Flag) { everyGiven = everyGiven || f.Name == "every" })
	if everyGiven && *once {
		return usagef("-every goes without -once: -once ticks and delivers once")
	}
	// One tick as of an instant before -since judges no transition: the
	// run would notify nothing and say nothing of why. A loop's later
	// cycles reach -since; -once never does.
	at, err := in.at()
	if err != nil {
		return err
	}
	// The outbox keeps its instants in the years 1678 to 2261: an -as-of
	// past them was refused by the dispatcher's tick, in its words of a
	// clock set wrong, though the instant was the user's.
	if in.asOf.given() && !colstore.InYears(at) {
		return usagef("-as-of %s is outside the years 1678 to 2261 in which the outbox keeps instants: give one inside them", in.asOf.text)
	}
	if *once && since.given() && since.t.After(at) {
		asOf := "-as-of " + in.asOf.text
		if !in.asOf.given() {
			asOf = "now (" + at.UTC().Format(time.RFC3339) + "; -as-of not given)"
		}
		return usagef("-since %s is later than %s: -once ticks once, as of -as-of, and would notify of nothing", since.text, asOf)
	}
	cfg, err := deliver.ReadConfig(*channels)
	if err != nil {
		return err
	}
	var plan *goalkit.Plan
	var src kpi.Source
	if *sourceSpec != "" {
		var closeDB func() error
		if plan, src, closeDB, err = in.loadFromDatabase(ctx, *sourceSpec); err != nil {
			return err
		}
		defer closeDB()
	} else if plan, src, err = in.loadOrSource(ctx); err != nil {
		return err
	}
	var opts []deliver.Option
	var evalOpts []goalkit.EvalOption
	if *dirPath != "" {
		dir, err := readDirectory(*dirPath)
		if err != nil {
			return err
		}
		opts = append(opts, deliver.WithDirectory(dir))
		evalOpts = append(evalOpts, goalkit.WithDirectory(dir))
	}
	if since.given() {
		evalOpts = append(evalOpts, goalkit.WithNotificationsSince(since.t))
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelInfo
	}
	opts = append(opts, deliver.WithLogger(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))))
	co := deliver.ChannelOptions{}
	if n, err := bitrix24Notifier(cfg); err != nil {
		return err
	} else if n != nil {
		co.Bitrix24 = n
	}
	chans, err := cfg.OpenChannels(co)
	if err != nil {
		return err
	}
	ob, err := deliver.OpenOutbox(ctx, cfg.Outbox)
	if err != nil {
		return err
	}
	defer ob.Close()
	// One dispatcher delivers for as long as the command runs, so that a
	// channel's wait (a 429's Retry-After) holds across cycles; each
	// cycle's own dispatcher, over its fresh tracker, only routes. The
	// sender's tracker is never ticked: Deliver reads the outbox alone.
	idle, err := plan.Track(ctx, memory.NewTrackStore(), evalOpts...)
	if err != nil {
		return err
	}
	defer idle.Close()
	sender, err := deliver.New(plan, idle, cfg, ob, chans, opts...)
	if err != nil {
		return err
	}

	// last is the latest instant a cycle's tick committed: a cycle whose
	// clock reads earlier (set back) ticks at it, as one dispatcher would,
	// so that no earlier day's digest is routed after a later one's.
	var last time.Time
	cycle := func(asOf time.Time) (deliver.TickResult, deliver.DeliverResult, error) {
		if asOf.Before(last) {
			asOf = last
		}
		// The tracker is fresh each cycle, over the source as it is now;
		// its ledger starts with the keys routed before, so that it knows
		// what was emitted (an achievement taken back since is revoked),
		// and when, as the notification's JSON (a cycle as of an earlier
		// instant takes back nothing told after it).
		var emitted []kpi.TrackRecord
		if err := ob.RoutedKeys(ctx, func(key string, at time.Time) error {
			r := kpi.TrackRecord{Key: key}
			if !at.IsZero() {
				data, err := json.Marshal(goal.Notification{Key: key, At: at})
				if err != nil {
					return err
				}
				r.Data = data
			}
			emitted = append(emitted, r)
			return nil
		}); err != nil {
			return deliver.TickResult{}, deliver.DeliverResult{}, err
		}
		tr, err := trackSource(ctx, plan, src, emitted, evalOpts)
		if err != nil {
			return deliver.TickResult{}, deliver.DeliverResult{}, err
		}
		defer tr.Close()
		d, err := deliver.New(plan, tr, cfg, ob, chans, opts...)
		if err != nil {
			return deliver.TickResult{}, deliver.DeliverResult{}, err
		}
		tick, err := d.Tick(ctx, asOf)
		if err != nil {
			return tick, deliver.DeliverResult{}, err
		}
		last = asOf
		now, err := notifyNow()
		if err != nil {
			return tick, deliver.DeliverResult{}, fmt.Errorf("%w; nothing was delivered", err)
		}
		res, err := sender.Deliver(ctx, now)
		return tick, res, err
	}
	if *once {
		at, err := in.at()
		if err != nil {
			return err
		}
		if !in.asOf.given() {
			if err := notifyYears(at); err != nil {
				return fmt.Errorf("%w, or give -as-of; nothing was ticked or delivered", err)
			}
		}
		tick, res, err := cycle(at)
		if err != nil {
			return err
		}
		left := 0
		for _, st := range []deliver.State{deliver.Pending, deliver.Sending} {
			es, err := ob.Entries(ctx, st)
			if err != nil {
				return err
			}
			left += len(es)
		}
		dead, err := ob.Entries(ctx, deliver.Dead)
		if err != nil {
			return err
		}
		held := ""
		if res.Rested > 0 {
			// A channel's own failure (a refused login, a webhook's 401)
			// rests it for the round: its other messages wait untried.
			held = fmt.Sprintf(", held back %d (their channel failed: tried next run)", res.Rested)
		}
		fmt.Fprintf(stdout, "routed %d notifications and %d digests into %d messages; sent %d, failed %d (to retry), dead %d%s; %d waiting, %d dead letters in all\n",
			tick.Notifications, tick.Digests, tick.Messages, res.Sent, res.Failed, res.Dead, held, left, len(dead))
		return nil
	}
	t := time.NewTicker(*every)
	defer t.Stop()
	for {
		// A clock outside the years is said each cycle, and the cycle
		// ticks and delivers nothing: the next one may find it set.
		if now, err := notifyNow(); err != nil {
			fmt.Fprintf(stderr, "goalkit notify: %v; this cycle ticked and delivered nothing\n", err)
		} else if _, _, err := cycle(now); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			fmt.Fprintf(stderr, "goalkit notify: %v\n", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// trackSource returns an in-memory tracker of the plan seeded with the
// events of src (goalkit.WithSeed); its ledger starts with the keys of
// emitted.
func trackSource(ctx context.Context, plan *goalkit.Plan, src kpi.Source, emitted []kpi.TrackRecord, opts []goalkit.EvalOption) (*goalkit.Tracker, error) {
	store := memory.NewTrackStore()
	if len(emitted) > 0 {
		if err := store.Commit(ctx, &kpi.TrackBatch{Ledger: emitted}); err != nil {
			return nil, err
		}
	}
	return plan.Track(ctx, store, append(slices.Clone(opts), goalkit.WithSeed(src))...)
}

// bitrix24Notifier returns the portal's client for the configuration's
// bitrix24 channels (nil when it has none): its inbound webhook URL comes
// from the channel's url_env, or $GOALKIT_BITRIX24_URL.
func bitrix24Notifier(cfg *deliver.Config) (deliver.Notifier, error) {
	for _, ch := range cfg.Channels {
		if ch.Type != deliver.TypeBitrix24 {
			continue
		}
		name := ch.URLEnv
		if name == "" {
			name = b24cmd.EnvURL
		}
		u := os.Getenv(name)
		if u == "" {
			return nil, fmt.Errorf("%s:%d: channel %q: the variable %s is not set", cfg.File, ch.Line, ch.Name, name)
		}
		// The webhook's URL holds its token: over http:// it would travel
		// in clear text, as deliver refuses for a Slack URL (http:// to
		// localhost, in any case, or a loopback address is taken).
		if pu, err := url.Parse(u); err == nil && plainhttp.InClear(pu) {
			return nil, fmt.Errorf("%s:%d: channel %q: the variable %s holds an http:// URL: the portal's webhook URL holds its token, and would travel in clear text; it must be https:// (http:// only to localhost or a loopback address)", cfg.File, ch.Line, ch.Name, name)
		}
		cl, err := bitrix24.New(bitrix24.Webhook(u))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: channel %q: %w", cfg.File, ch.Line, ch.Name, err)
		}
		return cl, nil
	}
	return nil, nil
}

// openDelivery opens the delivery of the channels file over a live tracker
// (goalkit serve) and ticks it once: the dispatcher adopts what the
// tracker's ledger held before, and routes what it emits from now on.
func openDelivery(ctx context.Context, plan *goalkit.Plan, tr *goalkit.Tracker, path string, dir org.Directory, logger *slog.Logger) (*deliver.Dispatcher, error) {
	cfg, err := deliver.ReadConfig(path)
	if err != nil {
		return nil, err
	}
	opts := []deliver.Option{deliver.WithLogger(logger)}
	if dir != nil {
		opts = append(opts, deliver.WithDirectory(dir))
	}
	var co deliver.ChannelOptions
	if n, err := bitrix24Notifier(cfg); err != nil {
		return nil, err
	} else if n != nil {
		co.Bitrix24 = n
	}
	d, err := deliver.Open(ctx, plan, tr, cfg, co, opts...)
	if err != nil {
		return nil, err
	}
	if _, err := d.Tick(ctx, time.Now()); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}
