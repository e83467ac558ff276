package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `goalkit serve` with args until the returned stop is
// called, and returns its base URL.
func startServe(t *testing.T, args ...string) (string, func() (int, string)) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "-addr", "127.0.0.1:0"}, args...), io.Discard, &stderr)
	}()
	re := regexp.MustCompile(`listening on (http://[0-9.:]+)`)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(stderr.String()); m != nil {
			return m[1], sync.OnceValues(func() (int, string) {
				cancel()
				return <-done, stderr.String()
			})
		}
		select {
		case code := <-done:
			cancel()
			t.Fatalf("serve exited %d: %s", code, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("serve did not start: %s", stderr.String())
	return "", nil
}

func httpDo(t *testing.T, method, url, token, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/x-ndjson")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Events posted to a server are in its SQLite file: a restarted server
// reports them, and the seed file applied again changes nothing, not even
// an event of the seed corrected since.
func TestServeRestartKeepsEvents(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "serve.db")
	seed := filepath.Join(dir, "seed.ndjson")
	writeTestFile(t, seed, `{"id":"a1","kind":"deal.won","time":"2025-03-03T10:00:00Z","actor":"n1","amount":"100"}`+"\n")
	args := []string{"-plan", "../../serve/testdata/plan.yaml", "-directory", "../../serve/testdata/directory.json",
		"-tokens", "../../serve/testdata/tokens.yaml", "-source", db, "-events", seed}
	const writer, admin = "writer-token-0123456789", "admin-token-0123456789"
	base, stop := startServe(t, args...)
	if code, body := httpDo(t, "POST", base+"/api/v1/events", writer,
		`{"id":"a2","kind":"deal.won","time":"2025-03-04T10:00:00Z","actor":"s2","amount":"23.5"}`); code != 200 {
		t.Fatalf("POST: %d %s", code, body)
	}
	// The seed's a1 corrected: the seed given again at the restart does
	// not set it back.
	if code, body := httpDo(t, "POST", base+"/api/v1/events", writer,
		`{"id":"a1","kind":"deal.won","time":"2025-03-03T10:00:00Z","actor":"n1","amount":"200"}`); code != 200 {
		t.Fatalf("POST: %d %s", code, body)
	}
	if code, body := httpDo(t, "GET", base+"/api/v1/report", "", ""); code != 401 || strings.Contains(body, "n1") {
		t.Fatalf("no token: %d %s", code, body)
	}
	code, logs := stop()
	if code != 0 {
		t.Fatalf("exit %d: %s", code, logs)
	}
	if strings.Contains(logs, writer) || strings.Contains(logs, admin) {
		t.Fatalf("a token in the logs: %s", logs)
	}
	// Every version of the seed was new: nothing was applied before.
	if first := "applied 1 of the 1 event versions of " + seed + "\n"; !strings.Contains(logs, first) || strings.Contains(logs, "applied before") {
		t.Errorf("the first start does not say %q alone: %s", first, logs)
	}
	if !strings.Contains(logs, "msg=snapshot events=2") {
		t.Fatalf("no snapshot at shutdown: %s", logs)
	}
	base, stop = startServe(t, args...)
	defer stop()
	code, body := httpDo(t, "GET", base+"/api/v1/values?period=2025-03&as_of=2025-03-20T00:00:00Z", admin, "")
	if code != 200 || !strings.Contains(body, `{"indicator":"revenue","participant":"*","period_end":"2025-04-01","period_start":"2025-03-01","value":"223.5"}`) {
		t.Fatalf("after the restart: %d %s", code, body)
	}
	_, logs = stop()
	if !strings.Contains(logs, "applied 0 of the 1 event versions of "+seed+" (it was applied before)\n") {
		t.Errorf("the seed was applied again: %s", logs)
	}
}

// Without -tokens or -proxy everyone is an admin: only on localhost.
func TestServeOpenOnlyOnLoopback(t *testing.T) {
	var stderr bytes.Buffer
	code := run(t.Context(), []string{"serve", "-plan", "../../serve/testdata/plan.yaml", "-addr", ":0"}, io.Discard, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "listen on localhost only") {
		t.Errorf("exit %d: %s", code, stderr.String())
	}
	stderr.Reset()
	code = run(t.Context(), []string{"serve", "-plan", "../../serve/testdata/plan.yaml", "-tokens", "x.yaml", "-proxy"}, io.Discard, &stderr)
	if code != 2 {
		t.Errorf("-tokens with -proxy: exit %d: %s", code, stderr.String())
	}
}

func writeTestFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The README's third line: the example serves its March, and the company's
// revenue is the sum of the example's deals.
func TestServeExample(t *testing.T) {
	data, err := os.ReadFile("../../examples/serve/events.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	var sum decimal.Decimal
	for line := range strings.SplitSeq(strings.TrimSpace(string(data)), "\n") {
		var e struct {
			Kind, Amount string
			Time         time.Time
		}
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		if e.Kind == "deal.won" && !e.Time.After(time.Date(2025, 3, 20, 12, 0, 0, 0, time.UTC)) {
			sum = sum.Add(decimal.RequireFromString(e.Amount))
		}
	}
	base, stop := startServe(t, "-plan", "../../examples/serve/plan.yaml", "-events", "../../examples/serve/events.ndjson",
		"-directory", "../../examples/serve/directory.json", "-as-of", "2025-03-20T12:00:00Z",
		"-source", "sqlite:"+filepath.Join(t.TempDir(), "serve.db"))
	defer stop()
	code, body := httpDo(t, "GET", base+"/api/v1/values?period=2025-03", "", "")
	want := `{"indicator":"revenue","participant":"*","period_end":"2025-04-01","period_start":"2025-03-01","value":"` + sum.String() + `"}`
	if code != 200 || !strings.Contains(body, want) {
		t.Fatalf("%d: no %s in %s", code, want, body)
	}
	if code, page := httpDo(t, "GET", base+"/", "", ""); code != 200 || !strings.Contains(page, `data-participant="n1"`) {
		t.Fatalf("the dashboard: %d %.300s", code, page)
	}
}

// goalkit serve over PostgreSQL (GOALKIT_PG_DSN; skipped without it): a
// restart keeps the events posted, as with SQLite.
func TestServePostgresRestart(t *testing.T) {
	src := pgSchema(t, "serve")
	args := []string{"-plan", "../../serve/testdata/plan.yaml", "-directory", "../../serve/testdata/directory.json",
		"-tokens", "../../serve/testdata/tokens.yaml", "-source", src}
	base, stop := startServe(t, args...)
	if code, body := httpDo(t, "POST", base+"/api/v1/events", "writer-token-0123456789",
		`{"id":"a2","kind":"deal.won","time":"2025-03-04T10:00:00Z","actor":"s2","amount":"23.5"}`); code != 200 {
		t.Fatalf("POST: %d %s", code, body)
	}
	if code, logs := stop(); code != 0 || strings.Contains(logs, src) {
		t.Fatalf("exit %d, or the logs hold the DSN: %s", code, logs)
	}
	base, stop = startServe(t, args...)
	defer stop()
	code, body := httpDo(t, "GET", base+"/api/v1/values?period=2025-03&as_of=2025-03-20T00:00:00Z", "admin-token-0123456789", "")
	if code != 200 || !strings.Contains(body, `"participant":"s2","period_end":"2025-04-01","period_start":"2025-03-01","value":"23.5"`) {
		t.Fatalf("after the restart: %d %s", code, body)
	}
}

// goalkit serve -channels delivers the plan's notifications while it
// serves: the events posted after the start cross the goal's milestone and
// target, and the webhook receives each notification once, signed.
func TestServeDelivers(t *testing.T) {
	hook := newWebhookReceiver(t)
	dir := t.TempDir()
	cfg := hook.channels(t, dir, "anna", "boris")
	stop := serveNotifyEvents(t, dir, cfg)
	deadline := time.Now().Add(20 * time.Second)
	for len(hook.received()) < len(notifyPlanDeliveries) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(2500 * time.Millisecond) // two more ticks: nothing is sent again
	if code, errs := stop(); code != 0 {
		t.Fatalf("serve exited %d: %s", code, errs)
	}
	if got := hook.received(); !slices.Equal(got, notifyPlanDeliveries) {
		t.Errorf("received %v, want %v", got, notifyPlanDeliveries)
	}

	code, _, errs := runCLI(t, "serve", "-plan", "testdata/notify-plan.yaml", "-channels", cfg, "-as-of", "2025-03-25T12:00:00Z")
	if code != 2 || !strings.Contains(errs, "-channels goes without -as-of") {
		t.Errorf("-channels with -as-of: exit %d, %s", code, errs)
	}
}

// serveNotifyEvents starts goalkit serve over the notify plan, its
// database in dir, delivering by the channels file cfg every second, and
// posts the notify events; it returns serve's stop.
func serveNotifyEvents(t *testing.T, dir, cfg string) func() (int, string) {
	t.Helper()
	url, stop := startServe(t, "-plan", "testdata/notify-plan.yaml", "-source", "sqlite:"+filepath.Join(dir, "serve.db"),
		"-channels", cfg, "-tick", "1s")
	events, err := os.ReadFile("testdata/notify-events.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	if code, body := httpDo(t, "POST", url+"/api/v1/events", "", string(events)); code != http.StatusOK {
		t.Fatalf("POST events: %d %s", code, body)
	}
	return stop
}

// The note of a seed said "(the others were applied before)" whatever the
// count, even when every version of the file was new and there were no
// others: it says what is true in each case.
func TestSeedNote(t *testing.T) {
	for _, c := range []struct {
		n, total int
		want     string
	}{
		{0, 0, "applied no event versions: f.ndjson holds none"},
		{3, 3, "applied 3 of the 3 event versions of f.ndjson"},
		{1, 1, "applied 1 of the 1 event versions of f.ndjson"},
		{0, 1, "applied 0 of the 1 event versions of f.ndjson (it was applied before)"},
		{0, 4, "applied 0 of the 4 event versions of f.ndjson (each was applied before)"},
		{3, 4, "applied 3 of the 4 event versions of f.ndjson (the other one was applied before)"},
		{1, 4, "applied 1 of the 4 event versions of f.ndjson (the other 3 were applied before)"},
	} {
		if got := seedNote(c.n, c.total, "f.ndjson"); got != c.want {
			t.Errorf("%d of %d: %q, want %q", c.n, c.total, got, c.want)
		}
	}
}
