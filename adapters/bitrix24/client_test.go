package bitrix24_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/fakeb24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
)

var sentinels = map[string]error{
	"ErrAuth": bitrix24.ErrAuth, "ErrTokenExpired": bitrix24.ErrTokenExpired, "ErrAccessDenied": bitrix24.ErrAccessDenied,
	"ErrRateLimited": bitrix24.ErrRateLimited, "ErrNotFound": bitrix24.ErrNotFound, "ErrInvalidRequest": bitrix24.ErrInvalidRequest,
	"ErrServer": bitrix24.ErrServer, "ErrMalformed": bitrix24.ErrMalformed, "ErrTimeout": bitrix24.ErrTimeout, "ErrHalted": bitrix24.ErrHalted,
}

// checkIs asserts err matches exactly the named sentinels.
func checkIs(t *testing.T, err error, want ...string) {
	t.Helper()
	w := map[string]bool{}
	for _, n := range want {
		w[n] = true
	}
	for n, s := range sentinels {
		if got := errors.Is(err, s); got != w[n] {
			t.Errorf("errors.Is(err, %s) = %v, want %v (err: %v)", n, got, w[n], err)
		}
	}
}

// TestErrorFixtures answers each error body of the fixtures and checks the
// full message, the sentinels and the *APIError fields.
func TestErrorFixtures(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file, method, msg string
		is                []string
	}{
		{"error.ACCESS_DENIED.403.json", "crm.deal.list",
			"bitrix24: crm.deal.list: ACCESS_DENIED: REST API is available only on commercial plans (http 403)", []string{"ErrAccessDenied"}},
		{"error.INVALID_CREDENTIALS.403.json", "user.get",
			"bitrix24: user.get: INVALID_CREDENTIALS: Invalid request credentials (http 403)", []string{"ErrAccessDenied"}},
		{"error.INVALID_REQUEST.400.json", "crm.deal.list",
			"bitrix24: crm.deal.list: INVALID_REQUEST: Https required (http 400)", []string{"ErrInvalidRequest"}},
		{"error.NO_AUTH_FOUND.401.json", "crm.deal.list",
			"bitrix24: crm.deal.list: NO_AUTH_FOUND: Wrong authorization data (http 401)", []string{"ErrAuth"}},
		{"error.OPERATION_TIME_LIMIT.429.json", "crm.activity.list",
			"bitrix24: crm.activity.list: OPERATION_TIME_LIMIT: Method is blocked due to operation time limit (placeholder text: not documented) (http 429)", []string{"ErrRateLimited"}},
		{"error.QUERY_LIMIT_EXCEEDED.503.json", "crm.deal.list",
			"bitrix24: crm.deal.list: QUERY_LIMIT_EXCEEDED: Too many requests (http 503)", []string{"ErrRateLimited"}},
		{"error.crm_access_denied.400.json", "crm.deal.list",
			"bitrix24: crm.deal.list: Access denied. (http 400)", []string{"ErrAccessDenied"}},
		{"error.expired_token.401.json", "crm.deal.list",
			"bitrix24: crm.deal.list: expired_token: The access token provided has expired (http 401)", []string{"ErrAuth", "ErrTokenExpired"}},
		{"error.filter_not_array.400.json", "crm.deal.list",
			"bitrix24: crm.deal.list: Parameter 'filter' must be array. (http 400)", []string{"ErrInvalidRequest"}},
		{"error.insufficient_scope.403.json", "department.get",
			"bitrix24: department.get: insufficient_scope: The request requires higher privileges than provided by the webhook token (http 403)", []string{"ErrAccessDenied"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			srv, c := newPortal(t, bitrix24.WithRetries(0))
			f := fakeb24.ErrorFault(tc.file)
			srv.Inject(tc.method, f)
			err := c.Call(context.Background(), tc.method, nil, nil)
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tc.msg {
				t.Errorf("message\n got: %s\nwant: %s", err, tc.msg)
			}
			checkIs(t, err, tc.is...)
			var ae *bitrix24.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("not an *APIError: %T", err)
			}
			if ae.Status != f.Status || ae.Method != tc.method {
				t.Errorf("APIError %+v", ae)
			}
		})
	}
}

