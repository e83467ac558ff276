package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/dashboard"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/isodate"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// errKnownAtAsOf refuses as_known_at with another as_of.
var errKnownAtAsOf = errors.New("as_known_at replays the report as of that instant: give as_of the same instant or leave it out")

// badRequest is a request the engine refused, told to an admin.
type badRequest struct{ msg string }

func (e badRequest) Error() string { return e.msg }

// errNotFound is the answer to anything the viewer may not see, or that
// does not exist: the two are not told apart. It is fs.ErrNotExist to the
// dashboard, which answers it 404 and does not log it.
var errNotFound error = notFound{}

type notFound struct{}

func (notFound) Error() string { return "not found" }

func (notFound) Is(target error) bool { return target == fs.ErrNotExist }

// instants reads as_of (default now, to the second) and as_known_at.
func (s *Server) instants(r *http.Request) (asOf, knownAt time.Time, err error) {
	knownAt, err = instantParam(r, "as_known_at", time.Time{})
	if err != nil {
		return
	}
	asOf, err = instantParam(r, "as_of", knownAt)
	switch {
	case err != nil:
	case asOf.IsZero():
		asOf, err = s.clock()
	case !knownAt.IsZero() && !asOf.Equal(knownAt):
		err = errKnownAtAsOf
	}
	return
}

// clock reads the server's clock, to the second, as the instant of a read
// that names none. A clock outside the years 0000 to 9999 (in UTC or in
// its own zone) is a clockError: the engine can report no such instant,
// and every read failed with a bare 500.
func (s *Server) clock() (time.Time, error) {
	t := s.now().Truncate(time.Second)
	if err := reportYears(t); err != nil {
		return time.Time{}, err
	}
	return t, nil
}

// reportYears is a clockError when the clock's reading t is outside the
// years 0000 to 9999, in UTC or in its own zone.
func reportYears(t time.Time) error {
	for _, y := range [...]int{t.Year(), t.UTC().Year()} {
		if y < 0 || y > 9999 {
			return &clockError{at: t, first: 0, last: 9999, years: "a report can be as of"}
		}
	}
	return nil
}

// recordYears is a clockError when the clock's reading t is outside the
// years a close's record or a tick's notification can be stamped with
// (1678–2261, the tables' and stores' instants): the tracker refuses
// those, in its own words.
func recordYears(t time.Time) error {
	if !colstore.InYears(t) {
		return &clockError{at: t, first: 1678, last: 2261, years: "a record or a notification is stamped in"}
	}
	return nil
}

// versionYears is a clockError when the clock's reading t is outside the
// years a version's known instant is kept in (1678–2261, the tables'),
// for a posted batch and an event file seeded at start.
func versionYears(t time.Time) error {
	if !colstore.InYears(t) {
		return &clockError{at: t, first: 1678, last: 2261, years: "in which a version is known"}
	}
	return nil
}

// clockError is the server's clock outside the years first to last, which
// the service supports for what years says. The clock is Config.Now, the
// machine's or a fixed instant (goalkit serve -as-of): the words name the
// instant and the years, which is what its host can act on.
type clockError struct {
	at          time.Time
	first, last int
	years       string
}

func (e *clockError) Error() string {
	side := "past"
	if e.at.Year() < e.first || e.at.UTC().Year() < e.first {
		side = "before"
	}
	return fmt.Sprintf("the server's clock reads %s, %s the years %04d to %04d %s: set its clock, or the instant it serves as of, within them",
		e.at.Format(time.RFC3339), side, e.first, e.last, e.years)
}

// periodParam reads the period parameter, a period label of the plan's
// calendar (2025-03, 2025-W14, 2025-Q2…); ok false when it is absent.
func (s *Server) periodParam(r *http.Request) (p period.Period, ok bool, err error) {
	v, err := param(r, "period")
	if err != nil || v == "" {
		return p, false, err
	}
	p, err = s.plan.Calendar().ParseLabel(v)
	if err != nil {
		return p, false, &paramError{name: "period", want: "a period label such as 2025-03, 2025-W14 or 2025-Q2", got: v}
	}
	return p, true, nil
}

// viewed returns the report the identity may see as of asOf (as known at
// knownAt, unless zero).
func (s *Server) viewed(ctx context.Context, id Identity, asOf, knownAt time.Time) (*goalkit.Report, *scope, error) {
	rep, err := s.report(ctx, asOf, knownAt)
	if err != nil {
		return nil, nil, err
	}
	sc := s.scopeOf(id, asOf)
	return sc.report(rep, s.cfg.PublicStandings), sc, nil
}

