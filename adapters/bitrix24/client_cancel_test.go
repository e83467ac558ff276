package bitrix24_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/fakeb24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
)

// A client whose host's sleep ignores the context (a fake clock's that only
// moves its time on and returns nil) still sends nothing once the context is done: before the first request,
// between two pages of a list, before a retry and before following a
// portal's move. The client noticed a done context only through its
// pacing's sleep, so such a sleep let one more request reach the transport.
func TestCancelledWithSleepIgnoringContext(t *testing.T) {
	t.Parallel()
	// Cancelled before the call, the transport sees no request; else it
	// cancels once the first answer is in and sees that one only.
	cases := []struct {
		name   string
		before bool
		setup  func(srv *fakeb24.Server)
	}{
		{name: "before the call", before: true},
		// crm.deal.list has three pages in the fixtures.
		{name: "between pages"},
		{name: "before a retry", setup: func(srv *fakeb24.Server) {
			srv.Inject("crm.deal.list", fakeb24.ErrorFault("error.QUERY_LIMIT_EXCEEDED.503.json"))
		}},
		{name: "before following a move", setup: func(srv *fakeb24.Server) {
			moved := newServer(t)
			srv.Inject("crm.deal.list", fakeb24.Fault{RedirectTo: moved.URL})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			if tc.setup != nil {
				tc.setup(srv)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			want := 1
			if tc.before {
				cancel()
				want = 0
			}
			tr := &cancelAfterFirst{cancel: cancel}
			ignoring := func(context.Context, time.Duration) error { return nil }
			c, err := bitrix24.New(bitrix24.Webhook(srv.WebhookURL()),
				bitrix24.WithHTTPClient(&http.Client{Transport: tr}),
				bitrix24.WithSleep(ignoring), bitrix24.WithMinInterval(time.Second))
			if err != nil {
				t.Fatal(err)
			}
			deals, err := c.Deals(ctx, rest.ListParams{})
			if !errors.Is(err, context.Canceled) || deals != nil {
				t.Errorf("Deals: %d deals, error %v; want none and context.Canceled", len(deals), err)
			}
			if n := tr.count(); n != want {
				t.Errorf("%d requests handed to the transport, want %d", n, want)
			}
		})
	}
}
