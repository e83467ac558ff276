package serve

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/goalkit/goalkit/goal"
)

// feedEntry is a notification of the tracker's ledger: its JSON as the
// tracker stored it, and what visibility and order need.
type feedEntry struct {
	Goal        string `json:"goal"`
	Participant string `json:"participant"`
	At          string `json:"at"`
	Key         string `json:"key"`
	at          time.Time
	raw         json.RawMessage
}

// getNotifications answers the notification feed: every notification the
// tracker emitted (ticks, closes) that the viewer may see, oldest first,
// those after since when it is given.
func (s *Server) getNotifications(w http.ResponseWriter, r *http.Request, id Identity) {
	since, err := instantParam(r, "since", time.Time{})
	if err != nil {
		s.readError(w, r, err)
		return
	}
	asOf, err := s.clock()
	if err != nil {
		s.readError(w, r, err)
		return
	}
	rep, err := s.report(r.Context(), asOf, time.Time{})
	if err != nil {
		s.readError(w, r, err)
		return
	}
	var entries []feedEntry
	s.tr.Indicators().LedgerRange(func(key string, data []byte) bool {
		var e feedEntry
		if json.Unmarshal(data, &e) != nil || e.Key != key || e.Goal == "" {
			return true // not a notification
		}
		t, err := time.Parse(time.RFC3339Nano, e.At)
		if err != nil || (!since.IsZero() && !t.After(since)) {
			return true
		}
		e.at, e.raw = t, data
		entries = append(entries, e)
		return true
	})
	// Visibility: goal.Result.ForViewer judges notifications by the rows
	// of the current report they belong to.
	res := &goal.Result{}
	if rep.Goals != nil {
		res.Rows = rep.Goals.Rows
	}
	for _, e := range entries {
		res.Notifications = append(res.Notifications, goal.Notification{Key: e.Key, Goal: e.Goal, Participant: e.Participant})
	}
	seen := map[string]bool{}
	for _, n := range res.ForViewer(id.Viewer, s.scopeOf(id, asOf).pol).Notifications {
		seen[n.Key] = true
	}
	entries = slices.DeleteFunc(entries, func(e feedEntry) bool { return !seen[e.Key] })
	slices.SortStableFunc(entries, func(a, b feedEntry) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	out := struct {
		Notifications []json.RawMessage `json:"notifications"`
	}{Notifications: []json.RawMessage{}}
	for _, e := range entries {
		out.Notifications = append(out.Notifications, e.raw)
	}
	writeJSON(w, http.StatusOK, out)
}
