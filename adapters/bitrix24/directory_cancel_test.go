package bitrix24_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/org"
)

// cancelAfterFirst is a transport that cancels the caller's context once
// the first answer is in, and counts the requests handed to it.
type cancelAfterFirst struct {
	mu     sync.Mutex
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfterFirst) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	resp, err := http.DefaultTransport.RoundTrip(r)
	c.cancel()
	return resp, err
}

func (c *cancelAfterFirst) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// The directory stops once its caller gives up, as memory.Directory does:
// an Org's Units and Memberships answer a done context with its error, and
// Directory makes no request once the context is done, before the first
// page as between two. Units and Memberships answered with the whole list
// whatever the context.
func TestDirectoryCancelled(t *testing.T) {
	t.Parallel()
	done, cancel := context.WithCancel(context.Background())
	cancel()

	t.Run("Units and Memberships", func(t *testing.T) {
		t.Parallel()
		_, c := newPortal(t)
		bd, err := c.Directory(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var dir org.Directory = bd
		units, err := dir.Units(done)
		if !errors.Is(err, context.Canceled) || units != nil {
			t.Errorf("Units: %d units, error %v; want none and context.Canceled", len(units), err)
		}
		ms, err := dir.Memberships(done)
		if !errors.Is(err, context.Canceled) || ms != nil {
			t.Errorf("Memberships: %d memberships, error %v; want none and context.Canceled", len(ms), err)
		}
		// A live context still gets them (4 departments in department.get.json).
		if units, err := dir.Units(context.Background()); err != nil || len(units) != 4 {
			t.Errorf("Units: %d units, error %v; want 4", len(units), err)
		}
		if ms, err := dir.Memberships(context.Background()); err != nil || len(ms) == 0 {
			t.Errorf("Memberships: %d memberships, error %v", len(ms), err)
		}
	})

	t.Run("before the call", func(t *testing.T) {
		t.Parallel()
		srv, c := newPortal(t)
		bd, err := c.Directory(done)
		if !errors.Is(err, context.Canceled) || bd != nil {
			t.Errorf("Directory: %v, %v; want no Org and context.Canceled", bd, err)
		}
		if r := srv.Requests(); len(r) != 0 {
			t.Errorf("%d requests reached the portal, want none: %+v", len(r), r)
		}
	})

	t.Run("after the first page", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		// 4 departments of the fixtures and 60 more: two pages of
		// department.get, the second after the batch of the first pages.
		for i := range 60 {
			srv.AddRow("department", "ID", map[string]any{"ID": strconv.Itoa(100 + i), "NAME": "D" + strconv.Itoa(i), "SORT": 500, "PARENT": "1"})
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		tr := &cancelAfterFirst{cancel: cancel}
		c, _ := newClient(t, srv, bitrix24.WithHTTPClient(&http.Client{Transport: tr}))
		bd, err := c.Directory(ctx)
		if !errors.Is(err, context.Canceled) || bd != nil {
			t.Errorf("Directory: %v, %v; want no Org and context.Canceled", bd, err)
		}
		if n := tr.count(); n != 1 {
			t.Errorf("%d requests handed to the transport, want 1", n)
		}
		var methods []string
		for _, r := range srv.Requests() {
			if !r.InBatch {
				methods = append(methods, r.Method)
			}
		}
		if len(methods) != 1 || methods[0] != "batch" {
			t.Errorf("requests %v, want the first batch only", methods)
		}
		// Not cancelled, the same directory takes a second request.
		srv.ResetLog()
		c, _ = newClient(t, srv)
		if _, err := c.Directory(context.Background()); err != nil {
			t.Fatal(err)
		}
		if r := srv.Requests(); len(r) != 4 || r[3].Method != "department.get" || r[3].InBatch {
			t.Errorf("requests without cancelling %+v, want a batch of two and department.get", r)
		}
	})
}
