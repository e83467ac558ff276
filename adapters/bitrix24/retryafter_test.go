package bitrix24_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

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

// A Retry-After date is the portal's: it is counted from the answer's Date
// header, which the portal's clock wrote too, not from the client's clock.
// A client whose clock ran ahead of the portal's by more than the wait
// took the date as passed and came back at once (the one-second backoff),
// into the same limit; one behind waited too long.
func TestRetryAfterDateFromAnswersDate(t *testing.T) {
	t.Parallel()
	portal := exportTime.Add(-time.Hour) // the portal's clock, an hour behind the client's
	for _, tc := range []struct {
		name, date, retry string
		want              time.Duration
	}{
		{"portal behind", portal.UTC().Format(http.TimeFormat), portal.Add(30 * time.Second).UTC().Format(http.TimeFormat), 30 * time.Second},
		{"portal ahead", exportTime.Add(time.Hour).UTC().Format(http.TimeFormat), exportTime.Add(time.Hour + 20*time.Second).UTC().Format(http.TimeFormat), 20 * time.Second},
		{"date passed on the portal", portal.UTC().Format(http.TimeFormat), portal.Add(-time.Minute).UTC().Format(http.TimeFormat), time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t)
			c, clk := newClient(t, srv, bitrix24.WithMinInterval(0))
			srv.Inject("crm.deal.list", fakeb24.Fault{Status: 503, File: "error.QUERY_LIMIT_EXCEEDED.503.json", Header: map[string]string{"Date": tc.date, "Retry-After": tc.retry}})
			if _, err := c.Deals(context.Background(), rest.ListParams{}); err != nil {
				t.Fatal(err)
			}
			if got, want := fmt.Sprint(clk.Slept()), fmt.Sprint([]time.Duration{tc.want}); got != want {
				t.Errorf("waits %s, want %s", got, want)
			}
		})
	}
}

// The error a call ends with, once the client used its retries, carries
// the wait the portal's last answer asked for (RetryAfter, the capability
// a delivery channel reads with errors.As), so that a caller that tries
// again later does not come back sooner than the portal asked: the
// Retry-After of a limit, of a proxy's 503 page, and for the operating
// limit the time until the method's limit resets. An answer that asked
// for no wait carries none.
func TestErrorCarriesThePortalsWait(t *testing.T) {
	t.Parallel()
	limit := func(h map[string]string) fakeb24.Fault {
		return fakeb24.Fault{Status: 503, File: "error.QUERY_LIMIT_EXCEEDED.503.json", Header: h}
	}
	for _, tc := range []struct {
		name    string
		retries int
		faults  []fakeb24.Fault
		want    time.Duration
	}{
		{"limit, no retries", 0, []fakeb24.Fault{limit(map[string]string{"Retry-After": "90"})}, 90 * time.Second},
		{"limit, the last answer's", 2, []fakeb24.Fault{limit(map[string]string{"Retry-After": "5"}), limit(map[string]string{"Retry-After": "6"}), limit(map[string]string{"Retry-After": "1200"})}, 20 * time.Minute},
		{"limit without a wait", 0, []fakeb24.Fault{limit(nil)}, 0},
		{"a proxy's 503 page", 0, []fakeb24.Fault{{Status: 503, Body: []byte("<html>Service Unavailable</html>"), Header: map[string]string{"Retry-After": "45"}}}, 45 * time.Second},
		{"overload, not retried", 3, []fakeb24.Fault{{Status: 503, Body: []byte(`{"error":"OVERLOAD_LIMIT","error_description":"REST API is blocked due to overload."}`), Header: map[string]string{"Retry-After": "3600"}}}, time.Hour},
		{"access denied", 3, []fakeb24.Fault{fakeb24.ErrorFault("error.ACCESS_DENIED.403.json")}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			c, _ := newClient(t, srv, bitrix24.WithMinInterval(0), bitrix24.WithRetries(tc.retries))
			srv.Inject("crm.deal.list", tc.faults...)
			_, err := c.Deals(context.Background(), rest.ListParams{})
			if err == nil {
				t.Fatal("no error")
			}
			if got := portalWait(err); got != tc.want {
				t.Errorf("%v: RetryAfter %v, want %v", err, got, tc.want)
			}
		})
	}

	t.Run("operating limit", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		c, clk := newClient(t, srv, bitrix24.WithMinInterval(0), bitrix24.WithRetries(0))
		until := clk.Now().Add(3 * time.Minute)
		srv.Block("crm.activity.list", 1, until) // the first page passes and reports the reset
		_, err := c.Activities(context.Background(), rest.ListParams{Offset: true})
		if !errors.Is(err, bitrix24.ErrRateLimited) {
			t.Fatalf("%v: not a limit", err)
		}
		// The reset is an instant of whole seconds, and a second is added:
		// never back before the reset.
		if got, left := portalWait(err), until.Sub(clk.Now()); got < left || got > left+2*time.Second {
			t.Errorf("RetryAfter %v, want the %v until the reset", got, left)
		}
	})
}

