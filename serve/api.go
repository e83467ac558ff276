package serve

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/internal/isodate"
)

// routes registers every route (Go 1.22 patterns).
func (s *Server) routes(dash http.Handler) {
	m := http.NewServeMux()
	s.mux = m
	m.HandleFunc("GET /healthz", s.healthz)
	m.HandleFunc("GET /readyz", s.readyz)
	m.Handle("GET /metrics", s.logged("metrics", http.HandlerFunc(s.serveMetrics)))
	m.HandleFunc("GET /openapi.yaml", serveOpenAPI)
	// Another method on them is 405, as on the API's endpoints, rather
	// than the dashboard's 404 for a page it does not have.
	for _, path := range []string{"/healthz", "/readyz", "/metrics", "/openapi.yaml"} {
		m.Handle(path, s.logged("unknown", http.HandlerFunc(s.notAllowed)))
	}

	read := func(route, pattern string, h func(http.ResponseWriter, *http.Request, Identity)) {
		m.Handle(pattern, s.logged(route, s.authed(Reader, h)))
	}
	read("report", "GET /api/v1/report", s.getReport)
	for _, sec := range sections {
		read(sec.name, "GET /api/v1/"+sec.name, s.getSection(sec))
	}
	read("progress", "GET /api/v1/goals/{goal}/progress/{participant}", s.getProgress)
	read("explain", "GET /api/v1/explain", s.getExplain)
	read("notifications", "GET /api/v1/notifications", s.getNotifications)
	read("stream", "GET /api/v1/stream", s.getStream)
	// Writes a browser marks as coming from another site are refused: a
	// page elsewhere can post without a preflight (a body without a
	// Content-Type, a close without a body), with whatever credentials
	// the browser sends by itself (a trial's open access, a proxy's
	// session cookie).
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusForbidden, "forbidden", nil)
	}))
	write := func(route, pattern string, h func(http.ResponseWriter, *http.Request, Identity)) {
		m.Handle(pattern, s.logged(route, cop.Handler(s.authed(Writer, h))))
	}
	write("events", "POST /api/v1/events", s.postEvents)
	write("close", "POST /api/v1/goals/{goal}/close", s.postClose)
	m.Handle("/api/", s.logged("unknown", http.HandlerFunc(s.notAllowed)))
	if dash != nil {
		m.Handle("/", s.logged("dashboard", s.withIdentity(dash)))
	}
}

// notAllowed answers a request no route takes: 405 with the methods that
// an endpoint of its path takes in Allow, else 404.
func (s *Server) notAllowed(w http.ResponseWriter, r *http.Request) {
	if allow := s.allowed(r); allow != "" {
		w.Header().Set("Allow", allow)
		writeError(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed: use "+allow, nil)
		return
	}
	writeError(w, http.StatusNotFound, "no such endpoint", nil)
}

// allowed returns the methods an endpoint of r's path takes ("GET, HEAD",
// "POST"), or "" when no endpoint has the path.
func (s *Server) allowed(r *http.Request) string {
	var methods []string
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		other := r.Clone(r.Context())
		other.Method = m
		if _, pattern := s.mux.Handler(other); pattern != "" && !strings.HasPrefix(pattern, "/") {
			methods = append(methods, m)
			if m == http.MethodGet {
				methods = append(methods, http.MethodHead)
			}
		}
	}
	return strings.Join(methods, ", ")
}

// authed authenticates the request and checks the role: 401 without valid
// credentials, 403 without the role. Neither body says anything about
// other users or which part of the credentials was wrong.
func (s *Server) authed(want Role, h func(http.ResponseWriter, *http.Request, Identity)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.authenticate(w, r)
		if !ok {
			return
		}
		if !id.Role.allows(want) {
			writeError(w, http.StatusForbidden, "forbidden", nil)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), ctxIdentity{}, id)), id)
	})
}

// withIdentity puts the identity of an authenticated request in its
// context, for the dashboard's reads (Report, Explain); a request without
// one goes on without (the dashboard answers it 401).
func (s *Server) withIdentity(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok := r.URL.Query().Get("access_token"); tok != "" && r.Method == http.MethodGet {
			// A link with a token: keep it in a cookie, and take it out of
			// the address (history, logs, Referer).
			http.SetCookie(w, &http.Cookie{Name: TokenCookie, Value: cookieValue(tok), Path: "/", HttpOnly: true,
				Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
			u := *r.URL
			q := u.Query()
			q.Del("access_token")
			u.RawQuery = q.Encode()
			http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
			return
		}
		if id, err := s.cfg.Auth.Authenticate(r); err == nil {
			setUser(r, id.Viewer.User)
			r = r.WithContext(context.WithValue(r.Context(), ctxIdentity{}, id))
		} else {
			s.badIdentity(err)
		}
		h.ServeHTTP(w, r)
	})
}

