package bitrix24

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
)

// Watermark is where a sync got to: the newest DATE_MODIFY and LAST_UPDATED
// seen, and the highest stage-history row ids. Pass it to the next sync to read
// only what changed since. Store it as JSON between runs.
//
// Each entity is read in full when its modified time is zero. A history id of
// 0 (as in ModifiedSince) scans the history rows created at or after the
// modified time instead of those past the id. A negative history id or
// ElapsedID, which no sync writes, fails Sync before its first request;
// a modified time more than an hour past the portal's clock (which no
// sync writes either: the portal's clock was ahead when one read it, or a
// host gave a date to come) fails it once the portal answers, naming the
// mark, rather than leave every change before that time unread.
type Watermark struct {
	DealModified     time.Time `json:"deal_modified,omitzero"`
	DealHistory      int64     `json:"deal_history,omitempty"`
	LeadModified     time.Time `json:"lead_modified,omitzero"`
	LeadHistory      int64     `json:"lead_history,omitempty"`
	ActivityModified time.Time `json:"activity_modified,omitzero"`
	// DealIDs, LeadIDs and ActivityIDs are the ids listed by the last
	// sync with SyncOptions.Deletions, as ascending ranges ("1-5,7"; "-"
	// for none): the next such sync retracts the items gone from them;
	// ElapsedIDs and TaskIDs likewise the time-tracking records and the
	// tasks (with Tasks too). A listing not in that form fails Sync before
	// its first request, naming it (deal_ids, lead_ids, activity_ids,
	// elapsed_ids, task_ids); Check tells it sooner.
	DealIDs     string `json:"deal_ids,omitempty"`
	LeadIDs     string `json:"lead_ids,omitempty"`
	ActivityIDs string `json:"activity_ids,omitempty"`
	ElapsedIDs  string `json:"elapsed_ids,omitempty"`
	TaskIDs     string `json:"task_ids,omitempty"`
	// TaskModified is the newest CHANGED_DATE of the tasks and ElapsedID the
	// highest time-tracking record id seen (SyncOptions.Tasks).
	TaskModified time.Time `json:"task_modified,omitzero"`
	ElapsedID    int64     `json:"elapsed_id,omitempty"`
}

// ModifiedSince is the watermark of a sync that reads the deals, leads,
// activities and tasks changed at or after t (and the time logged since t).
func ModifiedSince(t time.Time) Watermark {
	return Watermark{DealModified: t, LeadModified: t, ActivityModified: t, TaskModified: t}
}

// Check reports a damaged id listing (DealIDs, LeadIDs, ActivityIDs,
// ElapsedIDs, TaskIDs: not ascending ranges) or a negative counter
// (DealHistory, LeadHistory, ElapsedID), naming it by its JSON name, as
// Sync does before its first request: a host that keeps the watermark in
// a file checks it when it reads the file, so that the error can name the
// file too.
func (w Watermark) Check() error {
	if err := checkListings(w); err != nil {
		return fmt.Errorf("bitrix24: %w", err)
	}
	return nil
}

// IsZero reports whether w is the zero watermark: a full sync.
func (w Watermark) IsZero() bool { return w == Watermark{} }

