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
	hook := newWebhookReceiver(t)
	dir := t.TempDir()
	cfg := hook.channels(t, dir, "anna", "boris")
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
	if got := hook.received(); !slices.Equal(got, notifyPlanDeliveries) {
		t.Errorf("received %v, want %v", got, notifyPlanDeliveries)
	}
	if _, err := os.Stat(filepath.Join(dir, "goalkit-outbox.db")); err != nil {
		t.Errorf("the outbox is not beside the channels file: %v", err)
	}

	// An unset secret: named, exit 1.
	t.Setenv("GOALKIT_TEST_HOOK_SECRET", "")
	code, _, errs = runCLI(t, args...)
	if code != 1 || !strings.Contains(errs, `deliver.yaml:1: channel "hook": the variable GOALKIT_TEST_HOOK_SECRET is not set`) {
		t.Errorf("unset secret: exit %d, %s", code, errs)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "goalkit notify: -channels is required\n"},
		{[]string{"-channels", cfg, "-since", "2025-03-01"}, "goalkit notify: -since "},
		{[]string{"-channels", cfg, "-as-of", "2025-03-25T12:00:00Z"}, "goalkit notify: -as-of goes with -once\n"},
		{[]string{"-channels", cfg, "-every", "0s"}, "goalkit notify: -every 0s is shorter than 1s: "},
		{[]string{"-channels", cfg, "-every", "-1m"}, "goalkit notify: -every -1m0s is shorter than 1s: "},
		// A tick every millisecond would read the store back to back.
		{[]string{"-channels", cfg, "-every", "1ms"}, "goalkit notify: -every 1ms is shorter than 1s: "},
		{[]string{"-channels", cfg, "-every", "999ms", "-once"}, "goalkit notify: -every 999ms is shorter than 1s: "},
		// -every is the interval of the loop -once does not run; it was
		// taken without a word.
		{[]string{"-channels", cfg, "-every", "5s", "-once"}, "goalkit notify: -every goes without -once: -once ticks and delivers once\n"},
		// One tick before -since judges no transition: the run notified
		// nothing, and said nothing of why.
		{[]string{"-channels", cfg, "-once", "-as-of", "2025-03-25T12:00:00Z", "-since", "2025-03-25T12:00:01Z"}, "goalkit notify: -since 2025-03-25T12:00:01Z is later than -as-of 2025-03-25T12:00:00Z: "},
		{[]string{"-channels", cfg, "-once", "-since", "2999-01-01T00:00:00Z"}, "goalkit notify: -since 2999-01-01T00:00:00Z is later than now ("},
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
	hook := newWebhookReceiver(t)
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "events.db")
	if code, _, errs := runCLI(t, "import", "-events", "testdata/notify-events.ndjson", "-source", db, "-plan", "testdata/notify-plan.yaml"); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	cfg := hook.channels(t, dir, "anna")
	code, out, errs := runCLI(t, "notify", "-plan", "testdata/notify-plan.yaml", "-source", db, "-channels", cfg, "-once", "-as-of", "2025-03-25T12:00:00+03:00")
	received := len(hook.received())
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

	// The portal's webhook URL holds its token: over http:// to another
	// machine it would travel in clear text. It was taken.
	t.Setenv("GOALKIT_TEST_B24_URL", "http://portal.example.com/rest/1/s3cr3t/")
	code, _, errs = runCLI(t, "notify", "-plan", "testdata/notify-plan.yaml", "-source", db, "-channels", cfg, "-once")
	if code != 1 || !strings.Contains(errs, `deliver.yaml:2: channel "portal": the variable GOALKIT_TEST_B24_URL holds an http:// URL: `) || strings.Contains(errs, "s3cr3t") {
		t.Errorf("bitrix24 over http://: exit %d, %s", code, errs)
	}
	// To this machine (a test, a local relay) it is taken, localhost in
	// any case as host names are (LOCALHOST was refused).
	for _, u := range []string{"http://127.0.0.1:1/rest/1/s3cr3t/", "http://LocalHost:1/rest/1/s3cr3t/", "HTTP://[::1]:1/rest/1/s3cr3t/"} {
		t.Setenv("GOALKIT_TEST_B24_URL", u)
		if _, _, errs = runCLI(t, "notify", "-plan", "testdata/notify-plan.yaml", "-source", db, "-channels", cfg, "-once"); strings.Contains(errs, "holds an http:// URL") {
			t.Errorf("bitrix24 over http:// to loopback %s: %s", u, errs)
		}
	}
}

// notifyPlanDeliveries are the notifications of testdata/notify-plan.yaml
// over testdata/notify-events.ndjson, as a webhookReceiver keeps them.
var notifyPlanDeliveries = []string{"anna achieved/sales/anna/2025-03/", "anna milestone_reached/sales/anna/2025-03/50%25", "boris milestone_reached/sales/boris/2025-03/50%25"}

// webhookReceiver is a webhook endpoint that keeps "recipient key" of each
// signed notification posted to it and refuses an unsigned or unreadable
// one.
type webhookReceiver struct {
	url string
	mu  sync.Mutex
	got []string
}

func newWebhookReceiver(t *testing.T) *webhookReceiver {
	h := &webhookReceiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p struct{ Key, Recipient string }
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &p); err != nil || r.Header.Get("webhook-signature") == "" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		h.mu.Lock()
		h.got = append(h.got, p.Recipient+" "+p.Key)
		h.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	h.url = srv.URL
	return h
}

// received is what the receiver has kept so far, sorted.
func (h *webhookReceiver) received() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Sorted(slices.Values(h.got))
}

