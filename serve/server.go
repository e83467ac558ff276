package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/dashboard"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
)

// DefaultMaxBody is the largest ingestion body accepted by default (64 MiB);
// a larger one is refused with 413.
const DefaultMaxBody = 64 << 20

// Config says how a Server serves a tracker.
type Config struct {
	// Auth tells who makes each request; required. TokenFile and ProxyAuth
	// are built in; Open (everyone an admin) is for a local trial only.
	Auth Authenticator
	// Directory is the organisation the default visibility policy reads
	// (teams, heads); nil: users see their own rows and the company's.
	// The dashboard names units by it, and people too where it is also a
	// UserNamer.
	Directory org.Directory
	// Policy replaces the default visibility policy,
	// goal.DefaultVisibility over Directory on the report's date.
	Policy goal.VisibilityPolicy
	// Options are the options the tracker was started with (WithDirectory,
	// WithGroups…): explanations and daily series evaluate with them.
	Options []goalkit.EvalOption
	// MaxBody is the largest ingestion body in bytes; 0: DefaultMaxBody.
	MaxBody int64
	// Logger receives one line per request (never a token or a body);
	// nil: slog.Default().
	Logger *slog.Logger
	// Now is the clock; nil: time.Now. New calls it once and refuses a
	// clock that returns the zero time.
	Now func() time.Time
	// TickEvery is how often Run ticks the tracker (goal lifecycle,
	// notifications); 0: a minute. New refuses any other interval under a
	// second, as goalkit serve's -tick does: a tick evaluates the goals
	// and writes what they emit, and a shorter interval runs ticks back
	// to back.
	TickEvery time.Duration
	// SnapshotEvery is how often Run writes a snapshot of the tracker's
	// state to its store (kpi.Tracker.Snapshot), when something changed
	// since the last one, so that a restart reads the snapshot and the
	// batches after it instead of every batch; ListenAndServe writes a
	// last one at shutdown. The tracker's store must keep snapshots
	// (kpi.TrackSnapshotter). 0: never.
	SnapshotEvery time.Duration
	// PublicStandings shows leaderboards and competitions whole to every
	// viewer, as public standings; by default a viewer sees only the
	// standings of participants the policy lets them see (with their ranks).
	PublicStandings bool
	// ParticipantMetrics adds per-participant series (goal achievement) to
	// /metrics, which then needs an admin identity.
	ParticipantMetrics bool
	// NoDashboard leaves the dashboard out; by default it serves every path
	// outside the API, /openapi.yaml, /healthz, /readyz and /metrics.
	NoDashboard bool
	// Ingest, when set, makes the server the front of state kept
	// elsewhere (the workers of a partitioned log, docs/scale-out.md): an
	// ingested batch, checked whole as always, goes to Ingest instead of
	// the tracker, which is then a read replica that the host keeps
	// current and reports with Updated. Events reach Ingest without Known,
	// for the log to stamp (the server's clock may be fixed). The server does
	// not tick its tracker (notifications and automatic closes are the
	// owners'), its version check is the owners' too (every version of a
	// batch is passed on), and a period close is refused with 409.
	Ingest func(ctx context.Context, events []kpi.Event) error
}

// minTickEvery is the shortest Config.TickEvery, the shortest interval of
// goalkit serve's -tick and of deliver.Run (deliver.MinRunEvery).
const minTickEvery = time.Second

// Server is the HTTP service of one live tracker: the API under /api/v1/,
// its OpenAPI document at /openapi.yaml, /healthz, /readyz and /metrics. It
// is an http.Handler; Run ticks the tracker in the background.
type Server struct {
	plan    *goalkit.Plan
	tr      *goalkit.Tracker
	cfg     Config
	log     *slog.Logger
	mux     *http.ServeMux
	changes *changes
	org     atomic.Pointer[org.Org]
	ready   atomic.Bool
	metrics *metrics
	cache   reportCache
	ingest  sync.Mutex // one batch at a time: versions checks against applied ones
	vers    versions
	snap    snapshots
	// attrs are the plan's attribute types, which type the events posted
	// (read once: Plan.Definition copies the whole definition).
	attrs map[string]kpi.AttrType
	// names are the units' names of the directory read last (Name).
	names atomic.Pointer[unitNames]
}

