package dashboard

import (
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// defaultHeartbeat is how often a stream writes a comment when nothing is
// given.
const defaultHeartbeat = 25 * time.Second

// changes is the dashboard's own Server-Sent Events stream, fed by
// Data.Changed. It says nothing about what changed: the page reads its
// numbers again, as its viewer.
func (h *handler) changes(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.opts.Viewer(r); !ok {
		l, _ := pickLocale(r)
		h.message(w, l, http.StatusUnauthorized, "unauthorized")
		return
	}
	StreamChanges(w, r, h.opts.Heartbeat, func() (<-chan struct{}, string) { return h.data.Changed(), "{}" })
}

// versions are the versions of the channels of changes: a page carries the
// one of the channel its Data gave before it read the report, and a stream
// asked with it (?since=) tells the page at once when the channel it is
// connected under is another, closed since. A version stays the same while
// its channel is open, and is never given to another channel of this
// process; its numbers start at random, so a page rendered before a
// restart does not read as current after it.
var versions = struct {
	mu   sync.Mutex
	last uint64
	of   map[<-chan struct{}]uint64
}{last: rand.Uint64() >> 1, of: map[<-chan struct{}]uint64{}}

// versionOf is the version of the channel of changes ch. The channels
// closed since the last new one are forgotten: a page rendered under one
// of them is stale whatever it asks for.
func versionOf(ch <-chan struct{}) string {
	versions.mu.Lock()
	defer versions.mu.Unlock()
	v, ok := versions.of[ch]
	if !ok {
		for c := range versions.of {
			select {
			case <-c:
				delete(versions.of, c)
			default:
			}
		}
		versions.last++
		v = versions.last
		versions.of[ch] = v
	}
	return strconv.FormatUint(v, 36)
}

// StreamChanges answers r with a Server-Sent Events stream of changes, the
// dashboard's own (at /changes without Options.StreamURL) and a host's (a
// StreamURL's, such as serve's): an event "hello" first, then an event
// "change" at each change, each with the data next gave with its channel
// (JSON; "{}" for the dashboard's own), and a comment every heartbeat (0:
// every 25 s) so that proxies keep the connection open. next returns the
// channel closed at the next change and the data of that moment; asked
// again after that change, it returns the channel it gave, closed, when
// nothing will change again (a server shut down), and the stream ends
// without a change, which would have a page read its numbers again at each
// of its reconnections. A stream asked with ?since=VERSION, the version a
// dashboard's page was rendered at (the channel its Data.Changed gave),
// writes a change right after the hello when next's channel is another:
// a change that came between the page's render and its connection. A
// HEAD is answered with the headers alone. Each
// write moves the connection's write deadline on (a heartbeat and 10 s):
// a server's WriteTimeout is for answers, not for a stream. It returns when
// the stream ends or the request does.
func StreamChanges(w http.ResponseWriter, r *http.Request, heartbeat time.Duration, next func() (<-chan struct{}, string)) {
	if heartbeat <= 0 {
		heartbeat = defaultHeartbeat
	}
	rc := http.NewResponseController(w)
	// A writer that cannot set a deadline has none to move; a heartbeat
	// too long to add 10 s to (math.MaxInt64: never) sets none, where the
	// sum wrapped round to a deadline past.
	extend := func() {
		var deadline time.Time
		if heartbeat < math.MaxInt64-10*time.Second {
			deadline = time.Now().Add(heartbeat + 10*time.Second)
		}
		_ = rc.SetWriteDeadline(deadline)
	}
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
	changed, data := next()
	msg := "retry: 2000\nevent: hello\ndata: " + data + "\n\n"
	if since := r.URL.Query().Get("since"); since != "" && since != versionOf(changed) {
		msg += "event: change\ndata: " + data + "\n\n"
	}
	beat := time.NewTicker(heartbeat)
	defer beat.Stop()
	for {
		extend()
		if _, err := w.Write([]byte(msg)); err != nil {
			return
		}
		if rc.Flush() != nil {
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-changed:
			ch, d := next()
			if ch == changed {
				// The channel it gave, closed: nothing will change
				// again. It wrote changes in a loop as fast as they
				// were read.
				return
			}
			changed, msg = ch, "event: change\ndata: "+d+"\n\n"
		case <-beat.C:
			msg = ": keep-alive\n\n"
		}
	}
}
