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
	"github.com/goalkit/goalkit/kpi"
)

// removeAtListing deletes one row of the portal (srv.Remove) just before
// the first request of method that selects the ID alone: the listing of
// SyncOptions.Deletions, which a sync makes after it read the rows.
type removeAtListing struct {
	srv    *fakeb24.Server
	method string
	entity string
	id     int64
	once   sync.Once
	err    error
}

func (r *removeAtListing) RoundTrip(req *http.Request) (*http.Response, error) {
	method := strings.TrimSuffix(path.Base(req.URL.Path), ".json")
	if method == r.method && req.Body != nil {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		var p struct {
			Select []string `json:"select"`
		}
		if json.Unmarshal(b, &p) == nil && slices.Equal(p.Select, []string{"ID"}) {
			r.once.Do(func() { r.err = r.srv.Remove(r.entity, r.id) })
		}
		req = req.Clone(req.Context())
		req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
	}
	return http.DefaultTransport.RoundTrip(req)
}

// An item deleted while a sync with Deletions runs, after its rows were
// read and before the ids were listed, has its events retracted: the sync
// sent them, and the listing, which lacks the item, is what the next sync
// compares with. They stayed for good: the listing before had not the item
// either (it was new, or this was the first listing), so no sync ever saw
// it gone.
func TestSyncDeletionsDuringSync(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		method, entity string
		id             int64
		ids            []string
	}{
		{"crm.deal.list", "deal", 1037, []string{"b24:deal:1037:created", "b24:deal:1037:won"}},
		{"crm.lead.list", "lead", 0, nil},
		{"crm.activity.list", "activity", 0, nil},
	} {
		t.Run(tc.entity, func(t *testing.T) {
			eachPaging(t, func(t *testing.T, opts bitrix24.SyncOptions) {
				srv := newServer(t)
				id, ids := tc.id, tc.ids
				var err error
				if id == 0 {
					// The first item of the kind that has an event.
					c, _ := newClient(t, srv)
					evs, _ := syncAll(t, c, bitrix24.SyncOptions{Paging: opts.Paging})
					for _, e := range evs {
						if want := "b24:" + tc.entity + ":"; strings.HasPrefix(e.ID, want) && !e.Deleted {
							n, _, _ := strings.Cut(strings.TrimPrefix(e.ID, want), ":")
							if id, err = strconv.ParseInt(n, 10, 64); err != nil {
								t.Fatal(err)
							}
							break
						}
					}
					for _, e := range evs {
						if strings.HasPrefix(e.ID, "b24:"+tc.entity+":"+itoa(id)) && !e.Deleted {
							ids = append(ids, e.ID)
						}
					}
				}
				rt := &removeAtListing{srv: srv, method: tc.method, entity: tc.entity, id: id}
				c, _ := newClient(t, srv, bitrix24.WithHTTPClient(&http.Client{Transport: rt}))
				opts.Deletions = true
				evs1, wm1 := syncAll(t, c, opts)
				if rt.err != nil {
					t.Fatal(rt.err)
				}
				s := storeOf(evs1)
				if len(ids) == 0 {
					t.Fatalf("%s: the scenario has no events of %s %d", tc.entity, tc.entity, id)
				}
				for _, e := range ids {
					if !slices.ContainsFunc(evs1, func(x kpi.Event) bool { return x.ID == e && !x.Deleted }) {
						t.Fatalf("the sync did not send %s before the deletion", e)
					}
					if _, ok := s[e]; ok {
						t.Errorf("%s kept after the sync that saw %s %d gone", e, tc.entity, id)
					}
				}
				opts.Since = wm1
				evs2, _ := syncAll(t, c, opts)
				s.apply(evs2)
				for _, e := range ids {
					if _, ok := s[e]; ok {
						t.Errorf("%s kept after the next sync", e)
					}
				}
				full, _ := syncAll(t, c, bitrix24.SyncOptions{Paging: opts.Paging})
				sameStore(t, "incremental vs full", s, storeOf(full))
			})
		})
	}
}
