package bitrix24_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/fakeb24"
	"pgregory.net/rapid"
)

// toggleAtUserPage removes and adds users of the portal before each page of
// user.get after the first (a call of its own or a command of a batch).
type toggleAtUserPage struct {
	srv     *fakeb24.Server
	toggles [][]int64 // before page i+1: each id leaves if there, else enters
	mu      sync.Mutex
	pages   int
}

func (r *toggleAtUserPage) RoundTrip(req *http.Request) (*http.Response, error) {
	method := strings.TrimSuffix(path.Base(req.URL.Path), ".json")
	if req.Body != nil && (method == "user.get" || method == "batch") {
		b, req, err := bodyOf(req)
		if err != nil {
			return nil, err
		}
		if method == "user.get" || bytes.Contains(b, []byte("user.get")) {
			r.mu.Lock()
			if r.pages > 0 && r.pages <= len(r.toggles) {
				for _, id := range r.toggles[r.pages-1] {
					if r.srv.Remove("user", id) != nil {
						r.srv.AddRow("user", "ID", map[string]any{"ID": strconv.FormatInt(id, 10), "ACTIVE": true, "NAME": "U" + strconv.FormatInt(id, 10), "UF_DEPARTMENT": []any{1}})
					}
				}
			}
			r.pages++
			r.mu.Unlock()
		}
		return http.DefaultTransport.RoundTrip(req)
	}
	return http.DefaultTransport.RoundTrip(req)
}

// TestDirectoryUsersWhileTheyChange: whatever users are deleted or added
// while Directory pages through user.get, every user in the portal from
// the first page to the last is in the directory, once. Read by offset, a
// user deleted before the next page moved every later one a place up, and
// the first of that page was never read (the man of a team missing from
// it), and one added before the read position was read twice, which failed
// the whole directory.
func TestDirectoryUsersWhileTheyChange(t *testing.T) {
	t.Parallel()
	srv := newServer(t) // one portal: its users past the fixture's are drawn anew
	const universe = 260
	rapid.Check(t, func(t *rapid.T) {
		for id := int64(13); id <= universe; id++ {
			_ = srv.Remove("user", id)
		}
		present := map[int64]bool{} // the fixture's users (user.get.json) stay
		for _, id := range []int64{1, 3, 4, 5, 6, 7, 8, 9, 10, 12} {
			present[id] = true
		}
		for _, id := range rapid.SliceOfNDistinct(rapid.Int64Range(13, universe), 45, 150, rapid.ID[int64]).Draw(t, "users") {
			srv.AddRow("user", "ID", map[string]any{"ID": strconv.FormatInt(id, 10), "ACTIVE": true, "NAME": "U" + strconv.FormatInt(id, 10), "UF_DEPARTMENT": []any{1}})
			present[id] = true
		}
		staying := map[int64]bool{}
		for id := range present {
			staying[id] = true
		}
		rt := &toggleAtUserPage{srv: srv}
		for i := range 6 {
			ids := rapid.SliceOfN(rapid.Int64Range(13, universe), 0, 12).Draw(t, fmt.Sprintf("toggled before page %d", i+2))
			for _, id := range ids {
				delete(staying, id)
			}
			rt.toggles = append(rt.toggles, ids)
		}
		c, err := bitrix24.New(bitrix24.Webhook(srv.WebhookURL()), bitrix24.WithMinInterval(0), bitrix24.WithHTTPClient(&http.Client{Transport: rt}))
		if err != nil {
			t.Fatal(err)
		}
		o, err := c.Directory(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		read := map[int64]int{}
		for _, u := range o.Users() {
			n, _ := strconv.ParseInt(u.ID, 10, 64)
			read[n]++
		}
		for id := range staying {
			if read[id] != 1 {
				t.Fatalf("user %d, in the portal throughout, read %d times (%d pages)", id, read[id], rt.pages)
			}
		}
	})
}
