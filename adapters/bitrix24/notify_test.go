package bitrix24_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/fakeb24"
)

func TestNotifyUser(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		user    string
		msg     string
		fault   *fakeb24.Fault
		wantErr string // "" for success
		is      error
		status  int // the error's HTTPStatus: the portal's own answer
		sent    int // notifications the portal holds afterwards
		calls   int // requests the portal answered
	}{
		{name: "sent", user: "5", msg: "  Revenue is at risk  ", sent: 1, calls: 1},
		{name: "not a number", user: "ivan", msg: "x", wantErr: `user id "ivan" is not a positive integer`, is: bitrix24.ErrInvalidRequest},
		{name: "zero", user: "0", msg: "x", wantErr: `user id "0"`, is: bitrix24.ErrInvalidRequest},
		{name: "leading zero", user: "05", msg: "x", wantErr: `user id "05"`, is: bitrix24.ErrInvalidRequest},
		{name: "team", user: "*", msg: "x", wantErr: `user id "*"`, is: bitrix24.ErrInvalidRequest},
		{name: "empty message", user: "5", msg: " \n", wantErr: "empty message", is: bitrix24.ErrInvalidRequest},
		{name: "unknown user: result false", user: "999", msg: "x", calls: 1, status: 200,
			wantErr: "bitrix24: im.notify.personal.add: the portal did not create the notification (result false)"},
		{name: "access denied", user: "5", msg: "x", calls: 1, status: 403,
			fault:   &fakeb24.Fault{Status: 403, Body: []byte(`{"error":"ACCESS_DENIED","error_description":"REST is available only on commercial plans."}`)},
			wantErr: "bitrix24: im.notify.personal.add: ACCESS_DENIED", is: bitrix24.ErrAccessDenied},
		{name: "rate limited then sent", user: "5", msg: "x", sent: 1, calls: 2,
			fault: &fakeb24.Fault{Status: 503, File: "error.QUERY_LIMIT_EXCEEDED.503.json"}},
		{name: "a proxy's 503 page, then sent", user: "5", msg: "x", sent: 1, calls: 2,
			fault: &fakeb24.Fault{Status: 503, Body: []byte("<html>Service Unavailable</html>")}},
		{name: "answer lost after sending: not repeated", user: "5", msg: "x", sent: 1, calls: 1,
			fault:   &fakeb24.Fault{Status: 502, Body: []byte("<html>bad gateway</html>"), Apply: true},
			wantErr: "bitrix24: im.notify.personal.add: http 502", is: bitrix24.ErrServer},
		{name: "secret in the error is masked", user: "5", msg: "x", calls: 1,
			fault:   &fakeb24.Fault{Status: 401, Body: []byte(`{"error":"NO_AUTH_FOUND","error_description":"webhook ` + fakeb24.WebhookCode + ` unknown"}`)},
			wantErr: "bitrix24: im.notify.personal.add: NO_AUTH_FOUND: webhook *** unknown (http 401)", is: bitrix24.ErrAuth, status: 401},
		{name: "malformed answer", user: "5", msg: "x", calls: 1,
			fault:   &fakeb24.Fault{Body: []byte(`{"result":{"id":1}}`)},
			wantErr: "bitrix24: im.notify.personal.add: malformed response: result: want an id", is: bitrix24.ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := newPortal(t)
			if tc.fault != nil {
				srv.Inject("im.notify.personal.add", *tc.fault)
			}
			err := c.NotifyUser(context.Background(), tc.user, tc.msg)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
			} else {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
				}
				if tc.is != nil && !errors.Is(err, tc.is) {
					t.Errorf("errors.Is(%v, %v) = false", err, tc.is)
				}
				if strings.Contains(err.Error(), fakeb24.WebhookCode) {
					t.Errorf("the secret shows in %q", err)
				}
				status := 0
				var answer interface{ HTTPStatus() int }
				if errors.As(err, &answer) {
					status = answer.HTTPStatus()
				}
				if status != tc.status {
					t.Errorf("HTTPStatus of %v: %d, want %d", err, status, tc.status)
				}
			}
			sent := srv.Notifications()
			if len(sent) != tc.sent {
				t.Fatalf("%d notifications sent, want %d", len(sent), tc.sent)
			}
			if tc.sent == 1 && (sent[0]["USER_ID"] != tc.user || sent[0]["MESSAGE"] != strings.TrimSpace(tc.msg)) {
				t.Errorf("sent %v", sent[0])
			}
			if got := len(srv.Requests()); got != tc.calls {
				t.Errorf("%d requests, want %d", got, tc.calls)
			}
		})
	}
}

// TestNotifyUserTimeout: a portal that answers too late gets no second
// notification, and the error says it timed out.
func TestNotifyUserTimeout(t *testing.T) {
	t.Parallel()
	srv, c := newPortal(t, bitrix24.WithTimeout(lostAnswerTimeout))
	srv.Inject("im.notify.personal.add", fakeb24.Fault{Delay: time.Minute, Apply: true})
	err := c.NotifyUser(context.Background(), "5", "x")
	if !errors.Is(err, bitrix24.ErrTimeout) {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if n := len(srv.Notifications()); n != 1 {
		t.Fatalf("%d notifications, want 1", n)
	}
}
