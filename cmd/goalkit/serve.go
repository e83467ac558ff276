package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/plainhttp"
	"github.com/goalkit/goalkit/serve"
)

// defaultServeDB is the SQLite file `goalkit serve` keeps its events in
// when -source does not name a database.
const defaultServeDB = "goalkit-serve.db"

// proxySecretEnv names the environment variable that holds the trusted
// proxy's shared secret (never a flag: flags show in process lists).
const proxySecretEnv = "GOALKIT_PROXY_SECRET"

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	planPath := fs.String("plan", "", "plan file (YAML or JSON)")
	eventsPath := fs.String("events", "", "events file (.ndjson, .jsonl or .csv) applied at start; versions applied before are not applied again")
	spec := fs.String("source", "", "the database of the live tracker: sqlite:FILE or postgres://… (default sqlite:"+defaultServeDB+"), or nats://HOST:PORT[/TENANT]: a front of the tenant's workers (docs/scale-out.md)")
	dirPath := fs.String("directory", "", "the organisation as JSON: teams, heads (who sees whom)")
	tokensPath := fs.String("tokens", "", "tokens file (YAML): bearer tokens, their users, roles and teams")
	proxy := fs.Bool("proxy", false, "trust a reverse proxy's identity headers; the shared secret is in $"+proxySecretEnv)
	addr := fs.String("addr", "", "listen address (default :8080, or localhost:8080 without -tokens or -proxy)")
	maxBody := fs.Int64("max-body", serve.DefaultMaxBody, "largest ingestion body in bytes (larger: 413)")
	tick := fs.Duration("tick", time.Minute, "how often goals move along in time (notifications, automatic close); at least 1s: a tick evaluates the goals and writes what they emit to the store (with -channels, reads the outbox too), and a shorter interval than a tick takes runs ticks back to back")
	snapshotEvery := fs.Duration("snapshot-every", 10*time.Minute, "how often the tracker's state is written to its database as a snapshot (and once at shutdown), so that a restart reads it and the batches after it; 0: never")
	public := fs.Bool("public-standings", false, "show leaderboards and competitions whole to every viewer")
	perParticipant := fs.Bool("participant-metrics", false, "per-participant series in /metrics (which then needs an admin)")
	logFormat := formatFlagNamed(fs, "log", "log `format` on stderr (requests, and what serve says of itself)", "text", "json")
	asOf := defineInstant(fs, "as-of", "serve as of this RFC 3339 instant, a fixed clock (a demo of past events); default now. Outside the years 1678 to 2261 the server only reads: a start says so, and with -events it is refused")
	channels := fs.String("channels", "", "delivery file (YAML, docs/deliver.md): deliver the plan's notifications and digests while serving")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *planPath == "" {
		return usagef("-plan is required")
	}
	if *tokensPath != "" && *proxy {
		return usagef("-tokens and -proxy exclude each other")
	}
	if *channels != "" && asOf.given() {
		return usagef("-channels goes without -as-of: delivery runs on the wall clock")
	}
	// A version is known from the server's clock on, kept in the years
	// 1678 to 2261: -events as of an -as-of past them was refused in the
	// words of a host's clock set wrong, though the instant was the user's.
	if *eventsPath != "" && asOf.given() && !colstore.InYears(asOf.t) {
		return usagef("-as-of %s is outside the years 1678 to 2261 in which a version is known: -events cannot be applied as of it", asOf.text)
	}
	// serve.Config reads zero and below as its defaults: a limit or an
	// interval given on the command line must be one.
	switch {
	case *maxBody < 1:
		return usagef("-max-body must be at least 1 byte, got %d", *maxBody)
	case *tick < deliver.MinRunEvery:
		return usagef("-tick must be at least %s, got %s: a tick evaluates the goals and writes what they emit to the store, and a shorter interval runs ticks back to back", deliver.MinRunEvery, *tick)
	}
	if err := snapshotEveryProblem(*snapshotEvery); err != nil {
		return err
	}
	var auth serve.Authenticator = serve.Open
	switch {
	case *tokensPath != "":
		tf, err := serve.ReadTokenFile(*tokensPath)
		if err != nil {
			return err
		}
		auth = tf
	case *proxy:
		pa, err := serve.NewProxyAuth(os.Getenv(proxySecretEnv))
		if err != nil {
			return usagef("-proxy: $%s: %w", proxySecretEnv, err)
		}
		auth = pa
	}
	open := auth == serve.Open
	if *addr == "" {
		*addr = ":8080"
		if open {
			*addr = "localhost:8080"
		}
	}
	if open && !loopback(*addr) {
		return usagef("-addr %s: without -tokens or -proxy everyone is an admin; listen on localhost only", *addr)
	}
	if *spec == "" {
		*spec = "sqlite:" + defaultServeDB
	}
	if isNATS(*spec) {
		if *channels != "" {
			return usagef("-channels goes without a nats:// source: the tenant's workers own its notifications")
		}
		if *eventsPath != "" {
			return usagef("-events goes without a nats:// source: publish the file to the tenant (goalkit publish)")
		}
	} else if _, err := sourceFile(*spec); err != nil {
		return err
	}
	var now func() time.Time
	if asOf.given() {
		now = func() time.Time { return asOf.t }
	}

	def, plan, err := compilePlan(*planPath)
	if err != nil {
		return err
	}
	var opts []goalkit.EvalOption
	cfg := serve.Config{Auth: auth, Now: now, MaxBody: *maxBody, TickEvery: *tick, PublicStandings: *public, ParticipantMetrics: *perParticipant}
	if *dirPath != "" {
		dir, err := readDirectory(*dirPath)
		if err != nil {
			return err
		}
		opts = append(opts, goalkit.WithDirectory(dir))
		cfg.Directory = dir
	}
	cfg.Options = opts
	var h slog.Handler = slog.NewTextHandler(stderr, nil)
	if logFormat.name == "json" {
		h = slog.NewJSONHandler(stderr, nil)
	}
	cfg.Logger = slog.New(h)
	// What serve says of itself on stderr (the seed applied, the address)
	// goes in the log's format: under -log json a line of text among the
	// JSON records broke a collector that reads one record a line.
	var notes io.Writer = stderr
	if logFormat.name == "json" {
		notes = logLines{cfg.Logger}
	}

	// Listen before anything is opened or written: an address in use or
	// not one fails the command before the events are applied to the
	// database and delivery begins.
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	defer l.Close()
	var tr *goalkit.Tracker
	var front atomic.Pointer[serve.Server] // the server a replica reports its batches to
	if isNATS(*spec) {
		// The server fronts the tenant: a replica in memory follows its
		// log, and ingestion publishes to it.
		var cancel context.CancelCauseFunc
		ctx, cancel = context.WithCancelCause(ctx)
		defer cancel(nil)
		var release func()
		if tr, release, err = natsFront(ctx, cancel, *spec, plan, &cfg, &front, notes); err != nil {
			return err
		}
		defer release()
	} else {
		db, closeDB, err := openDatabase(ctx, *spec, true)
		if err != nil {
			return err
		}
		defer closeDB()
		ts, err := db.TrackStore()
		if err != nil {
			return err
		}
		if tr, err = plan.Track(ctx, ts, opts...); err != nil {
			return err
		}
		defer tr.Close()
		cfg.SnapshotEvery = *snapshotEvery // the SQL stores keep snapshots
	}
	if *channels != "" {
		// The dispatcher ticks first, before the server's ticks, so that it
		// adopts only what the tracker emitted before delivery was set up.
		d, err := openDelivery(ctx, plan, tr, *channels, cfg.Directory, cfg.Logger)
		if err != nil {
			return err
		}
		defer d.Close()
		// The delivery loop ends, and a round under way returns (an
		// attempt's outcome written to the outbox), before the deferred
		// closes of the outbox, the tracker and the database, as the
		// server's tick loop does in ListenAndServe; registered after
		// d.Close, this runs first, on every path out.
		runCtx, stopRun := context.WithCancel(ctx)
		ran := make(chan struct{})
		go func() {
			defer close(ran)
			_ = d.Run(runCtx, *tick) // Run logs its failures; its error is only runCtx's
		}()
		defer func() {
			stopRun()
			<-ran
		}()
	}
	srv, err := serve.New(ctx, plan, tr, cfg)
	if err != nil {
		return err
	}
	front.Store(srv)
	if *eventsPath != "" {
		events, err := readEvents(ctx, *eventsPath, def.Attributes)
		if err != nil {
			return err
		}
		n, err := srv.Seed(ctx, events)
		if err != nil {
			return fmt.Errorf("%s: %w", *eventsPath, err)
		}
		fmt.Fprintln(notes, seedNote(n, len(events), *eventsPath))
	}
	url := "http://" + l.Addr().String()
	if open {
		fmt.Fprintf(notes, "no -tokens or -proxy: every request is an admin (a local trial only)\n")
	}
	if asOf.given() && !colstore.InYears(asOf.t) {
		// Reads as of such an instant answer (a report commits nothing),
		// but every write was refused only once posted, and every tick
		// logged the clock: the start says so, in the flag's words.
		msg := "goalkit serve: warning: -as-of " + asOf.text + " is outside the years 1678 to 2261 in which a version is known and a record or a notification is stamped: the reports are read as of it, but every batch and close posted is refused (503), and no tick moves a goal along"
		if logFormat.name == "json" {
			cfg.Logger.Warn(msg)
		} else {
			fmt.Fprintln(stderr, msg)
		}
	}
	fmt.Fprintf(notes, "goalkit serve: listening on %s (events in %s)\n", url, redactSpec(*spec))
	err = serve.ListenAndServe(ctx, l, srv)
	if errors.Is(err, context.Canceled) {
		err = context.Cause(ctx) // a replica that failed, or nil
		if errors.Is(err, context.Canceled) {
			err = nil
		}
	}
	return err
}

