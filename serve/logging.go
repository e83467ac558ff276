package serve

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// reqInfo is what the request log says of a request beyond the request
// line: the authenticated user (never a token).
type reqInfo struct{ user string }

type ctxReqInfo struct{}

// setUser records the request's user for its log line.
func setUser(r *http.Request, user string) {
	if ri, ok := r.Context().Value(ctxReqInfo{}).(*reqInfo); ok {
		ri.user = user
	}
}

// recorder remembers the status and size of an answer.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the writer's Flush and
// deadlines.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logged logs one line per request (method, path without the query, which
// may carry a token, route, status, bytes, duration, user) and counts it
// in the metrics.
func (s *Server) logged(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ri := &reqInfo{}
		rec := &recorder{ResponseWriter: w}
		h.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), ctxReqInfo{}, ri)))
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		d := time.Since(start)
		s.metrics.observe(route, rec.status, d)
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("route", route),
			slog.Int("status", rec.status), slog.Int64("bytes", rec.bytes),
			slog.Duration("duration", d), slog.String("user", ri.user))
	})
}
