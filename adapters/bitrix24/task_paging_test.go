package bitrix24_test

import (
	"bytes"
	"net/http"
	"path"
	"strings"
	"sync"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/fakeb24"
)

// removeAtTaskPage deletes a task of the portal just before the second
// page of the incremental read of the tasks changed since the watermark
// (filter >=CHANGED_DATE).
type removeAtTaskPage struct {
	srv   *fakeb24.Server
	id    int64
	mu    sync.Mutex
	pages int
	err   error
}

func (r *removeAtTaskPage) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.TrimSuffix(path.Base(req.URL.Path), ".json") == "tasks.task.list" && req.Body != nil {
		b, req, err := bodyOf(req)
		if err != nil {
			return nil, err
		}
		// The filter >=CHANGED_DATE, its ">" escaped or not.
		if bytes.Contains(b, []byte("=CHANGED_DATE")) {
			r.mu.Lock()
			if r.pages++; r.pages == 2 {
				r.err = r.srv.Remove("task", r.id)
			}
			r.mu.Unlock()
		}
		return http.DefaultTransport.RoundTrip(req)
	}
	return http.DefaultTransport.RoundTrip(req)
}

// A task deleted while an incremental sync reads the changed tasks page by
// page does not hide the task after it: read by offset, the deletion moved
// every later task a place up, so the second page began one task late,
// the 51st changed task (reopened here) was never read, and the watermark
// moved past its change, which no later sync read either.
func TestSyncTasksDeletedBetweenPages(t *testing.T) {
	t.Parallel()
	srv, _, _, s, wm := seededSync(t)
	if _, ok := s["b24:task:51:completed"]; !ok {
		t.Fatal("the scenario lacks b24:task:51:completed")
	}
	// Every task changes after the watermark: the sync reads 58 tasks, in
	// two pages. Task 51 is reopened.
	srv.UpdateAll("task", func(r map[string]any) { r["changedDate"] = "2024-04-02T11:00:00+03:00" })
	if err := srv.UpdateKey("task", "id", 51, func(r map[string]any) { r["status"], r["closedDate"] = "3", nil }); err != nil {
		t.Fatal(err)
	}
	rt := &removeAtTaskPage{srv: srv, id: 10}
	c, _ := newClient(t, srv, bitrix24.WithHTTPClient(&http.Client{Transport: rt}))
	evs, _ := syncAll(t, c, bitrix24.SyncOptions{Tasks: true, Location: msk, Since: wm})
	if rt.err != nil || rt.pages < 2 {
		t.Fatalf("the task was not removed between pages (%d pages): %v", rt.pages, rt.err)
	}
	s.apply(evs)
	if e, ok := s["b24:task:51:completed"]; ok {
		t.Errorf("b24:task:51:completed kept (%v) after task 51 was reopened", e.Time)
	}
	for _, id := range []string{"b24:task:52:completed", "b24:task:58:created"} {
		if _, ok := s[id]; !ok {
			t.Errorf("%s missing", id)
		}
	}
}
