package serve

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
)

// ingestResult is the answer to an applied batch.
type ingestResult struct {
	// Received counts the event versions of the body, Applied those that
	// changed something, Unchanged those equal to the version applied
	// before (a retried batch).
	Received  int `json:"received"`
	Applied   int `json:"applied"`
	Unchanged int `json:"unchanged"`
}

// postEvents ingests a batch of event versions: all of it or, if any line
// is bad, nothing.
func (s *Server) postEvents(w http.ResponseWriter, r *http.Request, _ Identity) {
	// A compressed body is refused before it is read: its bytes read as
	// the events' text were "invalid JSON at column 1: got byte 0x1f".
	for _, ce := range r.Header.Values("Content-Encoding") {
		for c := range strings.SplitSeq(ce, ",") {
			if c = strings.TrimSpace(c); c != "" && !strings.EqualFold(c, "identity") {
				w.Header().Set("Accept-Encoding", "identity")
				writeError(w, http.StatusUnsupportedMediaType, "unsupported Content-Encoding "+display.QuoteID(c)+": send the body uncompressed", nil)
				return
			}
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, http.StatusRequestEntityTooLarge, "the body is larger than the limit of "+byteSize(s.cfg.MaxBody)+"; send smaller batches", nil)
			return
		}
		writeError(w, http.StatusBadRequest, "reading the body: "+err.Error(), nil)
		return
	}
	array, format, err := bodyFormat(r.Header.Get("Content-Type"), body[:min(len(body), 64)])
	if err != nil {
		writeError(w, http.StatusUnsupportedMediaType, err.Error(), nil)
		return
	}
	// A batch of no events changes nothing and is answered so, in every
	// shape: [], a CSV header alone, or NDJSON of no lines. An empty body
	// (white space, or a byte order mark alone: an empty file saved by
	// Notepad) is the last; as an array or CSV it lacks the [] or the
	// header, and is refused saying so. NDJSON's empty batch was refused
	// while the other two shapes' were taken.
	if len(bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimLeft(body, " \t\r\n"), []byte("\ufeff")))) == 0 {
		switch {
		case array:
			writeError(w, http.StatusBadRequest, "empty body: want a JSON array of events ([] for none)", nil)
		case format == eventfile.CSV:
			writeError(w, http.StatusBadRequest, "empty body: want a CSV header line (the header alone for no events)", nil)
		default:
			writeJSON(w, http.StatusOK, ingestResult{})
		}
		return
	}
	events, err := parseEvents(r.Context(), body, array, format, s.attrs)
	if err != nil {
		var be *badBody
		if errors.As(err, &be) {
			writeError(w, http.StatusBadRequest, be.Msg, be.Lines)
			return
		}
		s.readError(w, r, err)
		return
	}
	n := len(events)
	if n == 0 {
		// Nothing to apply, nor to hand to Config.Ingest.
		writeJSON(w, http.StatusOK, ingestResult{})
		return
	}
	applied, err := s.Apply(r.Context(), events)
	if err != nil {
		if r.Context().Err() != nil {
			return
		}
		if errors.As(err, new(*clockError)) {
			// The server's instant, which only its host moves (its
			// clock, or the fixed -as-of): 503, as a read at a clock
			// past the years a report holds is, with words that say
			// so (500 is a failure of the service's own).
			s.log.Error("events: the batch was not applied", "err", err)
			writeError(w, http.StatusServiceUnavailable, "the batch was not applied: "+err.Error(), nil)
			return
		}
		var ie *ingestError
		if errors.As(err, &ie) {
			writeError(w, http.StatusServiceUnavailable, "the batch was not taken whole: "+ie.err.Error()+"; send it again (a version taken twice changes nothing)", nil)
			return
		}
		if s.storeFailed(w, "events", "the store could not commit the batch; nothing was applied; send it again", err) {
			return
		}
		writeError(w, http.StatusUnprocessableEntity, "the batch was refused; nothing was applied: "+err.Error(), nil)
		return
	}
	writeJSON(w, http.StatusOK, ingestResult{Received: n, Applied: applied, Unchanged: n - applied})
}

// Apply applies a batch of event versions to the tracker, as the events
// endpoint does: whole or not at all, each version known from now on, and
// the versions equal to those applied before left out (it returns how many
// changed something). An event file at start goes through Seed instead;
// the caller's slice is left as it was.
// With Config.Ingest the batch goes to Ingest, every version of it (it
// returns their number), and the tracker sees it once its owners have
// applied it.
func (s *Server) Apply(ctx context.Context, events []kpi.Event) (int, error) {
	if s.cfg.Ingest != nil {
		if err := s.cfg.Ingest(ctx, events); err != nil {
			return 0, &ingestError{err}
		}
		s.metrics.ingested(len(events), len(events))
		return len(events), nil
	}
	// Each version is known from the server's clock on: a clock past the
	// years a table keeps instants in (1678–2261) had every batch refused
	// 422 as if its events were bad, an answer a client does not send
	// again.
	now := s.now()
	if err := versionYears(now); err != nil {
		return 0, err
	}
	s.ingest.Lock()
	fresh, next := s.vers.fresh(events, now)
	var err error
	if len(fresh) > 0 {
		err = s.tr.Apply(ctx, fresh...)
		if err == nil {
			s.vers.commit(next)
		}
	}
	s.ingest.Unlock()
	return s.applied(len(events), fresh, err)
}