// Report returns the report as of asOf as the viewer may see it, for the
// dashboard. The viewer's teams are those of the identity the request's
// context carries, when it is the viewer's.
func (s *Server) Report(ctx context.Context, v goal.Viewer, asOf time.Time) (*goalkit.Report, error) {
	// A failure is the dashboard's to log, once, with its page's path
	// (Config.Logger is its logger too).
	rep, _, err := s.viewed(ctx, identityFrom(ctx, v), asOf, time.Time{})
	return rep, err
}

// readError answers an error of a read: a bad parameter is 400, the
// server's clock outside the years a report can hold 503 saying so,
// anything else 500, logged (not shown) in one line with the request's path (not
// its query, which names participants), unless the request was given up.
func (s *Server) readError(w http.ResponseWriter, r *http.Request, err error) {
	var pe *paramError
	switch {
	case errors.As(err, &pe), errors.Is(err, errKnownAtAsOf), errors.As(err, new(badRequest)):
		writeError(w, http.StatusBadRequest, err.Error(), nil)
	case errors.Is(err, errNotFound):
		writeError(w, http.StatusNotFound, "not found", nil)
	case errors.As(err, new(*clockError)):
		// The host's clock, not a failure of the server: say so to the
		// client, and to the operator once a read.
		s.log.Error("read refused", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusServiceUnavailable, err.Error(), nil)
	default:
		if r.Context().Err() == nil {
			s.log.Error("read failed", "path", r.URL.Path, "err", err)
		}
		writeError(w, http.StatusInternalServerError, "internal error", nil)
	}
}

