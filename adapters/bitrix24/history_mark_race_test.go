package bitrix24_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/fakeb24"
)

// atRequest runs do once, just before the first request of one of methods
// whose body holds one of marks, then sends it on through next (the
// default transport if nil).
type atRequest struct {
	methods, marks []string
	do             func()
	once           sync.Once
	next           http.RoundTripper
}

func (a *atRequest) RoundTrip(req *http.Request) (*http.Response, error) {
	method := strings.TrimSuffix(path.Base(req.URL.Path), ".json")
	if req.Body != nil && slices.Contains(a.methods, method) {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		for _, m := range a.marks {
			if bytes.Contains(b, []byte(m)) {
				a.once.Do(a.do)
			}
		}
		req = req.Clone(req.Context())
		req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
	}
	if a.next != nil {
		return a.next.RoundTrip(req)
	}
	return http.DefaultTransport.RoundTrip(req)
}

// atOwnerRead runs do once, just before the first request of the deals'
// stage history by owner (filter @OWNER_ID): the read of the whole history
// of the items an incremental sync found changed, after its scan for new
// rows.
func atOwnerRead(do func()) *atRequest {
	return &atRequest{methods: []string{"crm.stagehistory.list", "batch"}, marks: []string{"@OWNER_ID", "%40OWNER_ID"}, do: do}
}

// A deal that moves and is deleted while an incremental sync runs, after
// the sync's scan for new history rows, is retracted by the next sync,
// which finds its new row: the history mark stays at the rows the scan
// read. The sync's reading of the whole history of the deals it found
// changed took the mark past the highest row it read there, of another
// deal that moved later, so the next scan began past the deleted deal's
// row, and its events stayed for good.
func TestSyncHistoryMarkDuringSync(t *testing.T) {
	t.Parallel()
	eachPaging(t, func(t *testing.T, opts bitrix24.SyncOptions) {
		srv := newServer(t)
		c, _ := newClient(t, srv, bitrix24.WithHTTPClient(&http.Client{Transport: atOwnerRead(func() { moveAndDelete(t, srv) })}))
		evs1, wm1 := syncAll(t, c, opts)
		s := storeOf(evs1)
		if _, ok := s["b24:deal:1050:created"]; !ok {
			t.Fatal("the scenario lacks b24:deal:1050:created")
		}
		// Deal 1001 moves: the next sync finds it by its new row.
		srv.AddHistory(2, map[string]any{"TYPE_ID": 2, "OWNER_ID": 1001, "CREATED_TIME": at("11:00:00"), "CATEGORY_ID": 0, "STAGE_SEMANTIC_ID": "P", "STAGE_ID": "EXECUTING"})
		syncTwiceWithout1050(t, c, opts, s, wm1)
	})
}

// moveAndDelete moves deal 1050 and deletes it, then moves deal 1001
// again: two users at work while a sync reads.
func moveAndDelete(t *testing.T, srv *fakeb24.Server) {
	srv.AddHistory(2, map[string]any{"TYPE_ID": 2, "OWNER_ID": 1050, "CREATED_TIME": at("11:20:00"), "CATEGORY_ID": 0, "STAGE_SEMANTIC_ID": "P", "STAGE_ID": "EXECUTING"})
	if err := srv.Remove("deal", 1050); err != nil {
		t.Error(err)
	}
	srv.AddHistory(2, map[string]any{"TYPE_ID": 2, "OWNER_ID": 1001, "CREATED_TIME": at("11:21:00"), "CATEGORY_ID": 0, "STAGE_SEMANTIC_ID": "P", "STAGE_ID": "PREPARATION"})
}

// The same from ModifiedSince: a sync without a history mark took the mark
// from its reading of the whole history of the deals it found changed,
// past the row of deal 1050, which moved and was deleted while it read, so
// no later scan read that row and 1050's events stayed until a full
// listing. It scans the rows created since the date instead, and the mark
// it leaves lets the next sync find 1050's row and retract the deal.
func TestSyncHistoryMarkDuringSyncSince(t *testing.T) {
	t.Parallel()
	eachPaging(t, func(t *testing.T, opts bitrix24.SyncOptions) {
		srv := newServer(t)
		c, _ := newClient(t, srv)
		full, _ := syncAll(t, c, opts)
		s := storeOf(full)
		if _, ok := s["b24:deal:1050:created"]; !ok {
			t.Fatal("the scenario lacks b24:deal:1050:created")
		}
		// Deal 1001 is edited: the sync from the date reads it, and its
		// whole history.
		if err := srv.Update("deal", 1001, func(r map[string]any) { r["DATE_MODIFY"] = at("10:30:00") }); err != nil {
			t.Fatal(err)
		}
		c, _ = newClient(t, srv, bitrix24.WithHTTPClient(&http.Client{Transport: atOwnerRead(func() { moveAndDelete(t, srv) })}))
		opts.Since = bitrix24.ModifiedSince(mustTime(t, at("10:00:00")))
		evs1, wm1 := syncAll(t, c, opts)
		s.apply(evs1)
		syncTwiceWithout1050(t, c, opts, s, wm1)
	})
}

