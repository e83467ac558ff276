package deliver_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
)

// A receiver that answers 429 or 503 with the wait it wants — Retry-After in
// seconds, Retry-After as an HTTP date (counted from the answer's Date),
// Telegram's parameters.retry_after — has the next attempt no sooner than
// that, when it is longer than the backoff, and at most retry.max later: a
// receiver asking for days does not hold the message that long. A wait
// shorter than the backoff leaves the backoff.
func TestDeliverHonoursTheReceiversWait(t *testing.T) {
	// The receiver's clock, written in its Date header, is not the
	// dispatcher's: an HTTP date is read against it.
	theirs := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	// retry: base 1m, max 1h; the jitter at its middle makes the first
	// backoff 30s + 15s.
	const backoff = 45 * time.Second
	cases := []struct {
		name, typ string
		code      int
		header    map[string]string
		body      string
		want      time.Duration
	}{
		{"webhook seconds", "webhook", 429, map[string]string{"Retry-After": "600"}, "", 10 * time.Minute},
		{"webhook date", "webhook", 503, map[string]string{"Date": theirs.Format(http.TimeFormat), "Retry-After": theirs.Add(7 * time.Minute).Format(http.TimeFormat)}, "", 7 * time.Minute},
		{"webhook date passed", "webhook", 503, map[string]string{"Date": theirs.Format(http.TimeFormat), "Retry-After": theirs.Add(-time.Hour).Format(http.TimeFormat)}, "", backoff},
		{"webhook shorter than backoff", "webhook", 429, map[string]string{"Retry-After": "5"}, "", backoff},
		{"webhook days", "webhook", 503, map[string]string{"Retry-After": "259200"}, "", time.Hour},
		{"webhook past a Duration", "webhook", 503, map[string]string{"Retry-After": "99999999999999999999999"}, "", time.Hour},
		{"webhook unreadable", "webhook", 503, map[string]string{"Retry-After": "soon"}, "", backoff},
		{"slack seconds", "slack", 429, map[string]string{"Retry-After": "120"}, "", 2 * time.Minute},
		{"slack date", "slack", 503, map[string]string{"Date": theirs.Format(http.TimeFormat), "Retry-After": theirs.Add(90 * time.Second).Format(http.TimeFormat)}, "", 90 * time.Second},
		{"telegram retry_after", "telegram", 429, nil, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 300","parameters":{"retry_after":300}}`, 5 * time.Minute},
		{"telegram header", "telegram", 429, map[string]string{"Retry-After": "240"}, `{"ok":false,"error_code":429,"description":"Too Many Requests"}`, 4 * time.Minute},
		{"telegram retry_after huge", "telegram", 429, nil, `{"ok":false,"error_code":429,"description":"Too Many Requests","parameters":{"retry_after":9223372036854775807}}`, time.Hour},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range c.header {
					w.Header()[k] = []string{v}
				}
				if c.body != "" {
					w.Header().Set("Content-Type", "application/json")
				}
				w.WriteHeader(c.code)
				w.Write([]byte(c.body))
			}))
			defer srv.Close()
			ch := map[string]string{
				"webhook":  `{name: x, type: webhook, url: "` + srv.URL + `", secret_env: HOOK_SECRET}`,
				"slack":    `{name: x, type: slack, url_env: SLACK_URL}`,
				"telegram": `{name: x, type: telegram, base_url: "` + srv.URL + `", token_env: TG_TOKEN}`,
			}[c.typ]
			cfg := parseConfig(t, `
retry: {attempts: 5, base: 1m, max: 1h}
channels:
  - `+ch+`
recipients:
  - {user: anna, telegram: "1001", channels: [x]}
`)
			chans := openChannels(t, cfg, deliver.ChannelOptions{Env: env(map[string]string{
				"HOOK_SECRET": testSecret, "TG_TOKEN": "42:TOKEN", "SLACK_URL": srv.URL + "/services/T/B/S"})})
			checkDueAgain(t, cfg, chans, c.want)
		})
	}
}