// Viewer tells the viewer of a request, for the dashboard: false without
// valid credentials.
func (s *Server) Viewer(r *http.Request) (Identity, bool) {
	if id, ok := r.Context().Value(ctxIdentity{}).(Identity); ok {
		return id, true
	}
	id, err := s.cfg.Auth.Authenticate(r)
	return id, err == nil
}

// badIdentity logs a request refused for its identity headers: the proxy
// knew the secret, so the headers are its own, and a proxy set up wrong
// (a role "Admin", no user) had every request 401 without a word in the
// log. The client's answer stays 401 "unauthenticated".
func (s *Server) badIdentity(err error) {
	if errors.Is(err, errBadIdentity) {
		s.log.Warn("identity headers refused", "err", err)
	}
}

// authenticate answers 401 (false) unless the request is authenticated.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (Identity, bool) {
	id, err := s.cfg.Auth.Authenticate(r)
	if err != nil {
		s.badIdentity(err)
		if !errors.Is(err, ErrUnauthenticated) {
			s.log.Error("authentication failed", "err", err)
			writeError(w, http.StatusInternalServerError, "internal error", nil)
			return id, false
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="goalkit"`)
		writeError(w, http.StatusUnauthorized, "unauthenticated", nil)
		return id, false
	}
	setUser(r, id.Viewer.User)
	return id, true
}

// errorBody is the body of every error answer.
type errorBody struct {
	Error string    `json:"error"`
	Lines []badLine `json:"lines,omitempty"`
}

func writeError(w http.ResponseWriter, code int, msg string, lines []badLine) {
	writeJSON(w, code, errorBody{Error: msg, Lines: lines})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// instantParam reads an RFC 3339 instant parameter; missing: def. The
// zero instant (0001-01-01T00:00:00Z) is refused: the server and the
// engine read it as no instant at all; so is one whose year, in UTC or at
// its own offset, is outside 0000 to 9999, which the engine refuses.
func instantParam(r *http.Request, name string, def time.Time) (time.Time, error) {
	v, err := param(r, name)
	if err != nil {
		return time.Time{}, err
	}
	if v == "" {
		return def, nil
	}
	// As the command line reads it: t and z in either case, as RFC 3339
	// allows, and a date that does not exist refused saying why.
	t, err := isodate.ParseInstant(v)
	if err != nil {
		pe := &paramError{name: name, want: "an RFC 3339 instant, such as 2025-03-20T12:00:00Z", got: v}
		if len(v) >= 10 {
			if y, m, d, ok := isodate.Fields(v[:10]); ok {
				pe.why = isodate.Problem(y, m, d)
			}
		}
		// A "+" of an offset written as it is in a query reads as a space
		// (…T15:00:00 03:00), and the answer showed the space without a
		// word of why.
		if plus := strings.ReplaceAll(v, " ", "+"); pe.why == "" && plus != v {
			if _, err := isodate.ParseInstant(plus); err == nil {
				pe.hint = `a "+" in a query reads as a space: write it %2B (` + strings.ReplaceAll(v, " ", "%2B") + ")"
			}
		}
		return time.Time{}, pe
	}
	if t.IsZero() {
		return time.Time{}, &paramError{name: name, want: "an RFC 3339 instant after 0001-01-01T00:00:00Z", got: v}
	}
	// The engine refuses an instant whose year, in UTC or at its own
	// offset, is outside 0000 to 9999 (RFC 3339 cannot write it); the
	// refusal was answered 500 and logged as the server's failure.
	for _, y := range [...]int{t.Year(), t.UTC().Year()} {
		if y < 0 || y > 9999 {
			return time.Time{}, &paramError{name: name, want: "an RFC 3339 instant in the years 0000 to 9999, in UTC as at its offset", got: v}
		}
	}
	return t, nil
}

// param returns the value of the query parameter name, "" when it is
// absent or empty. A parameter given twice is an error: which of the two
// values the caller meant cannot be told (as_of=…&as_of=… took the first,
// without a word).
func param(r *http.Request, name string) (string, error) {
	vs := r.URL.Query()[name]
	if len(vs) > 1 {
		return "", &paramError{name: name, want: "one value", got: strings.Join(vs, ", ")}
	}
	if len(vs) == 0 {
		return "", nil
	}
	return vs[0], nil
}

// paramError is a bad query parameter, and why when it says more than
// want (a date that does not exist).
type paramError struct{ name, want, got, why, hint string }

func (e *paramError) Error() string {
	// The value is quoted cut (display.QuoteID): a value of 1 MB made an
	// answer of 1 MB.
	msg := "parameter " + e.name + ": want " + e.want + ", got " + display.QuoteID(e.got)
	if e.why != "" {
		msg += ": not a real date: " + e.why
	}
	if e.hint != "" {
		msg += ": " + e.hint
	}
	return msg
}