// New returns the server of the tracker tr of plan; a tracker that plan's
// Track did not start (one of another plan, or of another Compile of the
// same definition) is refused. It reads the tracker's
// events once, to know the versions already applied (ingestion is
// idempotent), and the directory once (Run reads it again at every tick).
func New(ctx context.Context, plan *goalkit.Plan, tr *goalkit.Tracker, cfg Config) (*Server, error) {
	if plan == nil || tr == nil {
		return nil, errors.New("serve: a plan and its tracker are required")
	}
	if tr.Plan() != plan {
		// Its reports would be of the other plan's definitions while the
		// server reads this plan's (attributes, leaderboards, periods).
		return nil, errors.New("serve: the tracker tracks another plan than the one given (start it with this plan's Track)")
	}
	if cfg.Auth == nil {
		return nil, errors.New("serve: an Authenticator is required")
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	} else if cfg.Now().IsZero() {
		// Every read is as of the clock's instant: each would be a 500.
		return nil, errors.New("serve: Config.Now returned the zero time; every read needs the instant it answers as of")
	}
	switch {
	case cfg.TickEvery == 0:
		cfg.TickEvery = time.Minute
	case cfg.TickEvery < minTickEvery:
		return nil, fmt.Errorf("serve: Config.TickEvery %s is shorter than %s: a tick evaluates the goals and writes what they emit to the store, and a shorter interval runs ticks back to back (0: a minute)", cfg.TickEvery, minTickEvery)
	}
	s := &Server{plan: plan, tr: tr, cfg: cfg, log: cfg.Logger, changes: newChanges()}
	def := plan.Definition()
	s.attrs = def.Attributes
	if err := s.loadOrg(ctx); err != nil {
		return nil, err
	}
	s.checkTeams()
	if err := s.vers.load(ctx, tr); err != nil {
		return nil, fmt.Errorf("serve: reading the tracker's events: %w", err)
	}
	s.metrics = newMetrics(s)
	var dash http.Handler
	if !cfg.NoDashboard {
		var err error
		dash, err = dashboard.New(s, dashboard.Options{
			Viewer: func(r *http.Request) (goal.Viewer, bool) {
				id, ok := s.Viewer(r)
				return id.Viewer, ok
			},
			// To the second, as the API's default instant: the pages
			// read in one second share one evaluation (the report
			// cache's), as its readers do; at the clock's nanosecond each
			// page evaluated a report of its own.
			Now:       func() time.Time { return cfg.Now().Truncate(time.Second) },
			StreamURL: "/api/v1/stream",
			Logger:    cfg.Logger,
		})
		if err != nil {
			return nil, fmt.Errorf("serve: %w", err)
		}
	}
	s.routes(dash)
	s.ready.Store(true)
	return s, nil
}

// checkTeams warns of each team of a tokens file that is no unit of the
// directory (or of any, without a directory): a token of a mistyped team
// ("nrth") saw nothing of any team, and nothing said why.
func (s *Server) checkTeams() {
	tf, ok := s.cfg.Auth.(*TokenFile)
	o := s.org.Load()
	if !ok || o == nil {
		return
	}
	for _, t := range tf.Tokens {
		for _, team := range t.Identity.Teams {
			if !o.Has(team) {
				s.log.Warn("tokens: a team that is no unit of the directory: the token sees nothing of it", "token", t.Name, "team", team)
			}
		}
	}
}

// loadOrg reads the directory.
func (s *Server) loadOrg(ctx context.Context) error {
	o, err := org.Load(ctx, s.cfg.Directory)
	if err != nil {
		return fmt.Errorf("serve: reading the directory: %w", err)
	}
	s.org.Store(o)
	return nil
}

