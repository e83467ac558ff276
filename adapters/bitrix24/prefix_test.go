package bitrix24_test

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/kpi"
)

// A prefix that no event id may start with (a control character, invalid
// UTF-8) is refused by Sync before its first request, naming the prefix;
// the sync read the portal and every event it gave had an id the stores
// and the event files refuse, each error naming an event, not the prefix.
func TestSyncPrefixRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ prefix, want string }{
		{"b24\n", `bitrix24: sync: prefix "b24\n" has a control character (U+000A)`},
		{"crm\x7f", `bitrix24: sync: prefix "crm\x7f" has a control character (U+007F)`},
		{"\xff", `bitrix24: sync: prefix "\xff" is not valid UTF-8`},
	} {
		srv, c := newPortal(t)
		n := 0
		_, err := c.Sync(context.Background(), bitrix24.SyncOptions{Prefix: tc.prefix}, func(kpi.Event) error { n++; return nil })
		if err == nil || err.Error() != tc.want {
			t.Errorf("prefix %q: got %v, want %s", tc.prefix, err, tc.want)
		}
		if r := srv.Requests(); len(r) != 0 || n != 0 {
			t.Errorf("prefix %q: %d requests, %d events; want none", tc.prefix, len(r), n)
		}
	}
	// A prefix of any other text is taken.
	_, c := newPortal(t)
	evs, _, err := c.Events(context.Background(), bitrix24.SyncOptions{Prefix: "crm/é:"})
	if err != nil || len(evs) == 0 {
		t.Fatalf("%d events, %v", len(evs), err)
	}
	for _, e := range evs {
		if err := e.Validate(); err != nil {
			t.Fatal(err)
		}
	}
}