// A host's own channel asks for a wait as the built-in ones do: with an
// error whose chain holds a method RetryAfter() time.Duration, wrapped or
// not.
func TestDeliverHonoursAHostChannelsWait(t *testing.T) {
	cfg := parseConfig(t, `
retry: {attempts: 5, base: 1m, max: 1h}
channels:
  - {name: x, type: webhook, url: "http://127.0.0.1:1/", secret_env: HOOK_SECRET}
recipients:
  - {user: anna, channels: [x]}
`)
	chans := map[string]deliver.Channel{"x": deliver.ChannelFunc(func(context.Context, deliver.Message) error {
		return deliver.NotDelivered(errors.Join(errors.New("busy"), hostWait(20*time.Minute)))
	})}
	checkDueAgain(t, cfg, chans, 20*time.Minute)
}

type hostWait time.Duration

func (w hostWait) Error() string             { return "wait" }
func (w hostWait) RetryAfter() time.Duration { return time.Duration(w) }

// portalWaitError is an error of a Notifier that was the portal's refusal
// with the wait it asked for, as the Bitrix24 adapter's *APIError is once
// its client used its retries (HTTPStatus and RetryAfter).
type portalWaitError struct {
	portalError
	wait time.Duration
}

func (e *portalWaitError) RetryAfter() time.Duration { return e.wait }

// The Bitrix24 channel honours the portal's wait, carried by the
// notifier's error, as the HTTP channels honour a Retry-After: the next
// attempt is no sooner than the wait when it is longer than the backoff,
// and at most retry.max later.
func TestDeliverHonoursThePortalsWait(t *testing.T) {
	const backoff = 45 * time.Second // base 1m, the jitter at its middle
	for _, tc := range []struct {
		name string
		err  error
		want time.Duration
	}{
		{"limit", &portalWaitError{portalError{503}, 20 * time.Minute}, 20 * time.Minute},
		{"operating limit, wrapped", fmt.Errorf("call: %w", &portalWaitError{portalError{429}, 7 * time.Minute}), 7 * time.Minute},
		{"days", &portalWaitError{portalError{503}, 72 * time.Hour}, time.Hour},
		{"shorter than the backoff", &portalWaitError{portalError{503}, 5 * time.Second}, backoff},
		{"no wait", &portalError{503}, backoff},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := parseConfig(t, `
retry: {attempts: 5, base: 1m, max: 1h}
channels:
  - {name: portal, type: bitrix24}
recipients:
  - {user: anna, bitrix24: "7"}
`)
			chans := openChannels(t, cfg, deliver.ChannelOptions{Bitrix24: &fakeNotifier{err: tc.err}})
			checkDueAgain(t, cfg, chans, tc.want)
		})
	}
}

// checkDueAgain ticks a dispatcher of cfg and chans at March 29, 18:00
// and delivers what is due once, with the jitter at its middle: every
// message fails, and is due again want after the attempt.
func checkDueAgain(t *testing.T, cfg *deliver.Config, chans map[string]deliver.Channel, want time.Duration) {
	t.Helper()
	ctx := context.Background()
	plan := goalkittest.CompilePlan(t, testPlan)
	ob := openOutbox(t, t.TempDir())
	mine := march(29, 18)
	d, err := deliver.New(plan, track(t, plan, salesEvents()...), cfg, ob, chans,
		deliver.WithDirectory(directory(t)), deliver.WithRand(func() float64 { return 0.5 }),
		deliver.WithClock(func() time.Time { return mine }))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Tick(ctx, mine); err != nil {
		t.Fatal(err)
	}
	res, err := d.Deliver(ctx, mine)
	if err != nil {
		t.Fatal(err)
	}
	es, err := ob.Entries(ctx, deliver.Pending)
	if err != nil {
		t.Fatal(err)
	}
	// A 429 rests the channel after its first attempt: the messages
	// after it are not attempted.
	if len(es) == 0 || res.Failed == 0 || res.Failed+res.Rested != len(es) || res.Sent+res.Dead != 0 {
		t.Fatalf("%+v, %d pending", res, len(es))
	}
	for _, e := range es {
		if e.Attempts == 0 {
			continue
		}
		if got := e.Next.Sub(mine); got != want {
			t.Errorf("%s: due again %v after the attempt, want %v (%s)", e.Message.Key, got, want, e.LastError)
		}
	}
}