// SyncOptions configures Events and Sync.
type SyncOptions struct {
	// Since continues an earlier sync: only deals and leads whose DATE_MODIFY
	// is at or after it (or whose stage history has rows past its ids), and
	// activities whose LAST_UPDATED is at or after it, are read; their events
	// are emitted again, corrected or retracted. The comparison is inclusive,
	// so items modified in the watermark's second are read twice, which is
	// harmless: their events are the same. The zero Watermark is a full sync.
	Since Watermark
	// Location is the zone of date-only fields (a deal's CLOSEDATE, used only
	// to date an outcome that neither the stage history nor MOVED_TIME dates).
	// Default: UTC.
	Location *time.Location
	// Paging is how lists are read; default Keyset.
	Paging Paging
	// SkipHistory does not read crm.stagehistory.list: outcomes are dated by
	// MOVED_TIME (then the close date, then DATE_MODIFY), and retractions of
	// reopened items are only emitted by incremental syncs.
	SkipHistory bool
	// Prefix starts every event id; default "b24". Use one per portal when a
	// host syncs several. A prefix with a control character, or that is
	// not valid UTF-8, is refused, as no event id may hold one.
	Prefix string
	// Tasks also reads the tasks (tasks.task.list) and the time logged on
	// them (task.elapseditem.getlist), after the CRM: see the package
	// documentation. It needs the webhook's "task" scope.
	Tasks bool
	// Deletions also lists the ids of every deal, lead and activity, and
	// with Tasks of every task and time-tracking record (their ID alone, 50 a
	// request), and keeps them in the watermark, so that the next sync
	// with Deletions retracts every event of the items gone since
	// (deleted, or out of the webhook user's sight), which an incremental
	// sync otherwise misses (see the package documentation).
	// It costs a request per 50 items of each kind on every sync, and the
	// watermark grows with the gaps between ids: turn it on for a sync
	// every hour or night rather than every minute.
	Deletions bool
	// TaskGoalField is the task's user field that links it to a goal (its
	// value becomes the events' "goal" attribute); default UF_GOALKIT_GOAL.
	TaskGoalField string
}

