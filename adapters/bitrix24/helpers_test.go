package bitrix24_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/fakeb24"
	"github.com/goalkit/goalkit/kpi"
)

// fixtures is the copy of the shared Bitrix24 fixture set.
const fixtures = "testdata/fixtures"

// exportTime is when the fixtures were exported (manifest.json).
var exportTime = time.Date(2024, 4, 2, 10, 0, 0, 0, time.FixedZone("MSK", 3*3600))

// readFixture decodes the JSON fixture file name into v.
func readFixture(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func newServer(t testing.TB) *fakeb24.Server {
	t.Helper()
	return fakeb24.Start(t, fixtures)
}

// fakeClock is a clock whose Sleep advances it at once and records the waits.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func newClock() *fakeClock { return &fakeClock{now: exportTime} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.now = c.now.Add(d)
		c.slept = append(c.slept, d)
	}
	return nil
}

func (c *fakeClock) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

// newClient returns a client of srv's webhook that paces and backs off on a
// fake clock shared with the server.
func newClient(t testing.TB, srv *fakeb24.Server, opts ...bitrix24.Option) (*bitrix24.Client, *fakeClock) {
	t.Helper()
	clk := newClock()
	srv.SetClock(clk.Now)
	base := []bitrix24.Option{bitrix24.WithClock(clk.Now), bitrix24.WithSleep(clk.Sleep), bitrix24.WithTimeout(10 * time.Second)}
	c, err := bitrix24.New(bitrix24.Webhook(srv.WebhookURL()), append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, clk
}

// store applies events as FORMATS.md says: the last version of an id wins,
// a deleted event retracts it.
type store map[string]kpi.Event

func (s store) apply(evs []kpi.Event) {
	for _, e := range evs {
		if e.Deleted {
			delete(s, e.ID)
			continue
		}
		s[e.ID] = e
	}
}

func storeOf(evs []kpi.Event) store {
	s := store{}
	s.apply(evs)
	return s
}

func syncAll(t testing.TB, c *bitrix24.Client, opts bitrix24.SyncOptions) ([]kpi.Event, bitrix24.Watermark) {
	t.Helper()
	evs, wm, err := c.Events(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return evs, wm
}

// newPortal starts a fake portal and returns it with a client of it
// (newClient's, without its clock).
func newPortal(t testing.TB, opts ...bitrix24.Option) (*fakeb24.Server, *bitrix24.Client) {
	t.Helper()
	srv := newServer(t)
	c, _ := newClient(t, srv, opts...)
	return srv, c
}

// syncFresh syncs a fake portal of its own with opts and returns its client
// and the events.
func syncFresh(t testing.TB, opts bitrix24.SyncOptions) (*bitrix24.Client, []kpi.Event) {
	t.Helper()
	_, c := newPortal(t)
	evs, _ := syncAll(t, c, opts)
	return c, evs
}

// lostAnswerTimeout is the attempt timeout of the tests of answers that
// never come (a fault's Delay of a minute, which ends when the client gives
// up): long enough that, on a loaded machine under the race detector, the
// portal has taken the call by then (Fault.Apply) and the calls without a
// fault of the same test answer within it.
const lostAnswerTimeout = 2 * time.Second

// bodyOf reads the body of a request that a test's transport looks into,
// and returns it with a copy of the request that still sends it.
func bodyOf(req *http.Request) ([]byte, *http.Request, error) {
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, nil, err
	}
	req = req.Clone(req.Context())
	req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
	return b, req, nil
}
