package dashboard

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync/atomic"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
)

// Data is what the dashboard reads; a host implements it over a live
// goalkit.Tracker.
type Data interface {
	Plan() *goalkit.Plan
	// Report returns the report as of asOf as the viewer may see it
	// (visibility already applied). One that holds a nil goal row or
	// cascade tree or node is a failure (500, logged naming it).
	Report(ctx context.Context, v goal.Viewer, asOf time.Time) (*goalkit.Report, error)
	// Explain explains one cell as the viewer may see it. A cell that
	// does not exist, or whose participant the viewer may not see, is an
	// error that wraps fs.ErrNotExist (and reveals nothing): the page
	// answers 404 "no explanation". Any other error is a failure: the page
	// answers 500 with nothing of it, and it goes to Options.Logger, as
	// does an explanation with a nil input (named: "inputs[1] is nil").
	Explain(ctx context.Context, v goal.Viewer, asOf time.Time, c goalkit.Cell) (*kpi.Explanation, error)
	// Changed returns a channel that is closed at the next change (an
	// applied batch, a tick, a close). Asked again after that change, it
	// returns the same channel, closed, when the data will not change
	// again (a server shut down): the dashboard's stream then ends.
	// It gives the one channel until the change: a page carries the
	// version of the channel before it read the report, and its stream
	// tells it at once of a change since (a new channel at each call
	// reads as a change at each connection).
	Changed() <-chan struct{}
}

// Options configure the dashboard.
type Options struct {
	// Viewer says who asks; false: the dashboard answers 401 with a body
	// that reveals nothing.
	Viewer func(r *http.Request) (goal.Viewer, bool)
	// Now is the clock of the as-of instant of every page; nil: time.Now.
	// New calls it once and refuses a clock that returns the zero time; a
	// page asked while it does answers 500, naming the clock.
	Now func() time.Time
	// StreamURL is the Server-Sent Events stream the page listens to for
	// changes; empty: the dashboard serves its own at /changes from
	// Data.Changed.
	StreamURL string
	// KioskRefresh is how often a page in kiosk mode (?kiosk=1) reloads its
	// numbers besides the stream's changes; 0: every minute.
	KioskRefresh time.Duration
	// Heartbeat is how often the dashboard's own stream writes a comment
	// so that proxies keep it open; 0: every 25 seconds.
	Heartbeat time.Duration
	// Logger receives a line for each page that fails (the viewer sees
	// only that it cannot be shown), and for the report an explanation
	// names its participants by, when it fails: the page's path and the
	// error, never the viewer, the query or a cookie; none for a request
	// its viewer gave up; nil: slog.Default(). A Data need not log its
	// own failures: the line of the page says them.
	Logger *slog.Logger
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// handler serves the dashboard.
type handler struct {
	data  Data
	opts  Options
	pages map[string]*template.Template
	mux   *http.ServeMux
	csp   string
	// defs is what the pages read of the plan's definition (request.defs).
	defs atomic.Pointer[planDefs]
}

// New returns the dashboard over d: pages under "/", assets under
// "/assets/", and, without Options.StreamURL, its stream of changes at
// "/changes".
func New(d Data, o Options) (http.Handler, error) {
	if d == nil {
		return nil, errors.New("dashboard: no data")
	}
	if isNil(d) {
		return nil, fmt.Errorf("dashboard: no data: a nil %T", d)
	}
	if o.Viewer == nil {
		return nil, errors.New("dashboard: Options.Viewer is required")
	}
	if d.Plan() == nil {
		return nil, errors.New("dashboard: the data has no plan")
	}
	if o.Now == nil {
		o.Now = time.Now
	} else if o.Now().IsZero() {
		return nil, errors.New("dashboard: Options.Now returned the zero time; every page needs the instant it shows")
	}
	if o.KioskRefresh <= 0 {
		o.KioskRefresh = time.Minute
	}
	if o.Heartbeat <= 0 {
		o.Heartbeat = defaultHeartbeat
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	pages, err := parsedTemplates()
	if err != nil {
		return nil, err
	}
	origin, err := streamOrigin(o.StreamURL)
	if err != nil {
		return nil, fmt.Errorf("dashboard: Options.StreamURL %q: %w", o.StreamURL, err)
	}
	h := &handler{data: d, opts: o, pages: pages, mux: http.NewServeMux(), csp: contentSecurityPolicy(origin)}
	assets, err := fs.Sub(assetFS, "assets")
	if err != nil {
		return nil, err
	}
	h.mux.Handle("GET /assets/", http.StripPrefix("/assets/", assetServer(assets)))
	h.mux.HandleFunc("GET /{$}", h.page(h.goals))
	h.mux.HandleFunc("GET /goal", h.page(h.goalDetail))
	h.mux.HandleFunc("GET /ranking", h.page(h.ranking))
	h.mux.HandleFunc("GET /scorecards", h.page(h.scorecards))
	h.mux.HandleFunc("GET /teams", h.page(h.teams))
	h.mux.HandleFunc("GET /cascades", h.page(h.cascades))
	h.mux.HandleFunc("GET /breakdowns", h.page(h.breakdowns))
	h.mux.HandleFunc("GET /stats", h.page(h.stats))
	h.mux.HandleFunc("GET /explain", h.page(h.explain))
	if o.StreamURL == "" {
		h.mux.HandleFunc("GET /changes", h.changes)
	}
	h.mux.HandleFunc("/", h.notFound)
	return h, nil
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "same-origin")
	w.Header().Set("X-Frame-Options", "DENY")
	h.mux.ServeHTTP(w, r)
}

// contentSecurityPolicy allows scripts, styles and connections to the
// page's own origin only (and the stream's, when it is elsewhere): no
// inline script, no inline style attribute, nothing from a CDN.
func contentSecurityPolicy(origin string) string {
	connect := "'self'"
	if origin != "" {
		connect += " " + origin
	}
	return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"connect-src " + connect + "; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}

// streamOrigin is the origin of a stream's address that the page's policy
// lets it connect to: "" for a path (the page's own origin), the scheme and
// host of an absolute http or https address, the host alone of one
// without a scheme (//host/path, of the page's scheme). An address of
// another scheme, or whose host is no host name or address (which would
// be written into the policy as it is), is an error.
func streamOrigin(stream string) (string, error) {
	u, err := url.Parse(stream)
	if err != nil {
		return "", err
	}
	switch {
	case u.Scheme == "" && u.Host == "" && !strings.HasPrefix(stream, "//"):
		return "", nil
	case u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("want a path or an http or https address, got the scheme %q", u.Scheme)
	case u.Hostname() == "":
		return "", errors.New("an address of another origin needs a host")
	}
	for _, r := range u.Hostname() {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '.' || r == ':') {
			return "", fmt.Errorf("%q is no host name or address", u.Hostname())
		}
	}
	if u.Scheme == "" {
		return u.Host, nil
	}
	return u.Scheme + "://" + u.Host, nil
}

// assetServer serves the embedded assets with a short cache lifetime.
func assetServer(fsys fs.FS) http.Handler {
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || r.URL.Path[len(r.URL.Path)-1] == '/' {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=300")
		files.ServeHTTP(w, r)
	})
}

// isNil reports whether d holds a nil pointer, map, slice, function or
// channel of a host's type: an interface that is not nil, whose methods
// would panic on their first field.
func isNil(d Data) bool {
	v := reflect.ValueOf(d)
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
		return v.IsNil()
	}
	return false
}