// TestErrorsCover the rest of the error paths with their full messages.
func TestErrors(t *testing.T) {
	t.Parallel()
	page1, err := os.ReadFile(filepath.Join(fixtures, "crm.deal.list.page1.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		fault fakeb24.Fault
		msg   string
		is    []string
	}{
		{"truncated body", fakeb24.Fault{Body: page1[:len(page1)/2]},
			"bitrix24: crm.deal.list: malformed response: truncated JSON", []string{"ErrMalformed"}},
		{"connection cut", fakeb24.Fault{Body: page1, CutAfter: 1000},
			"bitrix24: crm.deal.list: malformed response: body: unexpected EOF", []string{"ErrMalformed"}},
		{"not JSON", fakeb24.Fault{Body: []byte("<html>maintenance</html>")},
			"bitrix24: crm.deal.list: malformed response: not a JSON object: invalid character '<' looking for beginning of value", []string{"ErrMalformed"}},
		{"empty body", fakeb24.Fault{Body: []byte{}},
			"bitrix24: crm.deal.list: malformed response: empty body", []string{"ErrMalformed"}},
		{"no result", fakeb24.Fault{Body: []byte(`{"time":{}}`)},
			`bitrix24: crm.deal.list: malformed response: no "result" member`, []string{"ErrMalformed"}},
		{"trailing data", fakeb24.Fault{Body: []byte(`{"result":[]} {}`)},
			"bitrix24: crm.deal.list: malformed response: data after the JSON object", []string{"ErrMalformed"}},
		{"bad total", fakeb24.Fault{Body: []byte(`{"result":[],"total":"many"}`)},
			`bitrix24: crm.deal.list: malformed response: total: want an integer, got "many"`, []string{"ErrMalformed"}},
		{"gateway page", fakeb24.Fault{Status: 502, Body: []byte("<html>Bad Gateway</html>")},
			"bitrix24: crm.deal.list: http 502", []string{"ErrServer"}},
		{"server error code", fakeb24.Fault{Status: 500, Body: []byte(`{"error":"INTERNAL_SERVER_ERROR","error_description":"Internal server error"}`)},
			"bitrix24: crm.deal.list: INTERNAL_SERVER_ERROR: Internal server error (http 500)", []string{"ErrServer"}},
		{"numeric error code", fakeb24.Fault{Status: 400, Body: []byte(`{"error":0,"error_description":"Not found"}`)},
			"bitrix24: crm.deal.list: Not found (http 400)", []string{"ErrNotFound"}},
		{"overload", fakeb24.Fault{Status: 503, Body: []byte(`{"error":"OVERLOAD_LIMIT","error_description":"REST API is blocked due to overload."}`)},
			"bitrix24: crm.deal.list: OVERLOAD_LIMIT: REST API is blocked due to overload. (http 503)", []string{"ErrRateLimited"}},
		{"error in a 200", fakeb24.Fault{Body: []byte(`{"error":"ERROR_METHOD_NOT_FOUND","error_description":"Method not found!"}`)},
			"bitrix24: crm.deal.list: ERROR_METHOD_NOT_FOUND: Method not found! (http 200)", []string{"ErrNotFound"}},
		{"unknown 4xx", fakeb24.Fault{Status: 418, Body: []byte(`{"error":"TEAPOT"}`)},
			"bitrix24: crm.deal.list: TEAPOT (http 418)", []string{"ErrInvalidRequest"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := newPortal(t, bitrix24.WithRetries(0))
			srv.Inject("crm.deal.list", tc.fault)
			_, err := c.Deals(context.Background(), rest.ListParams{})
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tc.msg {
				t.Errorf("message\n got: %s\nwant: %s", err, tc.msg)
			}
			checkIs(t, err, tc.is...)
		})
	}
}

func TestRowErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body, msg string
	}{
		{"bad decimal", `{"result":[{"ID":"7","OPPORTUNITY":"12,50"}]}`,
			`bitrix24: crm.deal.list: malformed response: row 0 (ID 7): OPPORTUNITY: want a decimal, got "12,50"`},
		{"float exponent", `{"result":[{"ID":"7","OPPORTUNITY":1e3}]}`,
			`bitrix24: crm.deal.list: malformed response: row 0 (ID 7): OPPORTUNITY: want a plain decimal, got "1e3"`},
		{"bad time", `{"result":[{"ID":"7","DATE_CREATE":"01.03.2024 12:00"}]}`,
			`bitrix24: crm.deal.list: malformed response: row 0 (ID 7): DATE_CREATE: want an ISO 8601 date-time with an offset, got "01.03.2024 12:00"`},
		{"bad id", `{"result":[{"ID":"x7"}]}`,
			`bitrix24: crm.deal.list: malformed response: row 0 (ID x7): ID: want an integer, got "x7"`},
		{"row not an object", `{"result":[7]}`,
			`bitrix24: crm.deal.list: malformed response: row 0: row is not a JSON object`},
		{"result not a list", `{"result":"deals"}`,
			`bitrix24: crm.deal.list: malformed response: result: result is not a list`},
		{"bad flag", `{"result":[{"ID":"7","CLOSED":"maybe"}]}`,
			`bitrix24: crm.deal.list: malformed response: row 0 (ID 7): CLOSED: want Y or N, got "maybe"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := newPortal(t)
			srv.Inject("crm.deal.list", fakeb24.Fault{Body: []byte(tc.body)})
			_, err := c.Deals(context.Background(), rest.ListParams{Offset: true})
			if err == nil || err.Error() != tc.msg {
				t.Errorf("message\n got: %v\nwant: %s", err, tc.msg)
			}
			checkIs(t, err, "ErrMalformed")
		})
	}
}

func TestRetryBackoff(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c, clk := newClient(t, srv, bitrix24.WithMinInterval(0))
	limit := fakeb24.ErrorFault("error.QUERY_LIMIT_EXCEEDED.503.json")
	srv.Inject("crm.deal.list", limit, limit, limit)
	deals, err := c.Deals(context.Background(), rest.ListParams{})
	if err != nil {
		t.Fatal(err)
	}
	if len(deals) != 117 {
		t.Errorf("%d deals, want 117", len(deals))
	}
	if got, want := fmt.Sprint(clk.Slept()), "[1s 2s 4s]"; got != want {
		t.Errorf("waits %s, want %s", got, want)
	}

	// Retry-After makes the wait longer.
	srv.Inject("crm.deal.list", fakeb24.Fault{Status: 503, File: "error.QUERY_LIMIT_EXCEEDED.503.json", Header: map[string]string{"Retry-After": "7"}})
	before := len(clk.Slept())
	if _, err := c.Deals(context.Background(), rest.ListParams{}); err != nil {
		t.Fatal(err)
	}
	if got := clk.Slept()[before:]; fmt.Sprint(got) != "[7s]" {
		t.Errorf("waits %v, want [7s]", got)
	}
}

func TestRetryExhausted(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c, clk := newClient(t, srv, bitrix24.WithMinInterval(0), bitrix24.WithRetries(3), bitrix24.WithBackoff(time.Second, 3*time.Second))
	for range 4 {
		srv.Inject("crm.deal.list", fakeb24.ErrorFault("error.QUERY_LIMIT_EXCEEDED.503.json"))
	}
	_, err := c.Deals(context.Background(), rest.ListParams{})
	checkIs(t, err, "ErrRateLimited")
	if got, want := fmt.Sprint(clk.Slept()), "[1s 2s 3s]"; got != want {
		t.Errorf("waits %s, want %s", got, want)
	}
}

// TestOperatingLimit: after OPERATION_TIME_LIMIT the client waits until the
// operating_reset_at the portal reported for the method.
func TestOperatingLimit(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c, clk := newClient(t, srv, bitrix24.WithMinInterval(0))
	until := clk.Now().Add(3 * time.Minute)
	srv.Block("crm.activity.list", 1, until)
	acts, err := c.Activities(context.Background(), rest.ListParams{Offset: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(acts) != 84 {
		t.Errorf("%d activities, want 84", len(acts))
	}
	if got := clk.Slept(); len(got) != 1 || got[0] < 3*time.Minute {
		t.Errorf("waits %v, want one of at least 3m", got)
	}
	if clk.Now().Before(until) {
		t.Errorf("retried at %s, before the reset at %s", clk.Now(), until)
	}
}

// TestRateLimitBucket runs a full sync against the portal's leaky bucket:
// with the default pacing it never hits the limit; without pacing it does and
// recovers by backing off.
func TestRateLimitBucket(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		opts     []bitrix24.Option
		limited  bool
		maxSleep time.Duration
	}{
		{"paced", nil, false, 0},
		{"unpaced", []bitrix24.Option{bitrix24.WithMinInterval(0)}, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t)
			srv.LimitRate(3, 2)
			var logs bytes.Buffer
			opts := append([]bitrix24.Option{bitrix24.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))}, tc.opts...)
			c, _ := newClient(t, srv, opts...)
			evs, _ := syncAll(t, c, bitrix24.SyncOptions{})
			if len(evs) == 0 {
				t.Fatal("no events")
			}
			retried := strings.Contains(logs.String(), "QUERY_LIMIT_EXCEEDED")
			if retried != tc.limited {
				t.Errorf("hit the limit: %v, want %v", retried, tc.limited)
			}
		})
	}
}

func TestPacing(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c, clk := newClient(t, srv)
	for range 3 {
		if _, err := c.Currencies(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := fmt.Sprint(clk.Slept()), "[500ms 500ms]"; got != want {
		t.Errorf("waits %s, want %s", got, want)
	}
}

func TestTimeout(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c, err := bitrix24.New(bitrix24.Webhook(srv.WebhookURL()), bitrix24.WithTimeout(50*time.Millisecond), bitrix24.WithMinInterval(0))
	if err != nil {
		t.Fatal(err)
	}
	srv.Inject("crm.deal.list", fakeb24.Fault{Delay: 5 * time.Second})
	_, err = c.Deals(context.Background(), rest.ListParams{})
	if err == nil || err.Error() != "bitrix24: crm.deal.list: no answer within 50ms" {
		t.Errorf("got %v", err)
	}
	checkIs(t, err, "ErrTimeout")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("not context.DeadlineExceeded: %v", err)
	}
}

func TestCancel(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c, err := bitrix24.New(bitrix24.Webhook(srv.WebhookURL()), bitrix24.WithMinInterval(0))
	if err != nil {
		t.Fatal(err)
	}
	// Cancelled while the request runs: once the portal holds it (it took
	// the fault), not after a fixed time, which on a loaded machine can end
	// before the request arrives and leave the fault to the next call.
	ctx, cancel := context.WithCancel(context.Background())
	srv.Inject("crm.deal.list", fakeb24.Fault{Delay: time.Minute})
	held := len(srv.Requests())
	go func() {
		for len(srv.Requests()) == held && ctx.Err() == nil {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err = c.Deals(ctx, rest.ListParams{})
	if err == nil || err.Error() != "bitrix24: crm.deal.list: context canceled" || !errors.Is(err, context.Canceled) {
		t.Errorf("got %v", err)
	}
	// Cancelled while waiting to retry.
	ctx, cancel = context.WithCancel(context.Background())
	c2, err := bitrix24.New(bitrix24.Webhook(srv.WebhookURL()), bitrix24.WithMinInterval(0),
		bitrix24.WithSleep(func(context.Context, time.Duration) error { cancel(); return context.Canceled }))
	if err != nil {
		t.Fatal(err)
	}
	srv.Inject("crm.deal.list", fakeb24.ErrorFault("error.QUERY_LIMIT_EXCEEDED.503.json"))
	_, err = c2.Deals(ctx, rest.ListParams{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v", err)
	}
	// Cancelled before the call.
	_, err = c.Deals(ctx, rest.ListParams{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v", err)
	}
}

// TestPortalMoved: a portal that changed its address answers with a redirect;
// the client repeats the POST at the new address and keeps using it.
func TestPortalMoved(t *testing.T) {
	t.Parallel()
	oldSrv, newSrv := newServer(t), newServer(t)
	c, _ := newClient(t, oldSrv)
	newSrv.SetClock(time.Now)
	oldSrv.Inject("*", fakeb24.Fault{RedirectTo: newSrv.URL})
	deals, err := c.Deals(context.Background(), rest.ListParams{})
	if err != nil {
		t.Fatal(err)
	}
	if len(deals) != 117 {
		t.Errorf("%d deals", len(deals))
	}
	if n := len(oldSrv.Requests()); n != 1 {
		t.Errorf("%d requests to the old address, want 1", n)
	}
	if n := len(newSrv.Requests()); n != 3 {
		t.Errorf("%d requests to the new address, want 3", n)
	}
	if strings.Contains(c.String(), strings.TrimPrefix(oldSrv.URL, "http://")) {
		t.Errorf("client still points at the old address: %s", c)
	}
}

func TestOAuthRefresh(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.SetToken("access-1", false) // expired
	var calls atomic.Int32
	refresh := func(_ context.Context, old bitrix24.Token) (bitrix24.Token, error) {
		calls.Add(1)
		if old.AccessToken != "access-1" || old.RefreshToken != "refresh-1" {
			return bitrix24.Token{}, errors.New("wrong token to refresh")
		}
		srv.SetToken("access-2", true)
		return bitrix24.Token{AccessToken: "access-2", RefreshToken: "refresh-2"}, nil
	}
	c, err := bitrix24.New(bitrix24.OAuth(srv.URL+"/rest/", bitrix24.Token{AccessToken: "access-1", RefreshToken: "refresh-1"}, refresh), bitrix24.WithMinInterval(0))
	if err != nil {
		t.Fatal(err)
	}
	deals, err := c.Deals(context.Background(), rest.ListParams{})
	if err != nil {
		t.Fatal(err)
	}
	if len(deals) != 117 || calls.Load() != 1 {
		t.Errorf("%d deals, %d refreshes", len(deals), calls.Load())
	}
	for _, r := range srv.Requests() {
		if r.Params["auth"] != "access-2" {
			t.Errorf("request with auth %v", r.Params["auth"])
		}
	}

	// Without a refresh function, or when refreshing fails.
	srv.SetToken("access-3", false)
	c, _ = bitrix24.New(bitrix24.OAuth(srv.URL+"/rest", bitrix24.Token{AccessToken: "access-3"}, nil), bitrix24.WithMinInterval(0))
	_, err = c.Deals(context.Background(), rest.ListParams{})
	checkIs(t, err, "ErrAuth", "ErrTokenExpired")
	c, _ = bitrix24.New(bitrix24.OAuth(srv.URL+"/rest/", bitrix24.Token{AccessToken: "access-3", RefreshToken: "refresh-3"},
		func(context.Context, bitrix24.Token) (bitrix24.Token, error) {
			return bitrix24.Token{}, errors.New("oauth server said no to refresh-3")
		}), bitrix24.WithMinInterval(0))
	_, err = c.Deals(context.Background(), rest.ListParams{})
	if want := "bitrix24: crm.deal.list: access token expired and refresh failed: oauth server said no to ***"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	checkIs(t, err, "ErrAuth", "ErrTokenExpired")

	// An unknown token.
	c, _ = bitrix24.New(bitrix24.OAuth(srv.URL+"/rest/", bitrix24.Token{AccessToken: "forged"}, nil), bitrix24.WithMinInterval(0))
	_, err = c.Deals(context.Background(), rest.ListParams{})
	if want := "bitrix24: crm.deal.list: invalid_token: The access token provided is invalid. (http 401)"; err == nil || err.Error() != want {
		t.Errorf("got %v", err)
	}
	checkIs(t, err, "ErrAuth")
}

func TestWebhookURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		url, desc string // desc "" means invalid
	}{
		{"https://portal.bitrix24.ru/rest/1/abc123/", "bitrix24 webhook https://portal.bitrix24.ru/rest/1/***/"},
		{"https://portal.bitrix24.ru/rest/1/abc123", "bitrix24 webhook https://portal.bitrix24.ru/rest/1/***/"},
		{"https://portal.bitrix24.ru/rest/1/abc123/profile.json", "bitrix24 webhook https://portal.bitrix24.ru/rest/1/***/"},
		{" https://portal.example.com/crm/rest/15/abc123/ ", "bitrix24 webhook https://portal.example.com/crm/rest/15/***/"},
		{"https://portal.bitrix24.ru/rest/abc123/", ""},
		{"https://portal.bitrix24.ru/rest/x/abc123/", ""},
		{"ftp://portal.bitrix24.ru/rest/1/abc123/", ""},
		{"https://portal.bitrix24.ru/api/1/abc123/", ""},
		{"https://user:abc123@portal.bitrix24.ru/rest/1/abc123/", ""},
		{"https://portal.bitrix24.ru/rest/1/abc123/?x=1", ""},
		{"https://portal.bitrix24.ru/rest/1/abc123/a/b", ""},
		{"%%abc123", ""},
		// Plain http:// only to this machine: the code travels in the path.
		{"http://127.0.0.1:8080/rest/1/abc123/", "bitrix24 webhook http://127.0.0.1:8080/rest/1/***/"},
		{"http://[::1]/rest/1/abc123/", "bitrix24 webhook http://[::1]/rest/1/***/"},
		{"http://LocalHost/rest/1/abc123/", "bitrix24 webhook http://LocalHost/rest/1/***/"},
		{"http://portal.bitrix24.ru/rest/1/abc123/", "clear"},
		{"HTTP://portal.bitrix24.ru/rest/1/abc123/", "clear"},
		{"http://localhost.example.com/rest/1/abc123/", "clear"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			c, err := bitrix24.New(bitrix24.Webhook(tc.url))
			if tc.desc == "clear" {
				const msg = "bitrix24: webhook url: http:// only to localhost or a loopback address: the URL holds the webhook's code, which would travel in clear text; want https://PORTAL/rest/USER_ID/CODE/"
				if err == nil || err.Error() != msg {
					t.Errorf("got %v, want %s", err, msg)
				}
				return
			}
			if tc.desc == "" {
				const msg = "bitrix24: webhook url: want https://PORTAL/rest/USER_ID/CODE/"
				if err == nil || err.Error() != msg {
					t.Errorf("got %v, want %s", err, msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.String(); got != "bitrix24.Client("+tc.desc+")" {
				t.Errorf("got %s", got)
			}
		})
	}
}

// TestSecretNeverShown drives every failure path and checks that the webhook
// code appears in no error, no log line and no printed value.
func TestSecretNeverShown(t *testing.T) {
	t.Parallel()
	const secret = fakeb24.WebhookCode
	srv := newServer(t)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, _ := newClient(t, srv, bitrix24.WithLogger(logger), bitrix24.WithRetries(1))
	var texts []string
	note := func(err error) {
		if err != nil {
			texts = append(texts, err.Error(), fmt.Sprintf("%+v %#v", err, err))
			for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
				texts = append(texts, e.Error())
			}
		}
	}
	ctx := context.Background()
	for _, f := range []string{"error.NO_AUTH_FOUND.401.json", "error.QUERY_LIMIT_EXCEEDED.503.json", "error.crm_access_denied.400.json"} {
		srv.Inject("crm.deal.list", fakeb24.ErrorFault(f))
		if strings.Contains(f, "LIMIT") {
			srv.Inject("crm.deal.list", fakeb24.ErrorFault(f)) // and its retry
		}
		_, err := c.Deals(ctx, rest.ListParams{})
		note(err)
	}
	// An error description that quotes the secret is masked too.
	srv.Inject("crm.deal.list", fakeb24.Fault{Status: 401, Body: []byte(`{"error":"NO_AUTH_FOUND","error_description":"webhook ` + secret + ` not found"}`)})
	_, err := c.Deals(ctx, rest.ListParams{})
	note(err)
	if err == nil || !strings.Contains(err.Error(), "webhook *** not found") {
		t.Errorf("got %v", err)
	}
	srv.Inject("crm.deal.list", fakeb24.Fault{Body: []byte("{truncated")})
	_, err = c.Deals(ctx, rest.ListParams{})
	note(err)
	_, err = c.Deals(ctx, rest.ListParams{})
	note(err)
	// A wrong secret.
	bad, _ := bitrix24.New(bitrix24.Webhook(srv.URL+"/rest/1/not-"+secret+"/"), bitrix24.WithMinInterval(0), bitrix24.WithLogger(logger))
	_, err = bad.Deals(ctx, rest.ListParams{})
	note(err)
	// A portal that cannot be reached: the transport error names the URL.
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	gone, _ := bitrix24.New(bitrix24.Webhook(deadURL+"/rest/1/"+secret+"/"), bitrix24.WithMinInterval(0), bitrix24.WithLogger(logger))
	_, err = gone.Deals(ctx, rest.ListParams{})
	if err == nil || !strings.HasPrefix(err.Error(), "bitrix24: crm.deal.list: ") {
		t.Errorf("got %v", err)
	}
	note(err)
	// Timeouts.
	slow, _ := bitrix24.New(bitrix24.Webhook(srv.WebhookURL()), bitrix24.WithMinInterval(0), bitrix24.WithTimeout(20*time.Millisecond), bitrix24.WithLogger(logger))
	srv.Inject("crm.deal.list", fakeb24.Fault{Delay: time.Second})
	_, err = slow.Deals(ctx, rest.ListParams{})
	note(err)
	// A panic inside the client (a nil context) shows no secret either.
	func() {
		defer func() {
			if r := recover(); r != nil {
				texts = append(texts, fmt.Sprint(r))
			}
		}()
		var nilCtx context.Context
		_, err := c.Deals(nilCtx, rest.ListParams{})
		note(err)
	}()
	// A malformed URL with the secret in it.
	_, err = bitrix24.New(bitrix24.Webhook("https://portal/rest/x/" + secret + "/"))
	note(err)
	// Printed values.
	auth := bitrix24.Webhook(srv.WebhookURL())
	texts = append(texts, fmt.Sprintf("%v %+v %#v %s", c, c, c, auth), fmt.Sprintf("%+v %#v", *c, auth))
	tok := bitrix24.Token{AccessToken: secret, RefreshToken: secret}
	oa := bitrix24.OAuth("https://portal/rest/", tok, nil)
	texts = append(texts, fmt.Sprintf("%v %+v %#v %v %+v %#v", tok, tok, tok, oa, oa, oa), logs.String())
	if len(texts) < 10 {
		t.Fatalf("only %d texts", len(texts))
	}
	for _, s := range texts {
		if strings.Contains(s, secret) {
			t.Errorf("secret shown in: %s", s)
		}
	}
	if !strings.Contains(logs.String(), "bitrix24 retry") {
		t.Errorf("no retry logged:\n%s", logs.String())
	}
}

func TestOptionErrors(t *testing.T) {
	t.Parallel()
	auth := bitrix24.Webhook("https://p/rest/1/x/")
	for _, tc := range []struct {
		opt bitrix24.Option
		msg string
	}{
		{bitrix24.WithHTTPClient(nil), "bitrix24: nil http client"},
		{bitrix24.WithRetries(-1), "bitrix24: negative retry count"},
		{bitrix24.WithBackoff(0, time.Second), "bitrix24: backoff wants 0 < first <= max"},
		{bitrix24.WithMinInterval(-1), "bitrix24: negative minimum interval"},
		{bitrix24.WithClock(nil), "bitrix24: nil clock"},
		{bitrix24.WithSleep(nil), "bitrix24: nil sleep function"},
		{bitrix24.WithLogger(nil), "bitrix24: nil logger"},
		{bitrix24.WithMaxBody(0), "bitrix24: non-positive body limit"},
	} {
		if _, err := bitrix24.New(auth, tc.opt); err == nil || err.Error() != tc.msg {
			t.Errorf("got %v, want %s", err, tc.msg)
		}
	}
	if _, err := bitrix24.New(nil); err == nil || err.Error() != "bitrix24: nil auth" {
		t.Errorf("got %v", err)
	}
	for _, tc := range []struct {
		auth bitrix24.Auth
		msg  string
	}{
		{bitrix24.OAuth("portal/rest/", bitrix24.Token{AccessToken: "a"}, nil), "bitrix24: oauth endpoint: want https://PORTAL/rest/"},
		{bitrix24.OAuth("https://portal/rest/", bitrix24.Token{}, nil), "bitrix24: oauth: empty access token"},
	} {
		if _, err := bitrix24.New(tc.auth); err == nil || err.Error() != tc.msg {
			t.Errorf("got %v, want %s", err, tc.msg)
		}
	}
	c, _ := bitrix24.New(auth)
	if err := c.Call(context.Background(), "../crm.deal.list", nil, nil); err == nil || err.Error() != `bitrix24: invalid method name "../crm.deal.list"` {
		t.Errorf("got %v", err)
	}
}

func TestMaxBody(t *testing.T) {
	t.Parallel()
	_, c := newPortal(t, bitrix24.WithMaxBody(1000))
	_, err := c.Deals(context.Background(), rest.ListParams{})
	if want := "bitrix24: crm.deal.list: malformed response: body: body larger than 1000 bytes"; err == nil || err.Error() != want {
		t.Errorf("got %v", err)
	}
}

// TestConcurrent: one client used from several goroutines (run with -race).
func TestConcurrent(t *testing.T) {
	t.Parallel()
	_, c := newPortal(t)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			deals, err := c.Deals(context.Background(), rest.ListParams{})
			if err == nil && len(deals) != 117 {
				err = fmt.Errorf("%d deals", len(deals))
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// A clock of WithClock that is stepped back does not make the client wait
// for the step: the pause between two requests stays the minimum interval.
// The next start was kept as an instant of the clock, so a clock set back
// an hour after a request held the next one for an hour and a half-second.
func TestPacingClockBack(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c, clk := newClient(t, srv)
	for _, back := range []time.Duration{0, time.Hour, 0, 24 * time.Hour} {
		clk.mu.Lock()
		clk.now = clk.now.Add(-back)
		clk.mu.Unlock()
		if _, err := c.Currencies(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := fmt.Sprint(clk.Slept()), "[500ms 500ms 500ms]"; got != want {
		t.Errorf("waits %s, want %s", got, want)
	}
}

// An OAuth endpoint over plain http:// to another machine is refused (every
// call carries the access token); to this machine it is taken.
func TestOAuthEndpointInClear(t *testing.T) {
	t.Parallel()
	tok := bitrix24.Token{AccessToken: "tok"}
	if _, err := bitrix24.New(bitrix24.OAuth("http://127.0.0.1:9/rest/", tok, nil)); err != nil {
		t.Errorf("a loopback endpoint: %v", err)
	}
	const msg = "bitrix24: oauth endpoint: http:// only to localhost or a loopback address: every call carries the access token, which would travel in clear text; want https://PORTAL/rest/"
	if _, err := bitrix24.New(bitrix24.OAuth("http://portal.bitrix24.ru/rest/", tok, nil)); err == nil || err.Error() != msg {
		t.Errorf("got %v, want %s", err, msg)
	}
}
