package bitrix24_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/fakeb24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
)

// A Retry-After longer than the client waits at most (ten minutes) is
// capped at that wait, however large: a number of seconds whose duration
// overflows, or that does not fit an int, asks for a long wait and is not
// ignored in favour of the short backoff.
func TestRetryAfterCapped(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ header, want string }{
		{"7", "[7s]"},
		{"600", "[10m0s]"},
		{"86400", "[10m0s]"},
		{"9223372037", "[10m0s]"},           // seconds whose nanoseconds overflow int64
		{"18446744073709551616", "[10m0s]"}, // more than any integer type holds
		{"0000000000000000000000000000000000000000000009", "[9s]"},
		{"Fri, 31 Dec 9999 23:59:59 GMT", "[10m0s]"},
		{"-5", "[1s]"}, // not a delay: the backoff
		{"soon", "[1s]"},
	} {
		t.Run(tc.header, func(t *testing.T) {
			srv := newServer(t)
			c, clk := newClient(t, srv, bitrix24.WithMinInterval(0))
			srv.Inject("crm.deal.list", fakeb24.Fault{Status: 503, File: "error.QUERY_LIMIT_EXCEEDED.503.json", Header: map[string]string{"Retry-After": tc.header}})
			if _, err := c.Deals(context.Background(), rest.ListParams{}); err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(clk.Slept()); got != tc.want {
				t.Errorf("waits %s, want %s", got, tc.want)
			}
		})
	}
}
