package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// A run of goalkit notify -once as of an instant before an earlier run's
// tells nothing that did not happen, also when the achievement was routed
// to no one: head, an admin, receives only achievement_revoked (kinds),
// and no recipient takes anna's achieved, so the outbox routes its key
// without a message. No event changed: anna's March goal, achieved by her
// deal of 20 March, stays achieved.
//
// Expected: head receives nothing from either run, and the run as of 15
// March routes nothing. Today the outbox knows the instant a key was told
// at only from a message of it (RoutedKeys: MIN of the messages'
// notification.at), so the key routed without one comes back with no
// instant; the fresh tracker judges the achievement at 15 March, before
// the deal that reached it, and head is told it was taken back.
func TestNotifyOnceBackInTimeRevokesNothingRoutedToNoOne(t *testing.T) {
	hook := newWebhookReceiver(t)
	cfg := hookChannels(t, t.TempDir(), hook.url, "{user: head, admin: true, channels: [hook], kinds: [achievement_revoked]}")
	events := filepath.Join("testdata", "notify-events.ndjson")
	notifyOnceAsOf(t, events, cfg, "2025-03-25T12:00:00+03:00")
	if got := hook.received(); len(got) != 0 {
		t.Fatalf("the run as of 25 March: head received %v, want nothing (no achievement was taken back)", got)
	}
	if out := notifyOnceAsOf(t, events, cfg, "2025-03-15T12:00:00+03:00"); !strings.HasPrefix(out, "routed 0 notifications") {
		t.Errorf("the run as of 15 March, after one as of 25 March: %s", out)
	}
	if got := hook.received(); len(got) != 0 {
		t.Errorf("head received %v, though no event changed", got)
	}
}