// reportJSON is the JSON of the report the identity may see, cut to the
// period of the request when it names one.
func (s *Server) reportJSON(r *http.Request, id Identity) (map[string]json.RawMessage, []byte, error) {
	asOf, knownAt, err := s.instants(r)
	if err != nil {
		return nil, nil, err
	}
	p, cut, err := s.periodParam(r)
	if err != nil {
		return nil, nil, err
	}
	js, err := s.viewedJSON(r.Context(), id, asOf, knownAt)
	if err != nil {
		return nil, nil, err
	}
	if !cut {
		return nil, js, nil
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(js, &doc); err != nil {
		return nil, nil, err
	}
	label := s.plan.Calendar().Label(p)
	for k, v := range doc {
		if doc[k], err = cutToPeriod(v, p, label); err != nil {
			return nil, nil, err
		}
	}
	// The cascades are trees, not rows: their nodes of the period, with
	// the ancestors that hold them (their plans only).
	if c, ok := doc["cascade"]; ok && string(bytes.TrimSpace(c)) != "null" {
		rep, _, err := s.viewed(r.Context(), id, asOf, knownAt)
		if err != nil {
			return nil, nil, err
		}
		if rep.Cascade != nil {
			pruned := rep.Cascade.Prune(func(n *cascade.Node) bool { return n.Period == p })
			if doc["cascade"], err = json.Marshal(pruned); err != nil {
				return nil, nil, err
			}
		}
	}
	return doc, nil, nil
}

func (s *Server) getReport(w http.ResponseWriter, r *http.Request, id Identity) {
	doc, raw, err := s.reportJSON(r, id)
	if err != nil {
		s.readError(w, r, err)
		return
	}
	if raw != nil {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(raw)
		return
	}
	writeJSON(w, http.StatusOK, doc)
}

// section is an endpoint that serves some keys of the report's JSON.
type section struct {
	name string
	keys []string // nil: every key no other section serves
}

var sections = []section{
	{"values", nil},
	{"goals", []string{"goals", "corrections"}},
	{"scorecards", []string{"scorecards", "badges"}},
	{"bonuses", []string{"bonuses"}},
	{"leaderboards", []string{"leaderboards", "competitions"}},
	{"cascades", []string{"cascade"}},
}

// servedElsewhere reports whether a key of the report's JSON belongs to a
// section other than values (notifications have their own feed).
func servedElsewhere(key string) bool {
	if key == "notifications" {
		return true
	}
	for _, sec := range sections {
		if slices.Contains(sec.keys, key) {
			return true
		}
	}
	return false
}

func (s *Server) getSection(sec section) func(http.ResponseWriter, *http.Request, Identity) {
	return func(w http.ResponseWriter, r *http.Request, id Identity) {
		doc, raw, err := s.reportJSON(r, id)
		if err == nil && doc == nil {
			err = json.Unmarshal(raw, &doc)
		}
		if err != nil {
			s.readError(w, r, err)
			return
		}
		out := map[string]json.RawMessage{}
		for k, v := range doc {
			keep := k == "as_of" || k == "timezone"
			if sec.keys == nil {
				keep = keep || !servedElsewhere(k)
			} else {
				keep = keep || slices.Contains(sec.keys, k)
			}
			if keep {
				out[k] = v
			}
		}
		// A section the plan has none of (no cascade, no goals) is left
		// out, as the report leaves it out: it was null, which the
		// document's schema of the section (an array, an object) is not.
		writeJSON(w, http.StatusOK, out)
	}
}

// cutToPeriod keeps, of a list of objects, those of period p: an object
// with a "period" label keeps it if it is p's label or empty (a warning
// of no period holds in every period), one with period_start and
// period_end if they are p's, one with a "date" (an unpriced event) if p
// holds it; others stay. Anything but a list of objects is kept whole.
func cutToPeriod(v json.RawMessage, p period.Period, label string) (json.RawMessage, error) {
	if t := bytes.TrimSpace(v); len(t) == 0 || t[0] != '[' {
		return v, nil
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(v, &items); err != nil {
		return v, nil
	}
	str := func(m map[string]json.RawMessage, k string) (string, bool) {
		var s string
		raw, ok := m[k]
		if !ok || json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	}
	out := items[:0]
	for _, it := range items {
		if l, ok := str(it, "period"); ok {
			if l == label || l == "" {
				out = append(out, it)
			}
			continue
		}
		st, ok1 := str(it, "period_start")
		en, ok2 := str(it, "period_end")
		if ok1 && ok2 && (st != p.Start.String() || en != p.End.String()) {
			continue
		}
		if ds, ok := str(it, "date"); ok && !ok1 && !ok2 {
			if d, err := isodate.Parse(ds); err == nil && !p.Contains(d) {
				continue
			}
		}
		out = append(out, it)
	}
	return json.Marshal(out)
}

// getProgress answers one goal's progress for one participant: its row
// with the daily series of actual against plan, for the period named (by
// default the one that holds the as-of date, or else the last).
func (s *Server) getProgress(w http.ResponseWriter, r *http.Request, id Identity) {
	asOf, knownAt, err := s.instants(r)
	if err != nil {
		s.readError(w, r, err)
		return
	}
	p, byPeriod, err := s.periodParam(r)
	if err != nil {
		s.readError(w, r, err)
		return
	}
	row, err := s.progress(r.Context(), id, asOf, knownAt, r.PathValue("goal"), r.PathValue("participant"), p, byPeriod)
	if err != nil {
		s.readError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, row)
}

var _ dashboard.GoalSeries = (*Server)(nil)

// GoalSeries returns the daily series of one goal row as the viewer may
// see it, for the dashboard's page of the goal (the tracker's reports
// leave the series out): errNotFound when the viewer's report has no
// such row.
func (s *Server) GoalSeries(ctx context.Context, v goal.Viewer, asOf time.Time, goalID, participant string, p period.Period) ([]goal.Point, error) {
	row, err := s.progress(ctx, identityFrom(ctx, v), asOf, time.Time{}, goalID, participant, p, true)
	if err != nil {
		return nil, err
	}
	return row.Series, nil
}

// progress is the goal row of goalID and participant the identity may see
// (of period p when byPeriod, else the one that holds the as-of date, else
// the latest that began by it, else the first) with its daily series, as
// of asOf (as known at knownAt, unless zero); errNotFound when there is
// none.
func (s *Server) progress(ctx context.Context, id Identity, asOf, knownAt time.Time, gid, part string, p period.Period, byPeriod bool) (*goal.Row, error) {
	rep, _, err := s.viewed(ctx, id, asOf, knownAt)
	if err != nil {
		return nil, err
	}
	pick := func(rows []*goal.Row) *goal.Row {
		var begun, first *goal.Row
		today := s.plan.Calendar().Date(asOf)
		for _, row := range rows {
			if row.Goal != gid || row.Participant != part {
				continue
			}
			switch {
			case byPeriod && row.Period == p:
				return row
			case byPeriod:
			case row.Period.Contains(today):
				return row
			case row.Period.Start <= today && (begun == nil || row.Period.Start > begun.Period.Start):
				begun = row
			case first == nil || row.Period.Start < first.Period.Start:
				first = row
			}
		}
		if begun != nil {
			return begun
		}
		return first
	}
	if rep.Goals == nil {
		return nil, errNotFound
	}
	row := pick(rep.Goals.Rows)
	if row == nil {
		return nil, errNotFound
	}
	// The series: the same evaluation with daily series, over the events
	// known at the instant asked. A closed row that keeps its frozen
	// result (a later correction not applied) draws the events known when
	// it closed, so that its series ends at that result.
	seriesAt := knownAt
	if !row.ClosedAt.IsZero() && !restated(rep, row) && (seriesAt.IsZero() || row.ClosedAt.Before(seriesAt)) {
		seriesAt = row.ClosedAt
	}
	var src kpi.Source = s.tr.Indicators()
	if !seriesAt.IsZero() {
		if src, err = s.tr.Indicators().SourceAt(ctx, seriesAt); err != nil {
			return nil, err
		}
	}
	opts := append(slices.Clip(s.cfg.Options), goalkit.WithSeries())
	full, err := s.plan.Evaluate(ctx, src, asOf, opts...)
	if err != nil {
		return nil, err
	}
	out := *row
	if full.Goals != nil {
		byPeriod, p = true, row.Period
		if sr := pick(full.Goals.Rows); sr != nil {
			out.Series = sr.Series
		}
	}
	return &out, nil
}

// restated reports whether the report holds a correction applied to the
// closed row (the goal's policy restates): its result is then the events'
// now, not the one frozen when it closed.
func restated(rep *goalkit.Report, row *goal.Row) bool {
	for _, c := range rep.Goals.Corrections {
		if c.Goal == row.Goal && c.Participant == row.Participant && (c.ParticipantKind == "" || c.ParticipantKind == row.Kind) &&
			c.PeriodStart == row.Period.Start && c.PeriodEnd == row.Period.End {
			return c.Applied
		}
	}
	return false
}

// Explain explains one cell as of asOf as the viewer may see it: an error
// that says nothing but "not found" when the viewer may not see the
// participant or the cell does not exist; the events of actors the viewer
// may not see are left out.
func (s *Server) Explain(ctx context.Context, v goal.Viewer, asOf time.Time, c goalkit.Cell) (*kpi.Explanation, error) {
	ex, err := s.explain(ctx, identityFrom(ctx, v), asOf, time.Time{}, c)
	if errors.As(err, new(badRequest)) {
		// The engine's refusal of a cell it does not have (an admin's,
		// which the API answers 400 with its text): to the dashboard, a
		// cell that does not exist.
		err = errNotFound
	}
	return ex, err
}

// explain explains one cell as of asOf, over the event versions known at
// knownAt unless it is zero, as the report as known then counts them.
func (s *Server) explain(ctx context.Context, id Identity, asOf, knownAt time.Time, c goalkit.Cell) (*kpi.Explanation, error) {
	rep, err := s.report(ctx, asOf, knownAt)
	if err != nil {
		return nil, err
	}
	sc := s.scopeOf(id, asOf)
	if !sc.sees(rep, c.Participant) {
		return nil, errNotFound
	}
	var src kpi.Source = s.tr.Indicators()
	if !knownAt.IsZero() {
		if src, err = s.tr.Indicators().SourceAt(ctx, knownAt); err != nil {
			return nil, err
		}
	}
	ex, err := s.plan.Explain(ctx, src, asOf, c, s.cfg.Options...)
	switch {
	case err == nil:
	case !errors.Is(err, fs.ErrNotExist):
		// A failure to read (the directory of Options, the store): the
		// server's, answered 500 and logged.
		return nil, err
	case id.Viewer.Admin:
		return nil, badRequest{err.Error()}
	default:
		// The engine's refusal of a cell it does not have may suggest
		// other participants' names.
		return nil, errNotFound
	}
	return sc.explanation(ex), nil
}

func (s *Server) getExplain(w http.ResponseWriter, r *http.Request, id Identity) {
	asOf, knownAt, err := s.instants(r)
	if err != nil {
		s.readError(w, r, err)
		return
	}
	q := r.URL.Query()
	p, ok, err := s.periodParam(r)
	for _, name := range []string{"indicator", "participant"} {
		if _, perr := param(r, name); err == nil && perr != nil {
			err = perr
		}
	}
	if err == nil && (!ok || q.Get("indicator") == "" || q.Get("participant") == "") {
		err = &paramError{name: "indicator, participant and period", want: "all three", got: strings.Join([]string{q.Get("indicator"), q.Get("participant"), q.Get("period")}, ",")}
	}
	if err != nil {
		s.readError(w, r, err)
		return
	}
	ex, err := s.explain(r.Context(), id, asOf, knownAt, goalkit.Cell{Indicator: q.Get("indicator"), Participant: q.Get("participant"), Period: p})
	if err != nil {
		s.readError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ex)
}
