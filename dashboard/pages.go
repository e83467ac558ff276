package dashboard

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
)

// pageFiles are the templates of the pages; each is parsed with the
// layout and the shared parts.
var pageFiles = []string{"goals.html", "goal.html", "ranking.html", "scorecards.html", "teams.html", "cascades.html", "explain.html", "message.html", "breakdowns.html", "stats.html"}

// funcs are the templates' helpers.
var funcs = template.FuncMap{
	// withLocale pairs an explanation with the locale, for the recursive
	// template of its inputs.
	"withLocale": func(l *locale, ex *explanationView) localized { return localized{L: l, Ex: ex} },
}

type localized struct {
	L  *locale
	Ex *explanationView
}

// parsedTemplates are the pages' templates, parsed once a process (at
// the first New) and shared by every dashboard: nothing adds to a
// template after it is parsed, and html/template executes one on many
// goroutines at once. Each New parsed them again, 4 ms and 17,000
// allocations, a third of the time of serve's route property under -race.
var parsedTemplates = sync.OnceValues(parseTemplates)

// parseTemplates parses each page's template with the layout and the
// shared parts.
func parseTemplates() (map[string]*template.Template, error) {
	pages := make(map[string]*template.Template, len(pageFiles))
	for _, name := range pageFiles {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/parts.html", "templates/"+name)
		if err != nil {
			return nil, err
		}
		pages[name] = t
	}
	return pages, nil
}

// A request is one page being answered: who asks, in which language, as of
// when, and the report they may see (read once, when first needed).
type request struct {
	h      *handler
	r      *http.Request
	viewer goal.Viewer
	l      *locale
	asOf   time.Time
	kiosk  bool
	rep    *goalkit.Report
	// version is the version of the channel of changes before the page
	// read anything: its stream tells it of a change since.
	version string
}

// report returns the viewer's report as of the request's instant.
func (q *request) report() (*goalkit.Report, error) {
	if q.rep == nil {
		rep, err := q.h.data.Report(q.r.Context(), q.viewer, q.asOf)
		if err != nil {
			return nil, err
		}
		if rep == nil {
			return nil, errors.New("dashboard: no report")
		}
		if err := rep.Check(); err != nil {
			// A host's report the engine would not make: named, where
			// the page panicked.
			return nil, fmt.Errorf("dashboard: Data.Report gave a report with a hole: %w", err)
		}
		q.rep = rep
	}
	return q.rep, nil
}

// link is the address of a page of the dashboard, relative to the page
// asking (every page sits at the top level), keeping kiosk mode.
func (q *request) link(path string, params url.Values) string {
	if q.kiosk {
		if params == nil {
			params = url.Values{}
		}
		params.Set("kiosk", "1")
	}
	if len(params) == 0 {
		return "./" + path
	}
	return "./" + path + "?" + params.Encode()
}

// A view is what the layout shows around a page's content.
type view struct {
	L       *locale
	Title   string
	Active  string
	AsOf    string
	Zone    string
	Kiosk   bool
	Stream  string
	Version string
	Refresh int
	Nav     []navLink
	Langs   []navLink
	Body    any
}

type navLink struct {
	Key, Text, Href string
	Active          bool
}

// A pageFunc builds a page: its template, title (a word key), nav entry and
// content.
type pageFunc func(q *request) (tmpl, title string, body any, err error)

// errNotFound makes a page answer 404 with a body that says nothing more.
var errNotFound = errors.New("not found")

func (h *handler) page(fn pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		l, chosen := pickLocale(r)
		if chosen {
			http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l.Lang, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true})
		}
		v, ok := h.opts.Viewer(r)
		if !ok {
			h.message(w, l, http.StatusUnauthorized, "unauthorized")
			return
		}
		q := &request{h: h, r: r, viewer: v, l: l, asOf: h.opts.Now(), kiosk: r.URL.Query().Get("kiosk") == "1"}
		if q.asOf.IsZero() {
			// The host's clock, not the data: say so, where every page
			// answered "cannot show this now" and nothing named the cause.
			h.failed(r, errors.New("dashboard: Options.Now returned the zero time"))
			h.message(w, l, http.StatusInternalServerError, "noclock")
			return
		}
		for _, y := range [...]int{q.asOf.Year(), q.asOf.UTC().Year()} {
			if y < 0 || y > 9999 {
				// The host's clock again: no report is as of an instant
				// outside these years, and every page answered "cannot
				// show this now" with a 500.
				at := q.asOf.Format(time.RFC3339)
				h.failed(r, fmt.Errorf("dashboard: Options.Now reads %s, outside the years 0000 to 9999 a report can be as of", at))
				h.messageText(w, l, http.StatusServiceUnavailable, fmt.Sprintf(l.T("clockyears"), at))
				return
			}
		}
		if name, values, twice := givenTwice(r.URL.Query()); twice {
			h.messageText(w, l, http.StatusBadRequest, fmt.Sprintf(l.T("param.twice"), name+" = "+strings.Join(values, ", ")))
			return
		}
		// The channel before the data: a change that comes after it,
		// even while the page is read, is one the stream tells the page
		// of when it connects.
		q.version = versionOf(h.data.Changed())
		tmpl, title, body, err := fn(q)
		var pe *periodError
		switch {
		case errors.As(err, &pe):
			status, key := http.StatusNotFound, pe.unknown
			if pe.malformed {
				status, key = http.StatusBadRequest, pe.bad
			}
			h.messageText(w, l, status, fmt.Sprintf(l.T(key), pe.label))
			return
		case errors.Is(err, errNotFound):
			h.message(w, l, http.StatusNotFound, "notfound")
			return
		case errors.Is(err, errUnexplained):
			h.message(w, l, http.StatusNotFound, "unavailable")
			return
		case err != nil:
			h.failed(r, err)
			h.message(w, l, http.StatusInternalServerError, "failed")
			return
		}
		if err := h.render(w, http.StatusOK, tmpl, q.view(title, body)); err != nil {
			h.failed(r, err)
		}
	}
}

