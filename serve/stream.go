package serve

import (
	"net/http"
	"strconv"
	"time"

	"github.com/goalkit/goalkit/dashboard"
)

// StreamHeartbeat is how often the change stream sends a comment line when
// nothing changes, so that proxies keep it open.
const StreamHeartbeat = 15 * time.Second

// getStream is the Server-Sent Events stream of changes, the dashboard's
// (dashboard.StreamChanges): an event "hello", then "change" at every
// applied batch, tick with notifications and closed period, each with the
// number of changes so far; it ends at Shutdown, whose channel stays
// closed. It carries no data of anyone: clients read what changed through
// the API, as their viewer.
func (s *Server) getStream(w http.ResponseWriter, r *http.Request, _ Identity) {
	dashboard.StreamChanges(w, r, StreamHeartbeat, func() (<-chan struct{}, string) {
		ch, seq := s.changes.wait()
		return ch, `{"seq":` + strconv.FormatUint(seq, 10) + `}`
	})
}