// portalWait is the wait err asks for, read as delivery reads it: the
// RetryAfter of the first error in its chain that has one; -1 when none
// has.
func portalWait(err error) time.Duration {
	var w interface{ RetryAfter() time.Duration }
	if !errors.As(err, &w) {
		return -1
	}
	return w.RetryAfter()
}

// httpStatus is the HTTPStatus of the first error in err's chain that has
// one, as delivery reads it; -1 when none has.
func httpStatus(err error) int {
	var a interface{ HTTPStatus() int }
	if !errors.As(err, &a) {
		return -1
	}
	return a.HTTPStatus()
}

// A 429 or 503 without a Bitrix24 error body (a proxy's or a load
// balancer's page) is retried as the portal's own limits are: with the
// backoff, or the Retry-After when it is longer, and its status tells a
// caller the request was not taken. Other gateway pages (502, 504) are
// not: the call may have run.
func TestBusyPageRetried(t *testing.T) {
	t.Parallel()
	page := func(status int, h map[string]string) fakeb24.Fault {
		return fakeb24.Fault{Status: status, Body: []byte("<html>try later</html>"), Header: h}
	}
	for _, tc := range []struct {
		name   string
		faults []fakeb24.Fault
		slept  string
		err    string // "" when the call succeeds in the end
		status int    // the error's HTTPStatus
	}{
		{"503 page", []fakeb24.Fault{page(503, nil), page(503, nil)}, "[1s 2s]", "", 0},
		{"429 page", []fakeb24.Fault{page(429, nil)}, "[1s]", "", 0},
		{"503 page with Retry-After", []fakeb24.Fault{page(503, map[string]string{"Retry-After": "30"})}, "[30s]", "", 0},
		{"429 page with a date", []fakeb24.Fault{page(429, map[string]string{"Date": exportTime.UTC().Format(http.TimeFormat), "Retry-After": exportTime.Add(12 * time.Second).UTC().Format(http.TimeFormat)})}, "[12s]", "", 0},
		{"503 pages past the retries", []fakeb24.Fault{page(503, nil), page(503, nil), page(503, nil)}, "[1s 2s]", "bitrix24: crm.deal.list: http 503", 503},
		{"502 page not retried", []fakeb24.Fault{page(502, nil)}, "[]", "bitrix24: crm.deal.list: http 502", 0},
		{"504 page not retried", []fakeb24.Fault{page(504, nil)}, "[]", "bitrix24: crm.deal.list: http 504", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			c, clk := newClient(t, srv, bitrix24.WithMinInterval(0), bitrix24.WithRetries(2))
			srv.Inject("crm.deal.list", tc.faults...)
			deals, err := c.Deals(context.Background(), rest.ListParams{})
			if got := fmt.Sprint(clk.Slept()); got != tc.slept {
				t.Errorf("waits %s, want %s", got, tc.slept)
			}
			if tc.err == "" {
				if err != nil || len(deals) != 117 {
					t.Fatalf("%d deals, %v; want 117", len(deals), err)
				}
				return
			}
			if err == nil || err.Error() != tc.err {
				t.Fatalf("err = %v, want %s", err, tc.err)
			}
			if got := httpStatus(err); got != tc.status {
				t.Errorf("HTTPStatus of %v: %d, want %d", err, got, tc.status)
			}
		})
	}
}

// A wait longer than the caller's context allows is not begun: the call
// returns the refusal at once, with the wait the portal asked for, so that
// a caller that bounds its attempt (a delivery channel) learns the portal
// did not take the call, and when to come back. The client slept into the
// deadline and failed with an error that said only that the context ended.
// A wait within the deadline is waited as before.
func TestWaitPastTheDeadlineNotBegun(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		retryAfter string
		slept      string
		wait       time.Duration // the error's RetryAfter; -1: no error
	}{
		{"600", "[]", 10 * time.Minute},
		{"2", "[2s]", -1},
	} {
		srv := newServer(t)
		c, clk := newClient(t, srv, bitrix24.WithMinInterval(0))
		srv.Inject("im.notify.personal.add", fakeb24.Fault{Status: 503, File: "error.QUERY_LIMIT_EXCEEDED.503.json", Header: map[string]string{"Retry-After": tc.retryAfter}})
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		err := c.NotifyUser(ctx, "5", "x")
		cancel()
		if got := fmt.Sprint(clk.Slept()); got != tc.slept {
			t.Errorf("Retry-After %s: waits %s, want %s", tc.retryAfter, got, tc.slept)
		}
		if tc.wait < 0 {
			if err != nil {
				t.Errorf("Retry-After %s: %v", tc.retryAfter, err)
			}
			continue
		}
		if !errors.Is(err, bitrix24.ErrRateLimited) || portalWait(err) != tc.wait || httpStatus(err) != 503 {
			t.Errorf("Retry-After %s: got %v (wait %v, status %d), want the refusal with its wait", tc.retryAfter, err, portalWait(err), httpStatus(err))
		}
		if n := len(srv.Notifications()); n != 0 {
			t.Errorf("Retry-After %s: %d notifications sent", tc.retryAfter, n)
		}
	}
}
