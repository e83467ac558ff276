package bitrix24_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/fakeb24"
)

// onlyLoopback passes requests to this machine and refuses, recording
// them, requests to any other: nothing leaves the test.
type onlyLoopback struct {
	mu  sync.Mutex
	out []string
}

func (o *onlyLoopback) RoundTrip(r *http.Request) (*http.Response, error) {
	if h := r.URL.Hostname(); h != "127.0.0.1" && h != "localhost" && h != "::1" {
		o.mu.Lock()
		o.out = append(o.out, r.URL.Scheme+"://"+r.URL.Host)
		o.mu.Unlock()
		return nil, errors.New("no network in tests")
	}
	return http.DefaultTransport.RoundTrip(r)
}

// A portal reached over http:// on this machine (a local relay) that
// answers with a move to http:// on another machine is not followed: the
// webhook's code (or the token) would travel there in clear text, which
// New refuses for the address it is given. The client followed it, and
// sent the secret in clear to the other machine.
func TestRedirectToClearRefused(t *testing.T) {
	t.Parallel()
	for _, to := range []string{"http://portal.example.com", "http://10.0.0.7:8080"} {
		srv := newServer(t)
		rt := &onlyLoopback{}
		c, _ := newClient(t, srv, bitrix24.WithHTTPClient(&http.Client{Transport: rt}))
		srv.Inject("*", fakeb24.Fault{RedirectTo: to})
		err := c.NotifyUser(context.Background(), "1", "hello")
		if err == nil || !strings.Contains(err.Error(), "clear text") {
			t.Errorf("moved to %s: %v", to, err)
		}
		if len(rt.out) > 0 {
			t.Errorf("moved to %s: requests left this machine: %v", to, rt.out)
		}
		if !strings.Contains(c.String(), strings.TrimPrefix(srv.URL, "http://")) {
			t.Errorf("moved to %s: the client points at %s", to, c)
		}
	}
}
