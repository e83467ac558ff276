package serve

import (
	"fmt"
	"net/http"
	"time"
)

// StreamHeartbeat is how often the change stream sends a comment line when
// nothing changes, so that proxies keep it open.
const StreamHeartbeat = 15 * time.Second

// getStream is the Server-Sent Events stream of changes: an event
// "change" with the number of changes so far, at every applied batch, tick
// with notifications and closed period. It carries no data of anyone:
// clients read what changed through the API, as their viewer.
func (s *Server) getStream(w http.ResponseWriter, r *http.Request, _ Identity) {
	rc := http.NewResponseController(w)
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
	ch, seq := s.changes.wait()
	send := func(format string, args ...any) bool {
		// The server's write timeout is for answers, not for a stream.
		rc.SetWriteDeadline(time.Now().Add(StreamHeartbeat + 10*time.Second))
		if _, err := fmt.Fprintf(w, format, args...); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send("retry: 2000\nevent: hello\ndata: {\"seq\":%d}\n\n", seq) {
		return
	}
	hb := time.NewTicker(StreamHeartbeat)
	defer hb.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-hb.C:
			if !send(": heartbeat\n\n") {
				return
			}
		case <-ch:
			if !s.ready.Load() {
				return
			}
			ch, seq = s.changes.wait()
			if !send("event: change\ndata: {\"seq\":%d}\n\n", seq) {
				return
			}
		}
	}
}