// logLines writes each line written to it as a record of the logger.
type logLines struct{ l *slog.Logger }

func (w logLines) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimSuffix(string(p), "\n"), "\n") {
		w.l.Info(line)
	}
	return len(p), nil
}

// loopback reports whether addr listens on the loopback interface only:
// its host is localhost, in any case as host names are (LOCALHOST was
// refused), or a loopback address (127.0.0.2, [::1]), as plainhttp says of
// a URL's host. localhost. is not taken: Go looks a name with a final dot
// up in the DNS, not the hosts file, so the address it listens on would be
// the DNS server's to choose.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	return err == nil && plainhttp.Loopback(host)
}

// redactSpec is a database spec fit for a log: a postgres or NATS URL
// without its user information, query and fragment. An '@' after a '?'
// or a '#' is in the query or the fragment (a password=), or in user
// information that holds a '?' or a '#' unencoded: either way the URL is
// "the database", as the text after the '@' was printed, the end of the
// password.
func redactSpec(spec string) string {
	if strings.HasPrefix(spec, "sqlite:") {
		return spec
	}
	if i := strings.Index(spec, "://"); i >= 0 {
		rest := spec[i+3:]
		q := strings.IndexAny(rest, "?#")
		at := strings.LastIndex(rest, "@")
		if q >= 0 && at > q {
			return "the database"
		}
		rest = rest[at+1:] // all of it without an '@'
		if q := strings.IndexAny(rest, "?#"); q >= 0 {
			rest = rest[:q]
		}
		return spec[:i+3] + rest
	}
	return "the database"
}

// seedNote says how many of the total event versions of the file at path
// a start applied, and of the others, that they were applied before (by
// an earlier start, through the API, or earlier in the file); there are
// none when every version was applied, or when the file holds none.
func seedNote(n, total int, path string) string {
	applied := fmt.Sprintf("applied %d of the %d event versions of %s", n, total, path)
	switch {
	case total == 0:
		return fmt.Sprintf("applied no event versions: %s holds none", path)
	case n == total:
		return applied
	case total == 1:
		return applied + " (it was applied before)"
	case n == 0:
		return applied + " (each was applied before)"
	case total-n == 1:
		return applied + " (the other one was applied before)"
	}
	return fmt.Sprintf("%s (the other %d were applied before)", applied, total-n)
}
