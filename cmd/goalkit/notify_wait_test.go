package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// goalkit notify, running, keeps a channel's wait across its cycles: a
// receiver that answers 429 asking for an hour is asked once, not once a
// cycle. Each cycle's fresh dispatcher forgot the wait, so every -every
// one more message was sent into the limit.
func TestNotifyKeepsAChannelsWaitAcrossCycles(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "deliver.yaml")
	writeTestFile(t, cfg, "channels: [{name: hook, type: webhook, url: \""+srv.URL+"\", secret_env: GOALKIT_TEST_HOOK_SECRET}]\n"+
		"recipients:\n  - {user: anna, channels: [hook]}\n  - {user: boris, channels: [hook]}\n")
	t.Setenv("GOALKIT_TEST_HOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	ctx, cancel := context.WithTimeout(t.Context(), 2500*time.Millisecond)
	defer cancel()
	// Cycles at 0 s, 1 s and 2 s; the three notifications are due at the
	// first.
	code := run(ctx, []string{"notify", "-plan", "testdata/notify-plan.yaml", "-events", "testdata/notify-events.ndjson",
		"-channels", cfg, "-every", "1s"}, io.Discard, io.Discard)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("the receiver was asked %d times in three cycles, want once: it asked to wait an hour", n)
	}
}
