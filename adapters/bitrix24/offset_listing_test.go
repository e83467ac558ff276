package bitrix24_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/fakeb24"
)

// removeAtPage deletes one deal of the portal just before the listing of
// the deals' ids (SyncOptions.Deletions) asks for its page at start.
type removeAtPage struct {
	srv   *fakeb24.Server
	start float64
	id    int64
	once  sync.Once
	err   error
}

func (r *removeAtPage) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.TrimSuffix(path.Base(req.URL.Path), ".json") == "crm.deal.list" && req.Body != nil {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		var p struct {
			Select []string `json:"select"`
			Start  float64  `json:"start"`
		}
		if json.Unmarshal(b, &p) == nil && slices.Equal(p.Select, []string{"ID"}) && p.Start == r.start {
			r.once.Do(func() { r.err = r.srv.Remove("deal", r.id) })
		}
		req = req.Clone(req.Context())
		req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
	}
	return http.DefaultTransport.RoundTrip(req)
}

// A deal deleted while a sync with Deletions lists the ids page by page
// (offset paging) is retracted, and no other: the deletion moved every
// later deal one place up, so the page after it began one deal late, and
// the deal it skipped, missing from the listing, was retracted as deleted
// although it was there (its events gone until it changed again).
func TestSyncDeletionsOffsetShift(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	rt := &removeAtPage{srv: srv, start: 50, id: 1001}
	c, _ := newClient(t, srv, bitrix24.WithHTTPClient(&http.Client{Transport: rt}))
	opts := bitrix24.SyncOptions{Paging: bitrix24.Offset, Deletions: true}
	evs1, wm1 := syncAll(t, c, opts)
	if rt.err != nil {
		t.Fatal(rt.err)
	}
	s := storeOf(evs1)
	opts.Since = wm1
	evs2, wm2 := syncAll(t, c, opts)
	s.apply(evs2)
	var told []string
	for _, e := range slices.Concat(evs1, evs2) {
		if e.Deleted && strings.HasSuffix(e.ID, ":created") && e.ID != "b24:deal:1001:created" {
			told = append(told, e.ID)
		}
	}
	if len(told) > 0 {
		t.Errorf("deals retracted that are there: %v", told)
	}
	for _, id := range []string{"b24:deal:1001:created", "b24:deal:1001:lost"} {
		if _, ok := s[id]; ok {
			t.Errorf("%s kept", id)
		}
	}
	full, _ := syncAll(t, c, bitrix24.SyncOptions{Paging: bitrix24.Offset})
	sameStore(t, "incremental vs full", s, storeOf(full))
	// The first listing read 1001 before its deletion; the second has it
	// no more. Both have 1057, the deal the first one's page skipped.
	if !listed(wm1.DealIDs, 1057) || !listed(wm2.DealIDs, 1057) || listed(wm2.DealIDs, 1001) {
		t.Errorf("listings %q, %q: want 1057 in both and 1001 not in the second", wm1.DealIDs, wm2.DealIDs)
	}
}

// listed reports whether a watermark's listing ("1-5,7") holds id.
func listed(ranges string, id int64) bool {
	for _, r := range strings.Split(ranges, ",") {
		a, b, ok := strings.Cut(r, "-")
		if !ok {
			b = a
		}
		lo, err1 := strconv.ParseInt(a, 10, 64)
		hi, err2 := strconv.ParseInt(b, 10, 64)
		if err1 == nil && err2 == nil && lo <= id && id <= hi {
			return true
		}
	}
	return false
}