// syncTwiceWithout1050 applies two syncs from wm1 onwards to s and checks
// that deal 1050, moved and deleted during the sync that wrote wm1, has no
// event left.
func syncTwiceWithout1050(t *testing.T, c *bitrix24.Client, opts bitrix24.SyncOptions, s store, wm1 bitrix24.Watermark) {
	t.Helper()
	opts.Since = wm1
	evs2, wm2 := syncAll(t, c, opts)
	s.apply(evs2)
	opts.Since = wm2
	evs3, _ := syncAll(t, c, opts)
	s.apply(evs3)
	for _, id := range []string{"b24:deal:1050:created", "b24:deal:1050:won", "b24:deal:1050:lost"} {
		if e, ok := s[id]; ok {
			t.Errorf("%s kept (%s) after deal 1050 moved and was deleted; marks %d, %d", id, e.Kind, wm1.DealHistory, wm2.DealHistory)
		}
	}
}

// dealListThen runs do once, just before the first crm.deal.list request
// that filters by DATE_MODIFY (the list of an incremental sync, after its
// scan of the history), and sends the requests on through next.
func dealListThen(do func(), next http.RoundTripper) *atRequest {
	// The filter >=DATE_MODIFY, its ">" escaped or not.
	return &atRequest{methods: []string{"crm.deal.list"}, marks: []string{"=DATE_MODIFY"}, do: do, next: next}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// A sync from ModifiedSince whose scan finds no history row leaves no
// history id: the next scans the rows created since its modified mark.
// That mark was the newest change the list saw, which can be later than a
// move made between the scan and the list (deal 1050 at 10:00:30, deal
// 1001 edited at 10:00:45, the list at 10:01): the next scan began past
// the move, and 1050, deleted while the sync read, kept its events. The
// mark is held at the scan's start, as a history id would be.
func TestSyncHistoryMarkEmptyScan(t *testing.T) {
	t.Parallel()
	eachPaging(t, func(t *testing.T, opts bitrix24.SyncOptions) {
		srv := newServer(t)
		var clk *fakeClock
		moved := func() {
			_ = clk.Sleep(context.Background(), time.Minute) // the list comes at 10:01
			srv.AddHistory(2, map[string]any{"TYPE_ID": 2, "OWNER_ID": 1050, "CREATED_TIME": at("10:00:30"), "CATEGORY_ID": 0, "STAGE_SEMANTIC_ID": "P", "STAGE_ID": "EXECUTING"})
			for id, when := range map[int64]string{1050: at("10:00:30"), 1001: at("10:00:45")} {
				if err := srv.Update("deal", id, func(r map[string]any) { r["DATE_MODIFY"] = when }); err != nil {
					t.Error(err)
				}
			}
		}
		deleted := func() {
			if err := srv.Remove("deal", 1050); err != nil {
				t.Error(err)
			}
		}
		var c *bitrix24.Client
		c, clk = newClient(t, srv, bitrix24.WithHTTPClient(&http.Client{Transport: dealListThen(moved, atOwnerRead(deleted))}))
		s := store{}
		// No history row since 09:51 (the last is 09:50): the scan finds
		// none.
		opts.Since = bitrix24.ModifiedSince(mustTime(t, at("09:51:00")))
		evs1, wm1 := syncAll(t, c, opts)
		s.apply(evs1)
		if _, ok := s["b24:deal:1050:created"]; !ok {
			t.Fatal("the sync did not send b24:deal:1050:created")
		}
		if wm1.DealHistory != 0 {
			t.Fatalf("the scenario's scan found rows: history mark %d", wm1.DealHistory)
		}
		opts.Since = wm1
		evs2, _ := syncAll(t, c, opts)
		s.apply(evs2)
		for _, id := range []string{"b24:deal:1050:created", "b24:deal:1050:won", "b24:deal:1050:lost"} {
			if e, ok := s[id]; ok {
				t.Errorf("%s kept (%s) after deal 1050 moved and was deleted; modified mark %v", id, e.Kind, wm1.DealModified)
			}
		}
	})
}
