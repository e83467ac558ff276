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

// goalkit notify reads a database as eval does; a bitrix24 channel needs
// the portal's webhook URL in the environment.
func TestNotifyFromDatabase(t *testing.T) {
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		mu.Unlock()
	}))
	defer srv.Close()
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "events.db")
	if code, _, errs := runCLI(t, "import", "-events", "testdata/notify-events.ndjson", "-source", db, "-plan", "testdata/notify-plan.yaml"); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	cfg := filepath.Join(dir, "deliver.yaml")
	os.WriteFile(cfg, []byte(`
channels: [{name: hook, type: webhook, url: "`+srv.URL+`", secret_env: GOALKIT_TEST_HOOK_SECRET}]
recipients: [{user: anna, channels: [hook]}]
`), 0o644)
	t.Setenv("GOALKIT_TEST_HOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	code, out, errs := runCLI(t, "notify", "-plan", "testdata/notify-plan.yaml", "-source", db, "-channels", cfg, "-once", "-as-of", "2025-03-25T12:00:00+03:00")
	mu.Lock()
	received := n
	mu.Unlock()
	if code != 0 || !strings.HasPrefix(out, "routed 3 notifications and 0 digests into 2 messages; sent 2,") || received != 2 {
		t.Errorf("exit %d, %d received: %s%s", code, received, out, errs)
	}

	os.WriteFile(cfg, []byte(`
channels: [{name: portal, type: bitrix24, url_env: GOALKIT_TEST_B24_URL}]
recipients: [{user: anna, bitrix24: "7"}]
`), 0o644)
	code, _, errs = runCLI(t, "notify", "-plan", "testdata/notify-plan.yaml", "-source", db, "-channels", cfg, "-once")
	if code != 1 || !strings.Contains(errs, `deliver.yaml:2: channel "portal": the variable GOALKIT_TEST_B24_URL is not set`) {
		t.Errorf("bitrix24 without its URL: exit %d, %s", code, errs)
	}
}