// Events reads the portal's CRM data and returns it as events, with the
// watermark to pass as SyncOptions.Since next time. See the package
// documentation for the mapping.
func (c *Client) Events(ctx context.Context, opts SyncOptions) ([]kpi.Event, Watermark, error) {
	var out []kpi.Event
	wm, err := c.Sync(ctx, opts, func(e kpi.Event) error {
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, opts.Since, err
	}
	return out, wm, nil
}

// Sync is Events calling fn with each event instead of collecting them: the
// deals' events first (in ascending deal id), then the leads', then the
// activities' (with Deletions, each kind's retractions of the items gone
// follow its events). A nil fn is refused before the first request. If
// Sync fails, the events fn already got are still true (a repeated sync
// sends them again) and the watermark to resume from is opts.Since.
func (c *Client) Sync(ctx context.Context, opts SyncOptions, fn func(kpi.Event) error) (Watermark, error) {
	if fn == nil {
		return opts.Since, errors.New("bitrix24: sync: nil function for the events")
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Prefix == "" {
		opts.Prefix = "b24"
	}
	if bad := display.IDProblem(opts.Prefix); bad != "" {
		// Every event id starts with it: no store would take one.
		return opts.Since, fmt.Errorf("bitrix24: sync: prefix %s %s", display.QuoteID(opts.Prefix), bad)
	}
	if opts.TaskGoalField == "" {
		opts.TaskGoalField = DefaultTaskGoalField
	}
	if opts.Paging != Keyset && opts.Paging != Offset {
		return opts.Since, fmt.Errorf("bitrix24: sync: unknown paging %d", opts.Paging)
	}
	if err := checkListings(opts.Since); err != nil {
		return opts.Since, fmt.Errorf("bitrix24: sync: %w", err)
	}
	s := &syncer{c: c, opts: opts, m: mapper{prefix: opts.Prefix, loc: opts.Location}, wm: opts.Since}
	s.told = map[string]map[int64]bool{}
	s.sent = map[string][]int64{}
	if err := s.deals(ctx, fn); err != nil {
		return opts.Since, err
	}
	if opts.Deletions {
		if err := deletions(ctx, s, rest.DealQuery, func(d rest.Deal) int64 { return d.ID }, &s.wm.DealIDs, s.sent[dealSpec.name], s.told[dealSpec.name], s.retractItem(dealSpec, fn)); err != nil {
			return opts.Since, err
		}
	}
	if err := s.leads(ctx, fn); err != nil {
		return opts.Since, err
	}
	if opts.Deletions {
		if err := deletions(ctx, s, rest.LeadQuery, func(l rest.Lead) int64 { return l.ID }, &s.wm.LeadIDs, s.sent[leadSpec.name], s.told[leadSpec.name], s.retractItem(leadSpec, fn)); err != nil {
			return opts.Since, err
		}
	}
	if err := s.activities(ctx, fn); err != nil {
		return opts.Since, err
	}
	if opts.Deletions {
		retract := func(id int64) error { return fn(kpi.Event{ID: s.m.id("activity", id, ""), Deleted: true}) }
		if err := deletions(ctx, s, rest.ActivityQuery, func(a rest.Activity) int64 { return a.ID }, &s.wm.ActivityIDs, s.sent["activity"], nil, retract); err != nil {
			return opts.Since, err
		}
	}
	if opts.Tasks {
		if err := s.tasks(ctx, fn); err != nil {
			return opts.Since, err
		}
		if opts.Deletions {
			// The method pages by id alone, whatever the paging asked.
			query := func(p rest.ListParams) (*rest.ListQuery, error) { p.Offset = false; return rest.ElapsedQuery(p) }
			retract := func(id int64) error { return fn(kpi.Event{ID: s.m.id("elapsed", id, ""), Deleted: true}) }
			if err := deletions(ctx, s, query, func(e rest.ElapsedItem) int64 { return e.ID }, &s.wm.ElapsedIDs, s.sent["elapsed"], nil, retract); err != nil {
				return opts.Since, err
			}
			tasks := func(p rest.ListParams) (*rest.ListQuery, error) {
				if ids, ok := p.Filter["@ID"]; ok {
					p.Filter = map[string]any{"ID": ids} // the method's filter of several ids
				}
				return rest.TaskQuery(p)
			}
			retractTask := func(id int64) error {
				for _, suffix := range []string{"created", "completed", "overdue"} {
					if err := fn(kpi.Event{ID: s.m.id("task", id, suffix), Deleted: true}); err != nil {
						return err
					}
				}
				return nil
			}
			if err := deletions(ctx, s, tasks, func(t rest.Task) int64 { return t.ID }, &s.wm.TaskIDs, s.sent["task"], nil, retractTask); err != nil {
				return opts.Since, err
			}
		}
	}
	return s.wm, nil
}

type syncer struct {
	c    *Client
	opts SyncOptions
	m    mapper
	wm   Watermark

	stageSem  map[string]string // deal stage id -> semantic, loaded on demand
	statusSem map[string]string // lead status id -> semantic
	// told are the deals and leads (by kind) whose events this sync
	// retracted as gone.
	told map[string]map[int64]bool
	// sent are the items (by kind: deal, lead, activity, task, elapsed)
	// whose events this sync sent, for SyncOptions.Deletions.
	sent map[string][]int64
}

// offset says whether lists are read with offset paging.
func (s *syncer) offset() bool { return s.opts.Paging == Offset }

// changed is what an incremental read of one entity found.
type changed struct {
	modified time.Time // the entity's "modified" watermark
	histID   int64     // its history watermark
}

// deals emits the deals' events.
func (s *syncer) deals(ctx context.Context, fn func(kpi.Event) error) error {
	return syncItems(ctx, s, itemKind[rest.Deal]{
		spec: dealSpec, query: rest.DealQuery, semantics: s.stageSemantics, item: s.m.dealItem,
		key:      func(d rest.Deal) (int64, time.Time) { return d.ID, d.DateModify },
		semantic: func(d *rest.Deal) (int64, string, *string) { return d.ID, d.StageID, &d.StageSemantic },
		modified: &s.wm.DealModified, history: &s.wm.DealHistory,
	}, fn)
}

// leads emits the leads' events.
func (s *syncer) leads(ctx context.Context, fn func(kpi.Event) error) error {
	return syncItems(ctx, s, itemKind[rest.Lead]{
		spec: leadSpec, query: rest.LeadQuery, semantics: s.statusSemantics, item: s.m.leadItem,
		key:      func(l rest.Lead) (int64, time.Time) { return l.ID, l.DateModify },
		semantic: func(l *rest.Lead) (int64, string, *string) { return l.ID, l.StatusID, &l.StatusSemantic },
		modified: &s.wm.LeadModified, history: &s.wm.LeadHistory,
	}, fn)
}

// itemKind is what syncing deals or leads needs to know of their kind.
type itemKind[T rest.Row] struct {
	spec  entitySpec
	query func(rest.ListParams) (*rest.ListQuery, error)
	key   func(T) (int64, time.Time)
	// semantic returns an item's id, its stage or status code and where
	// its semantics is; semantics reads the kind's dictionary of them.
	semantic  func(*T) (id int64, code string, sem *string)
	semantics func(context.Context) (map[string]string, error)
	item      func(T) item
	modified  *time.Time // the watermarks it advances
	history   *int64
}

// syncItems reads the items of one kind changed since the watermark, with
// their stage history, and emits their events and the retractions of items
// gone.
func syncItems[T rest.Row](ctx context.Context, s *syncer, k itemKind[T], fn func(kpi.Event) error) error {
	since := changed{*k.modified, *k.history}
	rows, hist, gone, wm, err := readItems(ctx, s, k.spec.entity, since, k.query, k.key)
	if err != nil {
		return err
	}
	*k.modified, *k.history = wm.modified, wm.histID
	if err := resolveSemantics(ctx, k, rows, hist); err != nil {
		return err
	}
	incremental := !since.modified.IsZero()
	for _, r := range rows {
		id, _ := k.key(r)
		evs, err := s.m.itemEvents(k.spec, k.item(r), hist[id], incremental)
		if err != nil {
			return err
		}
		if err := emit(evs, fn); err != nil {
			return err
		}
		s.sent[k.spec.name] = append(s.sent[k.spec.name], id)
	}
	told := map[int64]bool{}
	for _, id := range gone {
		told[id] = true
	}
	s.told[k.spec.name] = told
	return s.retractGone(k.spec, gone, fn)
}

// retractGone retracts every event of items that have new history rows but
// are no longer listed (deleted, or out of the webhook user's sight).
func (s *syncer) retractGone(spec entitySpec, gone []int64, fn func(kpi.Event) error) error {
	for _, id := range gone {
		for _, suffix := range []string{"created", spec.successID, spec.failureID} {
			if err := fn(kpi.Event{ID: s.m.id(spec.name, id, suffix), Deleted: true}); err != nil {
				return err
			}
		}
	}
	return nil
}

// activities emits the activities' events.
func (s *syncer) activities(ctx context.Context, fn func(kpi.Event) error) error {
	p := rest.ListParams{Offset: s.offset()}
	incremental := !s.wm.ActivityModified.IsZero()
	if incremental {
		p.Filter = map[string]any{">=LAST_UPDATED": s.wm.ActivityModified}
	}
	q, err := rest.ActivityQuery(p)
	if err != nil {
		return err
	}
	acts, err := collect[rest.Activity](ctx, s.c, q)
	if err != nil {
		return err
	}
	if incremental {
		if err := markAhead("activity_modified", s.wm.ActivityModified, q.Began); err != nil {
			return err
		}
	}
	var newest time.Time
	for _, a := range acts {
		if a.LastUpdated.After(newest) {
			newest = a.LastUpdated
		}
	}
	s.wm.ActivityModified = advanceMark(s.wm.ActivityModified, newest, q.Began)
	for _, a := range acts {
		e, ok, err := s.m.activityEvent(a, incremental)
		if err != nil {
			return err
		}
		if ok {
			if err := fn(e); err != nil {
				return err
			}
			s.sent["activity"] = append(s.sent["activity"], a.ID)
		}
	}
	return nil
}

// advanceMark is the new "modified" watermark: the newest modification seen,
// but not past the portal's clock when the read began (a row dated in the
// future must not hide the changes made before that date), and never before
// the old mark.
func advanceMark(old, newest, began time.Time) time.Time {
	if !began.IsZero() && newest.After(began) {
		newest = began
	}
	if newest.After(old) {
		return newest
	}
	return old
}

// markSlack is how far a watermark's modified time may be ahead of the
// portal's clock (a host's ModifiedSince(time.Now()) on a clock a little
// ahead of the portal's) before markAhead refuses it.
const markSlack = time.Hour

// markAhead is the error of a watermark's modified time (JSON name field)
// past the portal's clock when it began answering the read that filters
// by it, by more than markSlack: no sync writes one (a mark is capped at
// the portal's clock), unless that clock was set ahead then and is right
// now, or a host gave a date to come. Every change made before it would
// be left unread, without a word, until the portal's clock reached it.
func markAhead(field string, mark, began time.Time) error {
	if began.IsZero() || !mark.After(began.Add(markSlack)) {
		return nil
	}
	return fmt.Errorf("bitrix24: sync: watermark %s %s is after the portal's clock (%s): no change before it would be read until then; sync in full (a zero watermark) or from an earlier date",
		field, mark.Format(time.RFC3339), began.Format(time.RFC3339))
}

func emit(evs []kpi.Event, fn func(kpi.Event) error) error {
	for _, e := range evs {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// readItems reads the deals or leads a sync needs and their stage history.
//
// A full sync reads the whole history, then every item. An incremental one
// reads the history rows past the watermark (or, without a history mark,
// created since its modified time: their owners changed stage), the
// items modified since the watermark, the other owners by id, and then the
// whole history of all of them, so each item's outcome is decided on its
// complete trail. gone lists owners with new history rows that are no longer
// listed.
func readItems[T rest.Row](ctx context.Context, s *syncer, entity int, since changed,
	query func(rest.ListParams) (*rest.ListQuery, error), key func(T) (int64, time.Time),
) (items []T, hist map[int64][]rest.StageHistoryRow, gone []int64, wm changed, err error) {
	c, offset := s.c, s.offset()
	wm = since
	hist = map[int64][]rest.StageHistoryRow{}
	// addHist checks rows and, with mark, takes the history mark past
	// them. Only a read of every row past the mark may move it: a row
	// of another item, between the mark and a row read by owner, would
	// never be scanned.
	addHist := func(rows []rest.StageHistoryRow, mark bool) error {
		for _, r := range rows {
			switch r.TypeID {
			case rest.HistoryCreated, rest.HistoryMoved, rest.HistoryFinal, rest.HistoryPipeline:
			default:
				return fmt.Errorf("bitrix24: crm.stagehistory.list: row %d (owner %d): unknown TYPE_ID %d", r.ID, r.OwnerID, r.TypeID)
			}
			if mark && r.ID > wm.histID {
				wm.histID = r.ID
			}
		}
		return nil
	}
	// dedupe keeps the last row of each id: offset paging over a changing
	// list can return a row twice.
	dedupe := func(vs []T) []T {
		at := make(map[int64]int, len(vs))
		out := vs[:0]
		for _, v := range vs {
			id, _ := key(v)
			if i, ok := at[id]; ok {
				out[i] = v
				continue
			}
			at[id] = len(out)
			out = append(out, v)
		}
		return out
	}
	noteItems := func(vs []T, began time.Time) {
		var newest time.Time
		for _, v := range vs {
			if _, mod := key(v); mod.After(newest) {
				newest = mod
			}
		}
		wm.modified = advanceMark(since.modified, newest, began)
	}
	// history reads the history rows the filter selects and checks them,
	// and tells when the portal began answering.
	history := func(filter map[string]any) ([]rest.StageHistoryRow, time.Time, error) {
		q, err := rest.HistoryQuery(entity, rest.ListParams{Offset: offset, Filter: filter})
		if err != nil {
			return nil, time.Time{}, err
		}
		rows, err := collect[rest.StageHistoryRow](ctx, c, q)
		if err != nil {
			return nil, time.Time{}, err
		}
		return rows, q.Began, addHist(rows, true)
	}
	// list reads the items the filter selects, and when the portal began
	// answering.
	list := func(filter map[string]any) ([]T, time.Time, error) {
		q, err := query(rest.ListParams{Offset: offset, Filter: filter})
		if err != nil {
			return nil, time.Time{}, err
		}
		vs, err := collect[T](ctx, c, q)
		return vs, q.Began, err
	}

	if since.modified.IsZero() {
		// Full sync: the history first, so that an item that moves while we
		// read is newer in the list than in the history (and dated by its
		// MOVED_TIME) rather than the other way round.
		if !s.opts.SkipHistory {
			rows, _, err := history(nil)
			if err != nil {
				return nil, nil, nil, since, err
			}
			for _, r := range rows {
				hist[r.OwnerID] = append(hist[r.OwnerID], r)
			}
		}
		var began time.Time
		items, began, err = list(nil)
		if err != nil {
			return nil, nil, nil, since, err
		}
		items = dedupe(items)
		noteItems(items, began)
		for owner, rows := range hist {
			hist[owner] = dedupeHistory(rows)
		}
		for _, rows := range hist {
			sortHistory(rows)
		}
		return items, hist, nil, wm, nil
	}

	// Incremental sync: the scan of the history rows past the mark, or
	// without one (ModifiedSince) of those created since the modified
	// time. It reads every row past the mark it leaves, so a deal that
	// moves while the sync runs has its row read by the next scan. A scan
	// by time holds the modified mark at its start: one that finds no row
	// leaves no id, and the next scan starts from that mark, which must
	// not pass a move made after this scan began because the list saw a
	// later change.
	owners := map[int64]bool{}
	var scanBegan time.Time
	if !s.opts.SkipHistory {
		filter := map[string]any{">ID": since.histID}
		if since.histID == 0 {
			filter = map[string]any{">=CREATED_TIME": since.modified}
		}
		rows, began, err := history(filter)
		if err != nil {
			return nil, nil, nil, since, err
		}
		if since.histID == 0 {
			scanBegan = began
		}
		for _, r := range rows {
			owners[r.OwnerID] = true
		}
	}
	items, began, err := list(map[string]any{">=DATE_MODIFY": since.modified})
	if err != nil {
		return nil, nil, nil, since, err
	}
	field := "lead_modified"
	if entity == rest.EntityDeal {
		field = "deal_modified"
	}
	if err := markAhead(field, since.modified, began); err != nil {
		return nil, nil, nil, since, err
	}
	seen := map[int64]bool{}
	for _, v := range items {
		id, _ := key(v)
		seen[id] = true
	}
	var missing []int64
	for id := range owners {
		if !seen[id] {
			missing = append(missing, id)
		}
	}
	sort.Slice(missing, func(i, j int) bool { return missing[i] < missing[j] })
	if len(missing) > 0 {
		more, err := readByIDs[T](ctx, s, missing, func(chunk []int64) (*rest.ListQuery, error) {
			return query(rest.ListParams{Offset: offset, Filter: map[string]any{"@ID": chunk}})
		})
		if err != nil {
			return nil, nil, nil, since, err
		}
		for _, v := range more {
			id, _ := key(v)
			seen[id] = true
		}
		items = append(items, more...)
		for _, id := range missing {
			if !seen[id] {
				gone = append(gone, id)
			}
		}
	}
	items = dedupe(items)
	sort.SliceStable(items, func(i, j int) bool {
		a, _ := key(items[i])
		b, _ := key(items[j])
		return a < b
	})
	if !scanBegan.IsZero() && scanBegan.Before(began) {
		began = scanBegan
	}
	noteItems(items, began)
	if !s.opts.SkipHistory && len(items) > 0 {
		ids := make([]int64, len(items))
		for i, v := range items {
			ids[i], _ = key(v)
		}
		rows, err := readByIDs[rest.StageHistoryRow](ctx, s, ids, func(chunk []int64) (*rest.ListQuery, error) {
			return rest.HistoryQuery(entity, rest.ListParams{Offset: offset, Filter: map[string]any{"@OWNER_ID": chunk}})
		})
		if err != nil {
			return nil, nil, nil, since, err
		}
		// These rows never move the mark: a row of another item, between
		// the mark and one read here, would be left out of every scan.
		if err := addHist(rows, false); err != nil {
			return nil, nil, nil, since, err
		}
		for _, r := range rows {
			hist[r.OwnerID] = append(hist[r.OwnerID], r)
		}
		for owner, rows := range hist {
			hist[owner] = dedupeHistory(rows)
			sortHistory(hist[owner])
		}
	}
	return items, hist, gone, wm, nil
}

// dedupeHistory drops repeated rows (same ID) of one item's history.
func dedupeHistory(rows []rest.StageHistoryRow) []rest.StageHistoryRow {
	seen := make(map[int64]bool, len(rows))
	out := rows[:0]
	for _, r := range rows {
		if !seen[r.ID] {
			seen[r.ID] = true
			out = append(out, r)
		}
	}
	return out
}

// idChunk is how many ids go into one "@ID" filter.
const idChunk = 50

// readByIDs reads the rows for a set of ids, 50 ids a query, the queries
// running side by side in batches.
func readByIDs[T rest.Row](ctx context.Context, s *syncer, ids []int64, mk func([]int64) (*rest.ListQuery, error)) ([]T, error) {
	var qs []*rest.ListQuery
	for i := 0; i < len(ids); i += idChunk {
		chunk := ids[i:min(i+idChunk, len(ids))]
		q, err := mk(chunk)
		if err != nil {
			return nil, err
		}
		qs = append(qs, q)
	}
	var out []T
	err := s.c.listMany(ctx, qs, func(q *rest.ListQuery, rows []json.RawMessage) error {
		vs, err := decodeRows[T](q, rows, q.Rows())
		out = append(out, vs...)
		return err
	})
	return out, err
}

// resolveSemantics fills in the semantics of the items and history rows the
// portal sent without one, from the kind's dictionary (read only then).
func resolveSemantics[T rest.Row](ctx context.Context, k itemKind[T], items []T, hist map[int64][]rest.StageHistoryRow) error {
	need := false
	for i := range items {
		if _, _, sem := k.semantic(&items[i]); *sem == "" {
			need = true
		}
	}
	for _, rows := range hist {
		for _, r := range rows {
			if r.Semantic == "" {
				need = true
			}
		}
	}
	if !need {
		return nil
	}
	sems, err := k.semantics(ctx)
	if err != nil {
		return err
	}
	for i := range items {
		id, code, sem := k.semantic(&items[i])
		if *sem == "" {
			v, ok := sems[code]
			if !ok {
				return fmt.Errorf("bitrix24: %s %d: %s %q %s", k.spec.name, id, k.spec.code, code, k.spec.unknown)
			}
			*sem = v
		}
	}
	for owner, rows := range hist {
		for i := range rows {
			if rows[i].Semantic == "" {
				v, ok := sems[rows[i].StageID]
				if !ok {
					return fmt.Errorf("bitrix24: crm.stagehistory.list: row %d (owner %d): %s %q %s", rows[i].ID, owner, k.spec.code, rows[i].StageID, k.spec.unknown)
				}
				rows[i].Semantic = v
			}
		}
	}
	return nil
}

// stageSemantics returns the semantics of the deal stages of every
// pipeline, from their stage dictionaries.
func (s *syncer) stageSemantics(ctx context.Context) (map[string]string, error) {
	if s.stageSem != nil {
		return s.stageSem, nil
	}
	cats, err := s.c.categories(ctx, rest.EntityDeal)
	if err != nil {
		return nil, err
	}
	qs := []*rest.ListQuery{rest.StatusQuery("DEAL_STAGE")}
	for _, cat := range cats {
		if cat.ID != 0 {
			qs = append(qs, rest.StatusQuery("DEAL_STAGE_"+strconv.FormatInt(cat.ID, 10)))
		}
	}
	sem := map[string]string{}
	err = s.c.listMany(ctx, qs, func(q *rest.ListQuery, rows []json.RawMessage) error {
		sts, err := decodeRows[rest.Status](q, rows, q.Rows())
		for _, st := range sts {
			sem[st.StatusID] = semOrP(st.Semantics)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	s.stageSem = sem
	return sem, nil
}

// statusSemantics returns the semantics of the lead statuses.
func (s *syncer) statusSemantics(ctx context.Context) (map[string]string, error) {
	if s.statusSem != nil {
		return s.statusSem, nil
	}
	sts, err := s.c.statuses(ctx, "STATUS")
	if err != nil {
		return nil, err
	}
	s.statusSem = map[string]string{}
	for _, st := range sts {
		s.statusSem[st.StatusID] = semOrP(st.Semantics)
	}
	return s.statusSem, nil
}

func semOrP(s string) string {
	if s == "" {
		return rest.SemanticProcess
	}
	return s
}