// channels writes dir/deliver.yaml: one webhook channel to the receiver,
// its secret in the environment, for each of users; it returns the path.
func (h *webhookReceiver) channels(t *testing.T, dir string, users ...string) string {
	t.Helper()
	var recipients []string
	for _, u := range users {
		recipients = append(recipients, "{user: "+u+", channels: [hook]}")
	}
	return hookChannels(t, dir, h.url, recipients...)
}

// hookChannels writes dir/deliver.yaml: one webhook channel, hook, to
// url, its secret in the environment, and the recipients (each a YAML
// mapping); it returns the path.
func hookChannels(t *testing.T, dir, url string, recipients ...string) string {
	t.Helper()
	cfg := "channels: [{name: hook, type: webhook, url: \"" + url + "\", secret_env: GOALKIT_TEST_HOOK_SECRET}]\nrecipients:\n"
	for _, r := range recipients {
		cfg += "  - " + r + "\n"
	}
	path := filepath.Join(dir, "deliver.yaml")
	writeTestFile(t, path, cfg)
	t.Setenv("GOALKIT_TEST_HOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	return path
}

// A later run over events that take anna's achievement back tells her,
// once: the run's fresh tracker starts from the keys the outbox routed
// before, as a long-lived tracker's ledger would hold them.
func TestNotifyOnceRevokesAnAchievementTakenBack(t *testing.T) {
	hook := newWebhookReceiver(t)
	dir := t.TempDir()
	cfg := hook.channels(t, dir, "anna", "boris")
	events := filepath.Join(dir, "events.ndjson")
	original, err := os.ReadFile("testdata/notify-events.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, events, string(original))
	run := func(asOf string) string { return notifyOnceAsOf(t, events, cfg, asOf) }
	run("2025-03-25T12:00:00+03:00")
	if got := hook.received(); !slices.Equal(got, notifyPlanDeliveries) {
		t.Fatalf("first run: received %v, want %v", got, notifyPlanDeliveries)
	}
	// Still achieved an hour later: nothing new.
	if out := run("2025-03-25T13:00:00+03:00"); !strings.HasPrefix(out, "routed 0 notifications") {
		t.Fatalf("run while still achieved: %s", out)
	}
	// anna's second deal retracted: 800,000 of 1,500,000.
	writeTestFile(t, events, string(original)+`{"id": "a2", "deleted": true}`+"\n")
	for range 2 {
		run("2025-03-26T12:00:00+03:00")
	}
	want := append(slices.Clone(notifyPlanDeliveries), "anna achievement_revoked|achieved/sales/anna/2025-03/")
	slices.Sort(want)
	if got := hook.received(); !slices.Equal(got, want) {
		t.Errorf("received %v, want %v", got, want)
	}
}

// A channel that fails itself (a webhook answering 401: a rotated secret)
// is tried once a run, and the summary says how many messages it held
// back: the line said one failed and nothing of the two others waiting
// untried, which an operator read as two lost.
func TestNotifySaysWhatAFailedChannelHeldBack(t *testing.T) {
	var calls sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Lock()
		n++
		calls.Unlock()
		w.WriteHeader(http.StatusUnauthorized)
	}))
	t.Cleanup(srv.Close)
	h := &webhookReceiver{url: srv.URL}
	cfg := h.channels(t, t.TempDir(), "anna", "boris")
	code, out, errs := runCLI(t, "notify", "-plan", "testdata/notify-plan.yaml", "-events", "testdata/notify-events.ndjson",
		"-channels", cfg, "-once", "-as-of", "2025-03-25T12:00:00+03:00")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// By hand: three messages (TestNotifyOnce), the first tried and
	// refused, the two others held back; all three wait.
	if want := "routed 3 notifications and 0 digests into 3 messages; sent 0, failed 1 (to retry), dead 0, held back 2 (their channel failed: tried next run); 3 waiting, 0 dead letters in all\n"; out != want {
		t.Errorf("got:\n%s\nwant:\n%s", out, want)
	}
	calls.Lock()
	defer calls.Unlock()
	if n != 1 {
		t.Errorf("the receiver was called %d times, want once", n)
	}
}

// goalkit notify with -directory runs a plan whose goals name teams: the
// dispatcher's own tracker, which only sends, was made without the
// directory, so every such plan was refused with "goals name teams but the
// evaluation has no directory", -directory or not.
func TestNotifyPlanOfTeams(t *testing.T) {
	hook := newWebhookReceiver(t)
	cfg := hook.channels(t, t.TempDir(), "n1")
	args := []string{"notify", "-plan", "../../examples/serve/plan.yaml", "-events", "../../examples/serve/events.ndjson",
		"-channels", cfg, "-once", "-as-of", "2025-03-25T12:00:00+03:00"}
	code, _, errs := runCLI(t, args...)
	if code != 1 || !strings.Contains(errs, "give the organisation with -directory FILE") {
		t.Errorf("without -directory: exit %d, %s", code, errs)
	}
	code, out, errs := runCLI(t, append(args, "-directory", "../../examples/serve/directory.json")...)
	if code != 0 {
		t.Fatalf("with -directory: exit %d: %s", code, errs)
	}
	got := hook.received()
	if len(got) == 0 || !strings.Contains(out, "failed 0 (to retry), dead 0") {
		t.Fatalf("with -directory: received %v; %s", got, out)
	}
	for _, r := range got {
		if !strings.HasPrefix(r, "n1 ") {
			t.Errorf("received %q, for another recipient than n1", r)
		}
	}
}
