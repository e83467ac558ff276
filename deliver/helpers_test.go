package deliver_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/shopspring/decimal"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// testPlan has a money goal (RUB) for anna and boris, with milestones and
// every notification kind the tests deliver, in Moscow time.
const testPlan = `
timezone: Europe/Moscow
indicators:
  - {id: revenue, kinds: [deal.won], aggregate: sum, value: amount, currency: RUB}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
goals:
  - id: sales
    name: Выручка за март
    indicator: revenue
    target: 1500000
    period: {from: 2025-03-01, to: 2025-04-01}
    participants: {users: [anna, boris]}
    milestones: [50%]
    notify: [{on: milestone_reached}, {on: achieved}, {on: deadline_approaching, days: 3}]
`

var moscow = func() *time.Location {
	l, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		panic(err)
	}
	return l
}()

// march is an instant of March 2025 in Moscow.
func march(day, hour int) time.Time { return time.Date(2025, 3, day, hour, 0, 0, 0, moscow) }

func won(id, who string, day int, amount int64) kpi.Event {
	return kpi.Event{ID: id, Kind: "deal.won", Actor: who, Time: march(day, 12), Known: march(day, 12),
		Amount: decimal.NewNullDecimal(decimal.New(amount, 0)), Currency: "RUB"}
}

// salesEvents: anna passes half of her target on the 5th and all of it on
// the 20th; boris passes half on the 12th.
func salesEvents() []kpi.Event {
	return []kpi.Event{
		won("a1", "anna", 5, 800000), won("b1", "boris", 12, 750000), won("a2", "anna", 20, 900000),
	}
}

// salesKeys are what the sales events notify as of 29 March, as
// "recipient key": 4 notifications (anna: milestone, achieved; boris:
// milestone, deadline approaching), each to its participant and to olga,
// their head.
var salesKeys = []string{
	"anna achieved/sales/anna/2025-03/",
	"anna milestone_reached/sales/anna/2025-03/50%25",
	"boris deadline_approaching/sales/boris/2025-03/3",
	"boris milestone_reached/sales/boris/2025-03/50%25",
	"olga achieved/sales/anna/2025-03/",
	"olga deadline_approaching/sales/boris/2025-03/3",
	"olga milestone_reached/sales/anna/2025-03/50%25",
	"olga milestone_reached/sales/boris/2025-03/50%25",
}

// directory: olga heads the sales unit, of which anna and boris are
// members.
func directory(t testing.TB) *memory.Directory {
	d, err := memory.NewDirectory([]org.Unit{{ID: "sales", Head: "olga"}},
		[]org.Membership{{User: "anna", Unit: "sales"}, {User: "boris", Unit: "sales"}})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func parseConfig(t testing.TB, src string) *deliver.Config {
	t.Helper()
	cfg, err := deliver.ParseConfig("deliver.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// track starts a tracker of the plan on a store in memory, closed when
// the test ends, and applies the events.
func track(t testing.TB, plan *goalkit.Plan, events ...kpi.Event) *goalkit.Tracker {
	t.Helper()
	ctx := context.Background()
	tr, err := plan.Track(ctx, memory.NewTrackStore())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	if len(events) > 0 {
		if err := tr.Apply(ctx, events...); err != nil {
			t.Fatal(err)
		}
	}
	return tr
}

// tickDeliver ticks the dispatcher at the instant and delivers what is
// due then, failing t on an error of either.
func tickDeliver(t testing.TB, d *deliver.Dispatcher, at time.Time) {
	t.Helper()
	ctx := context.Background()
	if _, err := d.Tick(ctx, at); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Deliver(ctx, at); err != nil {
		t.Fatal(err)
	}
}

// openChannels opens the channels of a configuration.
func openChannels(t testing.TB, cfg *deliver.Config, o deliver.ChannelOptions) map[string]deliver.Channel {
	t.Helper()
	chans, err := cfg.OpenChannels(o)
	if err != nil {
		t.Fatal(err)
	}
	return chans
}

func openOutbox(t testing.TB, dir string) *deliver.SQLiteOutbox {
	t.Helper()
	ob, err := deliver.OpenOutbox(context.Background(), filepath.Join(dir, "outbox.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ob.Close() })
	return ob
}

// testSecret is the webhook secret of the tests.
var testSecret = "whsec_" + base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))

// verifyWebhook checks a request against the Standard Webhooks scheme, as
// a receiver written from the specification would: the signed content is
// id "." timestamp "." body, HMAC-SHA256 keyed with the base64 part of the
// secret, compared in constant time with each "v1," signature of the
// header; the timestamp must be within five minutes of now.
func verifyWebhook(secret string, h http.Header, body []byte, now time.Time) (string, bool) {
	id, ts := h.Get("webhook-id"), h.Get("webhook-timestamp")
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || id == "" {
		return "", false
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || now.Sub(time.Unix(sec, 0)).Abs() > 5*time.Minute {
		return "", false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "."))
	mac.Write(body)
	want := mac.Sum(nil)
	for _, sig := range strings.Fields(h.Get("webhook-signature")) {
		v, b64, ok := strings.Cut(sig, ",")
		got, err := base64.StdEncoding.DecodeString(b64)
		if ok && v == "v1" && err == nil && hmac.Equal(got, want) {
			return id, true
		}
	}
	return "", false
}

// receiver is a webhook endpoint that verifies signatures and keeps each
// webhook-id once, as receivers should; it counts every request too.
type receiver struct {
	mu       sync.Mutex
	srv      *httptest.Server
	got      map[string]deliver.WebhookPayload // by webhook-id
	requests int
	bad      int
	// fail, when set, answers a request with its status instead (0: accept).
	fail func(n int) int
}

func newReceiver(t testing.TB) *receiver {
	r := &receiver{got: map[string]deliver.WebhookPayload{}}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.requests++
		if r.fail != nil {
			if code := r.fail(r.requests); code != 0 {
				w.WriteHeader(code)
				return
			}
		}
		id, ok := verifyWebhook(testSecret, req.Header, body, time.Now())
		if !ok {
			r.bad++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if _, seen := r.got[id]; !seen {
			var p deliver.WebhookPayload
			if err := json.Unmarshal(body, &p); err != nil {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			r.got[id] = p
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// setFail sets fail under the lock.
func (r *receiver) setFail(f func(n int) int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fail = f
}

// counts returns the requests and the badly signed ones.
func (r *receiver) counts() (requests, bad int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.requests, r.bad
}

// keys returns "recipient key" of every message received, sorted.
func (r *receiver) keys() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, p := range r.got {
		out = append(out, p.Recipient+" "+p.Key)
	}
	sortStrings(out)
	return out
}

// sameLines fails t unless got is want, line for line, showing both.
func sameLines(t testing.TB, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func env(vars map[string]string) deliver.Env {
	return func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok
	}
}