// applied ends an ingestion of received versions, of which fresh were
// committed unless err: it counts them and tells the streams of a change.
func (s *Server) applied(received int, fresh []kpi.Event, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	s.metrics.ingested(received, len(fresh))
	if len(fresh) > 0 {
		s.changed()
	}
	return len(fresh), nil
}

// ingestError is a failure of Config.Ingest.
type ingestError struct{ err error }

func (e *ingestError) Error() string { return e.err.Error() }
func (e *ingestError) Unwrap() error { return e.err }

// closeResult is the answer to a closed period.
type closeResult struct {
	Goal          string              `json:"goal"`
	Period        string              `json:"period"`
	ClosedAt      time.Time           `json:"closed_at"`
	Records       []goal.Record       `json:"records"`
	Notifications []goal.Notification `json:"notifications"`
}

// postClose closes a period of a goal (the writer's decision, for goals
// not closed automatically): the records freeze the participants'
// results.
func (s *Server) postClose(w http.ResponseWriter, r *http.Request, id Identity) {
	// A front of a scale-out closes nothing, whatever it is asked.
	if s.cfg.Ingest != nil {
		writeError(w, http.StatusConflict, "this server fronts state that others own (the workers of its log): periods are not closed here", nil)
		return
	}
	// A goal the plan does not have is no such thing, 404 as on every
	// other route; it was 422 in the engine's words, as if the period
	// could not be closed yet. The plan's goals are no viewer's secret,
	// so the answer names the one asked for.
	gid := r.PathValue("goal")
	if gs := s.plan.Goals(); gs == nil || !hasGoal(gs, gid) {
		writeError(w, http.StatusNotFound, "no goal "+display.QuoteID(gid)+" in the plan", nil)
		return
	}
	p, ok, err := s.periodParam(r)
	if err == nil && !ok {
		err = &paramError{name: "period", want: "a period label such as 2025-03"}
	}
	if err != nil {
		s.readError(w, r, err)
		return
	}
	// A period closes as of the server's clock: one outside the years a
	// record is stamped in was refused 422 in the engine's words
	// ("Tracker.CloseGoal: asOf …"), an answer a client does not send
	// again. It is the server's instant, which no retry moves (a fixed
	// -as-of never does): 503 with the host's remedy, as for a batch.
	now := s.now()
	if err := recordYears(now); err != nil {
		s.log.Error("close: the period was not closed", "err", err)
		writeError(w, http.StatusServiceUnavailable, "the period was not closed: "+err.Error(), nil)
		return
	}
	cl, committed, err := s.tr.CloseGoal(r.Context(), now, gid, p)
	if err != nil {
		if !s.storeFailed(w, "close", "the store could not commit the closing; nothing was closed; send it again", err) {
			writeError(w, http.StatusUnprocessableEntity, err.Error(), nil)
		}
		return
	}
	// Closing again changes nothing (the records are kept, the
	// notifications emitted once): no change for the streams and the
	// metrics, as a batch of versions applied before is none. Every
	// dashboard read its numbers again at a close sent twice.
	if len(committed.Records) > 0 || len(committed.Notifications) > 0 {
		s.changed()
	}
	// The answer shows the writer only the participants they may see.
	rep, _, err := s.viewed(r.Context(), id, cl.ClosedAt, time.Time{})
	if err != nil {
		s.readError(w, r, err)
		return
	}
	type key struct{ goal, participant string }
	seen := map[key]bool{}
	if rep.Goals != nil {
		for _, row := range rep.Goals.Rows {
			seen[key{row.Goal, row.Participant}] = true
		}
	}
	out := closeResult{Goal: cl.Goal, Period: cl.Label, ClosedAt: cl.ClosedAt}
	for _, rec := range cl.Records {
		if seen[key{rec.Goal, rec.Participant}] {
			out.Records = append(out.Records, rec)
		}
	}
	for _, n := range cl.Notifications {
		if seen[key{n.Goal, n.Participant}] {
			out.Notifications = append(out.Notifications, n)
		}
	}
	if out.Records == nil {
		out.Records = []goal.Record{}
	}
	if out.Notifications == nil {
		out.Notifications = []goal.Notification{}
	}
	writeJSON(w, http.StatusOK, out)
}

// hasGoal reports whether the goals have one of the id.
func hasGoal(gs *goal.Set, id string) bool {
	_, ok := gs.Lookup(id)
	return ok
}

// byteSize writes n bytes in the largest binary unit that divides it.
func byteSize(n int64) string {
	units := []string{"bytes", "KiB", "MiB", "GiB"}
	i := 0
	for n >= 1024 && n%1024 == 0 && i < len(units)-1 {
		n /= 1024
		i++
	}
	return strconv.FormatInt(n, 10) + " " + units[i]
}

// storeFailed answers 503 with msg when err is the store's failure to
// commit what the tracker took (a database down, a lease lost): the
// client may send it again, and the store's words (hosts, users) stay in
// the log. It reports whether it answered.
func (s *Server) storeFailed(w http.ResponseWriter, route, msg string, err error) bool {
	var sf interface{ StoreFailure() bool }
	if !errors.As(err, &sf) || !sf.StoreFailure() {
		return false
	}
	s.log.Error(route+": the store could not commit", "err", err)
	writeError(w, http.StatusServiceUnavailable, msg, nil)
	return true
}