// params are the parameters of the pages; an explanation's by.NAME and
// by.NAME.type too.
var params = []string{"lang", "kiosk", "period", "goal", "participant", "from", "to", "grain", "indicator", "by"}

// givenTwice returns a parameter of the pages given more than once, with
// its values, the first by name: which one the address meant cannot be
// told (the pages took the first without a word). Parameters of no page
// (a host's own) are left alone.
func givenTwice(query url.Values) (string, []string, bool) {
	names := make([]string, 0, len(query))
	for name, vs := range query {
		if len(vs) > 1 && (slices.Contains(params, name) || strings.HasPrefix(name, "by.")) {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return "", nil, false
	}
	slices.Sort(names)
	return names[0], query[names[0]], true
}

// failed logs a page that failed, once: its path (a page's name, never
// the query, which names participants) and the error. A request its
// viewer gave up (its context ended) is no failure: it is not logged.
func (h *handler) failed(r *http.Request, err error) {
	if r.Context().Err() != nil {
		return
	}
	h.opts.Logger.LogAttrs(r.Context(), slog.LevelError, "dashboard: page failed",
		slog.String("page", r.URL.Path), slog.String("error", err.Error()))
}

// view is the layout of a page of this request.
func (q *request) view(title string, body any) view {
	loc := q.h.data.Plan().Calendar().Location()
	vw := view{
		L: q.l, Title: q.l.T(title), Active: title, AsOf: q.l.instant(q.asOf.In(loc)), Zone: loc.String(),
		Kiosk: q.kiosk, Body: body, Stream: q.h.opts.StreamURL, Version: q.version,
	}
	if vw.Stream == "" {
		vw.Stream = "./changes"
	}
	if q.kiosk {
		vw.Refresh = refreshSeconds(q.h.opts.KioskRefresh)
	}
	for _, n := range []struct{ key, path string }{
		{"nav.goals", ""}, {"nav.ranking", "ranking"}, {"nav.scorecards", "scorecards"}, {"nav.teams", "teams"}, {"nav.cascades", "cascades"}, {"nav.breakdowns", "breakdowns"}, {"nav.stats", "stats"},
	} {
		vw.Nav = append(vw.Nav, navLink{Key: n.key, Text: q.l.T(n.key), Href: q.link(n.path, nil), Active: n.key == title})
	}
	for _, lang := range []string{"en", "ru"} {
		params := url.Values{}
		for k, vs := range q.r.URL.Query() {
			params[k] = vs
		}
		params.Set("lang", lang)
		vw.Langs = append(vw.Langs, navLink{Key: lang, Text: strings.ToUpper(lang), Href: "?" + params.Encode(), Active: lang == q.l.Lang})
	}
	return vw
}

// maxRefresh is the longest refresh a page can wait for, in seconds: a
// browser's timer waits at most 2³¹−1 ms, and fires at once for longer.
const maxRefresh = (1<<31 - 1) / 1000

// refreshSeconds is a kiosk's refresh in whole seconds, as the page reads
// it: a part of a second is one more (under a second was 0, which the
// page reads as never), and at most maxRefresh.
func refreshSeconds(every time.Duration) int {
	n := every / time.Second
	if every%time.Second != 0 {
		n++
	}
	return int(min(n, maxRefresh))
}

// message answers with a page that says only what the key says.
func (h *handler) message(w http.ResponseWriter, l *locale, status int, key string) {
	h.messageText(w, l, status, l.T(key))
}

// messageText answers with a page that says only text.
func (h *handler) messageText(w http.ResponseWriter, l *locale, status int, text string) {
	vw := view{L: l, Title: text, Body: text}
	_ = h.render(w, status, "message.html", vw)
}

// notFound answers what no route takes: a page (or an asset) asked with
// a method other than GET or HEAD is 405 with those in Allow, anything
// else 404; both 401 without a viewer, but for an asset, which holds no
// data.
func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	l, _ := pickLocale(r)
	get := r.Clone(r.Context())
	get.Method = http.MethodGet
	_, pattern := h.mux.Handler(get)
	if _, ok := h.opts.Viewer(r); !ok && !strings.HasPrefix(pattern, "GET /assets/") {
		h.message(w, l, http.StatusUnauthorized, "unauthorized")
		return
	}
	if pattern != "" && pattern != "/" {
		w.Header().Set("Allow", "GET, HEAD")
		h.message(w, l, http.StatusMethodNotAllowed, "notallowed")
		return
	}
	h.message(w, l, http.StatusNotFound, "notfound")
}

// render writes a page whole or, when its template fails, a 500 without
// any of it.
func (h *handler) render(w http.ResponseWriter, status int, tmpl string, vw view) error {
	var buf bytes.Buffer
	if err := h.pages[tmpl].ExecuteTemplate(&buf, "layout", vw); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return fmt.Errorf("dashboard: rendering %s: %w", tmpl, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", h.csp)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	return nil
}
