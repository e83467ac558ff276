package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// goalkit notify -once delivers each notification once: a second run
// routes nothing new and sends nothing; the secret is read from the
// environment and never printed.
func TestNotifyOnce(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p struct{ Key, Recipient string }
		body, _ := io.ReadAll(r.Body)
		json.Unmarshal(body, &p)
		if r.Header.Get("webhook-signature") == "" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		mu.Lock()
		got = append(got, p.Recipient+" "+p.Key)
		mu.Unlock()
	}))
	defer srv.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "deliver.yaml")
	os.WriteFile(cfg, []byte(`
channels: [{name: hook, type: webhook, url: "`+srv.URL+`", secret_env: GOALKIT_TEST_HOOK_SECRET}]
recipients:
  - {user: anna, channels: [hook]}
  - {user: boris, channels: [hook]}
`), 0o644)
	t.Setenv("GOALKIT_TEST_HOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	args := []string{"notify", "-plan", "testdata/notify-plan.yaml", "-events", "testdata/notify-events.ndjson",
		"-channels", cfg, "-once", "-as-of", "2025-03-25T12:00:00+03:00"}
	code, out, errs := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if want := "routed 3 notifications and 0 digests into 3 messages; sent 3, failed 0 (to retry), dead 0; 0 waiting, 0 dead letters in all\n"; out != want {
		t.Errorf("first run:\n%s\nwant:\n%s", out, want)
	}
	code, out, errs = runCLI(t, args...)
	if want := "routed 0 notifications and 0 digests into 0 messages; sent 0, failed 0 (to retry), dead 0; 0 waiting, 0 dead letters in all\n"; code != 0 || out != want {
		t.Errorf("second run: exit %d\n%s%s", code, out, errs)
	}
	slices.Sort(got)
	want := []string{"anna achieved/sales/anna/2025-03/", "anna milestone_reached/sales/anna/2025-03/50%25", "boris milestone_reached/sales/boris/2025-03/50%25"}
	if !slices.Equal(got, want) {
		t.Errorf("received %v, want %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "goalkit-outbox.db")); err != nil {
		t.Errorf("the outbox is not beside the channels file: %v", err)
	}

	// An unset secret: named, exit 1.
	t.Setenv("GOALKIT_TEST_HOOK_SECRET", "")
	code, _, errs = runCLI(t, args...)
	if code != 1 || !strings.Contains(errs, `deliver.yaml:2: channel "hook": the variable GOALKIT_TEST_HOOK_SECRET is not set`) {
		t.Errorf("unset secret: exit %d, %s", code, errs)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "goalkit notify: -channels is required\n"},
		{[]string{"-channels", cfg, "-since", "2025-03-01"}, "goalkit notify: -since "},
		{[]string{"-channels", cfg, "-as-of", "2025-03-25T12:00:00Z"}, "goalkit notify: -as-of goes with -once\n"},
		{[]string{"-channels", cfg, "-every", "0s"}, "goalkit notify: -every must be positive\n"},
	} {
		code, _, errs := runCLI(t, append([]string{"notify", "-plan", "testdata/notify-plan.yaml", "-events", "testdata/notify-events.ndjson"}, tc.args...)...)
		if code != 2 || !strings.HasPrefix(errs, tc.want) {
			t.Errorf("%v: exit %d, %q, want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}