// sameOrg reports whether two readings of the directory hold the same
// units and memberships, in the same order.
func sameOrg(a, b *org.Org) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil {
		return false
	}
	return slices.Equal(a.Units(), b.Units()) && slices.Equal(a.Memberships(), b.Memberships())
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Run ticks the tracker every Config.TickEvery until ctx is done, reading
// the directory again at each tick; each tick that emits anything is a
// change for the stream. With Config.SnapshotEvery it also writes the
// tracker's snapshots. It returns ctx's error.
func (s *Server) Run(ctx context.Context) error {
	t := time.NewTicker(s.cfg.TickEvery)
	defer t.Stop()
	var snap <-chan time.Time // nil: never
	if s.cfg.SnapshotEvery > 0 && s.cfg.Ingest == nil {
		st := time.NewTicker(s.cfg.SnapshotEvery)
		defer st.Stop()
		snap = st.C
	}
	s.tick(ctx)
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			s.tick(ctx)
		case <-snap:
			s.snapshot(ctx)
		}
	}
}

// tick moves the tracker's goals to now; errors are logged, not fatal: the
// next tick notices whatever this one missed.
func (s *Server) tick(ctx context.Context) {
	before := s.org.Load()
	if err := s.loadOrg(ctx); err != nil {
		s.log.Error("tick: directory", "err", err)
	}
	// A directory that changed (a team moved, a head named) changes what
	// each scope sees and the teams' rows: open pages reload.
	moved := !sameOrg(before, s.org.Load())
	if s.cfg.Ingest != nil {
		// The owners of the state tick it; the directory just read may
		// change what each scope sees (and the teams' rows): the reports
		// and views cached before it are stale.
		if moved {
			s.changed()
			return
		}
		s.cache.clear()
		return
	}
	// The goals move along to the server's clock: one outside the years a
	// notification is stamped in is said to be the clock, as a read says
	// it; the log had the engine's refusal of an instant
	// ("TickCommitted: asOf …") no operator gave.
	now := s.cfg.Now()
	err := recordYears(now)
	var c goalkit.Committed
	if err == nil {
		c, err = s.tr.TickCommitted(ctx, now)
	}
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("tick", "err", err)
		}
		if moved {
			s.changed()
			return
		}
		s.cache.clear() // the directory read all the same
		return
	}
	if len(c.Notifications) > 0 || moved {
		s.changed()
		return
	}
	// A tick may close goals (their records) without a notification to
	// emit: the reports cached before it are stale all the same, and the
	// batch of their records is one for the next snapshot to cover. The
	// streams stay quiet: nothing was told, and a page reads the records
	// at its next load. A tick that committed only its instant asks for
	// no snapshot.
	if len(c.Records) > 0 {
		s.snap.closes.Add(1)
	}
	s.cache.clear()
}

// changed marks a change: cached reports are stale and streams wake.
func (s *Server) changed() {
	s.cache.clear()
	s.changes.notify()
}

// Updated tells the server that its tracker changed outside it (a read
// replica that applied a batch, Config.Ingest): cached reports are dropped
// and change streams wake.
func (s *Server) Updated() { s.changed() }

// Shutdown marks the server not ready (/readyz answers 503) and ends the
// change streams, so that http.Server.Shutdown does not wait for them.
func (s *Server) Shutdown() {
	s.ready.Store(false)
	s.changes.close()
}

// Plan returns the plan served.
func (s *Server) Plan() *goalkit.Plan { return s.plan }

// Changed returns a channel closed at the next change: an applied batch, a
// tick that emitted notifications, a closed period, an Updated, or
// Shutdown.
func (s *Server) Changed() <-chan struct{} {
	ch, _ := s.changes.wait()
	return ch
}

// now is the server's clock.
func (s *Server) now() time.Time { return s.cfg.Now() }
