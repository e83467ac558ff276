package dashboard

import (
	"net/http"
	"time"
)

// changes is the dashboard's own Server-Sent Events stream: a "change"
// message at each change of the data (Data.Changed), a comment now and
// then so that proxies keep the connection open. It says nothing about
// what changed: the page reads its numbers again, as its viewer.
func (h *handler) changes(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.opts.Viewer(r); !ok {
		l, _ := pickLocale(r)
		h.message(w, l, http.StatusUnauthorized, "unauthorized")
		return
	}
	rc := http.NewResponseController(w)
	// A host's server may have a WriteTimeout, which is for answers, not
	// for a stream: each write moves the deadline on past the next one.
	// (A writer that cannot set one has no deadline to move.)
	extend := func() { _ = rc.SetWriteDeadline(time.Now().Add(h.opts.Heartbeat + 10*time.Second)) }
	extend()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		// The headers are the whole answer: a stream kept open for a
		// HEAD held its connection, and the client's next request on it
		// waited for an answer that never came.
		return
	}
	if _, err := w.Write([]byte("retry: 2000\n\n")); err != nil {
		return
	}
	if rc.Flush() != nil {
		return
	}
	beat := time.NewTicker(h.opts.Heartbeat)
	defer beat.Stop()
	changed := h.data.Changed()
	for {
		var msg string
		select {
		case <-r.Context().Done():
			return
		case <-changed:
			next := h.data.Changed()
			if next == changed {
				// The channel it gave, closed: the data will not change
				// again (a server shut down), and the stream ends; it
				// wrote changes in a loop as fast as they were read. No
				// change is said: the page would read its numbers again
				// at each of its reconnections.
				return
			}
			changed = next
			msg = "event: change\ndata: {}\n\n"
		case <-beat.C:
			msg = ": keep-alive\n\n"
		}
		extend()
		if _, err := w.Write([]byte(msg)); err != nil {
			return
		}
		if rc.Flush() != nil {
			return
		}
	}
}
