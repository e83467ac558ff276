package deliver_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/goalkit/goalkit/deliver"
)

// The Standard Webhooks reference example (the test vector of the
// specification's libraries) signs as the specification says.
func TestSignWebhookReferenceVector(t *testing.T) {
	key, err := deliver.WebhookKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if err != nil {
		t.Fatal(err)
	}
	got := deliver.SignWebhook(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, []byte(`{"test": 2432232314}`))
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Errorf("signature %s, want %s", got, want)
	}
}

func TestWebhookKeyErrors(t *testing.T) {
	for _, s := range []string{"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_!!!!", "whsec_c2hvcnQ="} {
		_, err := deliver.WebhookKey(s)
		if err == nil || strings.Contains(err.Error(), s) || strings.Contains(err.Error(), strings.TrimPrefix(s, "whsec_")) {
			t.Errorf("%q: %v", s, err)
		}
	}
}

func testMessage() deliver.Message {
	return deliver.Message{ID: deliver.MessageID("achieved/sales/anna/2025-03/", "anna", "ch"), Key: "achieved/sales/anna/2025-03/",
		Kind: "achieved", Channel: "ch", Created: time.Date(2025, 3, 20, 15, 0, 0, 0, time.UTC),
		To:      deliver.Recipient{User: "anna", Telegram: "-100123", Bitrix24: "17", Email: "anna@example.com"},
		Subject: "Выручка [март]: цель достигнута", Text: "Анна: 1 700 000 ₽ из 1 500 000 ₽."}
}

// A webhook carries the three headers; an independent verifier (written
// from the specification in this test) accepts them, and rejects a body
// or an id changed after signing. The payload holds the message.
func TestWebhookSend(t *testing.T) {
	var hdr http.Header
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr, body = r.Header.Clone(), mustRead(r.Body)
	}))
	defer srv.Close()
	w, err := deliver.NewWebhook(srv.URL, testSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := testMessage()
	if err := w.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if id, ok := verifyWebhook(testSecret, hdr, body, time.Now()); !ok || id != m.ID {
		t.Fatalf("signature rejected (id %q)", id)
	}
	if _, ok := verifyWebhook(testSecret, hdr, append(body, ' '), time.Now()); ok {
		t.Error("a changed body was accepted")
	}
	h2 := hdr.Clone()
	h2.Set("webhook-id", "msg_other")
	if _, ok := verifyWebhook(testSecret, h2, body, time.Now()); ok {
		t.Error("a changed id was accepted")
	}
	if _, ok := verifyWebhook(testSecret, hdr, body, time.Now().Add(10*time.Minute)); ok {
		t.Error("a stale timestamp was accepted")
	}
	var p deliver.WebhookPayload
	if err := json.Unmarshal(body, &p); err != nil || p.ID != m.ID || p.Key != m.Key || p.Recipient != "anna" || p.Type != "achieved" || p.Text != m.Text {
		t.Errorf("payload %+v (%v)", p, err)
	}
}

func mustRead(r io.Reader) []byte {
	b, _ := io.ReadAll(r)
	return b
}

// How each HTTP channel reads its receiver's answers: 2xx delivered, a
// refusal of the channel itself a channel fault (retried), other 4xx (but
// 408 and 429) permanent, the rest retried; no error holds the token or
// the secret URL. A webhook's or Slack's 401, 403 and 404 refuse the
// channel's address or secret; Telegram's 401 and 404 the bot's token, its
// 403 one chat (the bot blocked), the message's.
func TestHTTPChannelAnswers(t *testing.T) {
	const token = "123456:SECRET-token"
	cases := []struct {
		status    int
		body      string
		ok        bool
		permanent string // the channels for which it is permanent
		fault     string // the channels for which it is a channel fault
	}{
		{200, `{"ok":true,"result":{}}`, true, "", ""},
		{400, `{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`, false, "telegram slack webhook", ""},
		{401, `{"ok":false,"error_code":401,"description":"Unauthorized"}`, false, "", "telegram slack webhook"},
		{403, `{"ok":false,"description":"Forbidden: bot was blocked by the user"}`, false, "telegram", "slack webhook"},
		{404, `{"ok":false,"error_code":404,"description":"Not Found"}`, false, "", "telegram slack webhook"},
		{429, `{"ok":false,"description":"Too Many Requests: retry after 5"}`, false, "", "telegram slack webhook"},
		{500, `oops`, false, "", ""},
		{503, ``, false, "", ""},
		{410, ``, false, "telegram slack webhook", ""},
	}
	for _, tc := range cases {
		var path, got string
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			path, got = r.URL.Path, string(mustRead(r.Body))
			w.WriteHeader(tc.status)
			io.WriteString(w, tc.body)
		}))
		hook, _ := deliver.NewWebhook(srv.URL+"/hook", testSecret, nil)
		chans := map[string]deliver.Channel{
			"telegram": deliver.NewTelegram(srv.URL+"/", token, nil),
			"slack":    deliver.NewSlack(srv.URL+"/services/T0/B0/"+token, nil),
			"webhook":  hook,
		}
		for name, ch := range chans {
			err := ch.Send(context.Background(), testMessage())
			permanent, fault := slices.Contains(strings.Fields(tc.permanent), name), slices.Contains(strings.Fields(tc.fault), name)
			if (err == nil) != tc.ok || deliver.IsPermanent(err) != permanent || deliver.IsChannelFault(err) != fault || fault && !deliver.IsNotDelivered(err) {
				t.Errorf("%s, %d: %v (permanent %v, channel fault %v)", name, tc.status, err, deliver.IsPermanent(err), deliver.IsChannelFault(err))
			}
			if err != nil && (strings.Contains(err.Error(), token) || strings.Contains(err.Error(), "SECRET")) {
				t.Errorf("%s: the error shows the secret: %v", name, err)
			}
			switch name {
			case "telegram":
				if path != "/bot"+token+"/sendMessage" || !strings.Contains(got, `"chat_id":"-100123"`) || !strings.Contains(got, `"text":"Анна: 1 700 000 ₽ из 1 500 000 ₽."`) {
					t.Errorf("telegram request %s %s", path, got)
				}
			case "slack":
				if got != `{"text":"*Выручка [март]: цель достигнута*\nАнна: 1 700 000 ₽ из 1 500 000 ₽."}` {
					t.Errorf("slack request %s", got)
				}
			}
		}
		srv.Close()
	}
	// A receiver that cannot be reached: the channel's fault, retried,
	// without the URL.
	tg := deliver.NewTelegram("http://127.0.0.1:1", token, nil)
	if err := tg.Send(context.Background(), testMessage()); err == nil || deliver.IsPermanent(err) || !deliver.IsChannelFault(err) || strings.Contains(err.Error(), token) {
		t.Errorf("unreachable: %v", err)
	}
}

// fakeNotifier is what the Bitrix24 adapter's client does for im.notify.
type fakeNotifier struct {
	got []string
	err error
}

func (f *fakeNotifier) NotifyUser(ctx context.Context, userID, message string) error {
	if f.err != nil {
		return f.err
	}
	f.got = append(f.got, userID+": "+message)
	return nil
}

func TestBitrix24Channel(t *testing.T) {
	f := &fakeNotifier{}
	ch := deliver.NewBitrix24(f)
	if err := ch.Send(context.Background(), testMessage()); err != nil {
		t.Fatal(err)
	}
	if want := "17: [b]Выручка (март): цель достигнута[/b]\nАнна: 1 700 000 ₽ из 1 500 000 ₽."; len(f.got) != 1 || f.got[0] != want {
		t.Errorf("got %q, want %q", f.got, want)
	}
	f.err = errors.New("QUERY_LIMIT_EXCEEDED")
	if err := ch.Send(context.Background(), testMessage()); err == nil || deliver.IsPermanent(err) {
		t.Errorf("a portal error: %v", err)
	}
	m := testMessage()
	m.To.Bitrix24 = ""
	if err := ch.Send(context.Background(), m); !deliver.IsPermanent(err) {
		t.Errorf("no user: %v", err)
	}
	// A user id that is not one (checked before any call) is permanent:
	// nothing was sent, and no retry makes it one.
	f.err, f.got = nil, nil
	for _, id := range []string{"anna", "0", "-17", "+17", "017", "1.5", " 17", "99999999999999999999"} {
		m.To.Bitrix24 = id
		err := ch.Send(context.Background(), m)
		if !deliver.IsPermanent(err) || len(f.got) != 0 {
			t.Errorf("user id %q: %v, sent %q", id, err, f.got)
		}
	}
	// A message with no subject and no text (a host's template that
	// renders nothing) is permanent too: the adapter refuses it before
	// any call, which read as an attempt of unknown outcome, retried until
	// dead, or under at_most_once dead as if it might have been sent.
	// A subject of spaces alone is none (it was sent as "[b] [/b]").
	m = testMessage()
	for _, subject := range []string{"", " \t"} {
		m.Subject, m.Text = subject, " \n\t"
		if err := ch.Send(context.Background(), m); !deliver.IsPermanent(err) || len(f.got) != 0 {
			t.Errorf("an empty message, subject %q: %v, sent %q", subject, err, f.got)
		}
	}
	m.Subject = "s"
	if err := ch.Send(context.Background(), m); err != nil || len(f.got) != 1 {
		t.Errorf("a subject alone: %v, sent %q", err, f.got)
	}
}

// A text longer than Telegram takes is cut to 4096 characters, the last
// an ellipsis. Telegram counts them in UTF-16 code units, as it counts its
// entities' offsets: an emoji outside the Basic Multilingual Plane is two.
// A text that fits in code points but not in code units is cut too, never
// in the middle of a character, so that the Bot API does not refuse it
// ("message is too long", a dead letter), nor in the middle of an escape
// of a name ("\u20…" read as neither the character nor its escape).
func TestTelegramLongText(t *testing.T) {
	var got struct{ Text string }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.Unmarshal(mustRead(r.Body), &got)
		io.WriteString(w, `{"ok":true}`)
	}))
	defer srv.Close()
	for _, tc := range []struct{ text, want string }{
		{strings.Repeat("я", 5000), strings.Repeat("я", 4095) + "…"},
		{strings.Repeat("я", 4096), strings.Repeat("я", 4096)},
		{strings.Repeat("🚀", 3000), strings.Repeat("🚀", 2047) + "…"},
		{"я" + strings.Repeat("🚀", 2100), "я" + strings.Repeat("🚀", 2047) + "…"},
		{strings.Repeat("🚀", 2048), strings.Repeat("🚀", 2048)},
		// The 4095th unit is the "u" of a name's \u202e: the cut is
		// before its backslash, not "\u…".
		{strings.Repeat("a", 4093) + `\u202e` + "b", strings.Repeat("a", 4093) + "…"},
		{strings.Repeat("a", 4094) + `\n` + "b", strings.Repeat("a", 4094) + "…"},
		// A backslash of the name's own before an escape stays.
		{strings.Repeat("a", 4093) + `\\x1b`, strings.Repeat("a", 4093) + `\` + "…"},
		// "\u202E" is no escape of a name (its hex is upper-case).
		{strings.Repeat("a", 4093) + `\u202E`, strings.Repeat("a", 4093) + `\u` + "…"},
	} {
		m := testMessage()
		m.Text = tc.text
		if err := deliver.NewTelegram(srv.URL, "t", nil).Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		units := len(utf16.Encode([]rune(got.Text)))
		if got.Text != tc.want || units > 4096 {
			t.Errorf("%d code units of %d sent, want %d", units, len(utf16.Encode([]rune(tc.text))), len(utf16.Encode([]rune(tc.want))))
		}
	}
}

// roundTrip is an http.RoundTripper of a function.
type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A Telegram channel of a configuration built in Go, without a URL, sends
// to the Bot API's documented default address, as a parsed one does.
func TestTelegramDefaultURLOfConfigBuiltInGo(t *testing.T) {
	var got string
	client := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		got = r.URL.Scheme + "://" + r.URL.Host + strings.Replace(r.URL.Path, "T0KEN", "…", 1)
		return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader(`{"ok":true}`)), Header: http.Header{}}, nil
	})}
	cfg := &deliver.Config{Channels: []deliver.ChannelConfig{{Name: "tg", Type: deliver.TypeTelegram, SecretEnv: "TG"}}}
	chans, err := cfg.OpenChannels(deliver.ChannelOptions{Env: env(map[string]string{"TG": "T0KEN"}), HTTP: client})
	if err != nil {
		t.Fatal(err)
	}
	if err := chans["tg"].Send(context.Background(), testMessage()); err != nil {
		t.Fatal(err)
	}
	if want := "https://api.telegram.org/bot…/sendMessage"; got != want {
		t.Errorf("sent to %q, want %q", got, want)
	}
}

// A receiver that answers with a redirect has not taken the message. Go's
// client would follow a 301 or 302 with a GET without the body, which a
// moved endpoint (say http:// to https://) answers 200: the message would
// be recorded as sent and never arrive; a 307 or 308 would send the
// message, and the secret URL's token, to wherever the answer points. The
// channels follow no redirect: the answer is a failure of the channel
// (its address moved: every message would get it), retried and resting
// the channel, that names its status.
func TestHTTPChannelsFollowNoRedirect(t *testing.T) {
	const token = "123456:SECRET-token"
	for _, status := range []int{301, 302, 307, 308} {
		moved := 0
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/moved" {
				moved++
				io.WriteString(w, `{"ok":true}`)
				return
			}
			http.Redirect(w, r, "/moved", status)
		}))
		hook, _ := deliver.NewWebhook(srv.URL+"/hook", testSecret, nil)
		for name, ch := range map[string]deliver.Channel{
			"telegram": deliver.NewTelegram(srv.URL+"/", token, nil),
			"slack":    deliver.NewSlack(srv.URL+"/services/T0/B0/"+token, nil),
			"webhook":  hook,
		} {
			err := ch.Send(context.Background(), testMessage())
			if err == nil || deliver.IsPermanent(err) || !deliver.IsNotDelivered(err) || !deliver.IsChannelFault(err) || !strings.Contains(err.Error(), strconv.Itoa(status)) {
				t.Errorf("%s, %d: %v, want a temporary failure of the channel naming the status", name, status, err)
			}
			if err != nil && strings.Contains(err.Error(), "SECRET") {
				t.Errorf("%s: the error shows the secret: %v", name, err)
			}
		}
		if moved != 0 {
			t.Errorf("%d: the redirect was followed %d times", status, moved)
		}
		srv.Close()
	}
}

// The start of a receiver's answer that an error quotes is cut between
// characters: the error, kept in the outbox and logged, is valid UTF-8.
func TestHTTPChannelAnswerCutBetweenCharacters(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, strings.Repeat("€", 100))
	}))
	defer srv.Close()
	err := deliver.NewSlack(srv.URL, nil).Send(context.Background(), testMessage())
	if err == nil || !utf8.ValidString(err.Error()) || !strings.HasSuffix(err.Error(), strings.Repeat("€", 66)+"…") {
		t.Errorf("error %q, want valid UTF-8 ending in 66 euro signs and an ellipsis", err)
	}
}

// portalError is an error of a Notifier that was an answer of the portal
// with an HTTP status, as the Bitrix24 adapter's *APIError is.
type portalError struct{ status int }

func (e *portalError) Error() string {
	return "bitrix24: im.notify.personal.add: http " + strconv.Itoa(e.status)
}
func (e *portalError) HTTPStatus() int { return e.status }

// An error of the portal's answer is classified by its HTTP status as the
// other HTTP channels' answers are: a refusal of the channel's webhook or
// rights (401, 403: ACCESS_DENIED) is the channel's fault, retried; another
// refusal that retrying cannot fix is permanent, a limit or a failure of
// the portal is retried, and either way the portal surely did not take the
// message (at_most_once retries it instead of dropping it). An error
// without a status leaves the outcome unknown. The adapter's error stays
// in the chain.
func TestBitrix24ChannelAnswers(t *testing.T) {
	for _, tc := range []struct {
		err                         error
		permanent, fault, delivered bool // delivered: the outcome is unknown
	}{
		{&portalError{403}, false, true, false},
		{&portalError{400}, true, false, false},
		{&portalError{401}, false, true, false},
		{&portalError{404}, true, false, false},
		{&portalError{429}, false, true, false},
		{&portalError{503}, false, false, false},
		{&portalError{500}, false, false, false},
		{&portalError{200}, false, false, false}, // result false: nothing created
		{fmt.Errorf("call: %w", &portalError{503}), false, false, false},
		{fmt.Errorf("call: %w", &portalError{403}), false, true, false},
		{errors.New("bitrix24: im.notify.personal.add: no answer within 1m"), false, false, true},
	} {
		err := deliver.NewBitrix24(&fakeNotifier{err: tc.err}).Send(context.Background(), testMessage())
		if err == nil || deliver.IsPermanent(err) != tc.permanent || deliver.IsChannelFault(err) != tc.fault || deliver.IsNotDelivered(err) == tc.delivered || !errors.Is(err, tc.err) {
			t.Errorf("%v: %v (permanent %v, channel fault %v, not delivered %v)", tc.err, err, deliver.IsPermanent(err), deliver.IsChannelFault(err), deliver.IsNotDelivered(err))
		}
	}
}

// deadlineNotifier records how far off its context's deadline is (-1:
// none).
type deadlineNotifier struct{ left []time.Duration }

func (n *deadlineNotifier) NotifyUser(ctx context.Context, _, _ string) error {
	dl, ok := ctx.Deadline()
	if !ok {
		n.left = append(n.left, -1)
		return nil
	}
	n.left = append(n.left, time.Until(dl))
	return nil
}

// A Bitrix24 attempt is bounded as the HTTP channels' requests are: the
// notifier's context ends at most a minute after it begins, even when the
// caller's has no deadline, so that a portal that does not answer, or a
// client that would wait out a limit of ten minutes, does not hold the
// dispatcher. It had no deadline at all.
func TestBitrix24ChannelBoundsEachAttempt(t *testing.T) {
	n := &deadlineNotifier{}
	if err := deliver.NewBitrix24(n).Send(context.Background(), testMessage()); err != nil {
		t.Fatal(err)
	}
	if len(n.left) != 1 || n.left[0] <= 0 || n.left[0] > time.Minute {
		t.Errorf("the notifier's deadline was %v away, want at most a minute", n.left)
	}
}

// A receiver that takes the connection and never answers does not hold the
// dispatcher (whose ticks wait for the attempt) for ever: every request of
// the HTTP channels carries a deadline at most a minute away, as an email's
// conversation does, even when the caller's context has none and the host's
// client no timeout.
func TestHTTPChannelsBoundEachRequest(t *testing.T) {
	var deadlines []time.Duration
	client := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		dl, ok := r.Context().Deadline()
		if !ok {
			deadlines = append(deadlines, -1)
		} else {
			deadlines = append(deadlines, time.Until(dl))
		}
		return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader(`{"ok":true}`)), Header: http.Header{}}, nil
	})}
	hook, _ := deliver.NewWebhook("https://crm.example.com/hook", testSecret, client)
	for _, ch := range []deliver.Channel{hook, deliver.NewTelegram("", "1:x", client), deliver.NewSlack("https://hooks.slack.com/services/x", client)} {
		if err := ch.Send(context.Background(), testMessage()); err != nil {
			t.Fatal(err)
		}
	}
	for i, d := range deadlines {
		if d <= 0 || d > time.Minute {
			t.Errorf("request %d: deadline in %v, want within a minute", i, d)
		}
	}
}

// An address without a scheme or a host (a Slack URL pasted without
// https://, a webhook of a configuration built in Go) is a permanent
// error, and nothing is sent: Go's client failed such a request with
// "unsupported protocol scheme", which read as an attempt of unknown
// outcome, retried until dead or, under at_most_once, dead as if it might
// have been delivered. The error holds no part of the address.
func TestHTTPChannelsRefuseAnAddressWithoutSchemeOrHost(t *testing.T) {
	sent := 0
	client := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		sent++
		return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader(`{"ok":true}`)), Header: http.Header{}}, nil
	})}
	// With Go's own transport (a nil client), which refuses such a
	// request before any connection, and with a host's, which might send
	// it anywhere.
	for _, c := range []*http.Client{nil, client} {
		for _, u := range []string{"hooks.example.com/s3cret", "//hooks.example.com/s3cret", "ftp://hooks.example.com/s3cret", "https:///s3cret", ""} {
			sendAll(t, c, u)
		}
	}
	if sent != 0 {
		t.Errorf("%d requests sent", sent)
	}
}

// sendAll sends a message through a webhook, Slack and Telegram channel
// to u, each of which must refuse it for good without naming u.
func sendAll(t *testing.T, client *http.Client, u string) {
	t.Helper()
	hook, err := deliver.NewWebhook(u, testSecret, client)
	if err != nil {
		t.Fatal(err)
	}
	chans := []deliver.Channel{hook, deliver.NewSlack(u, client)}
	if u != "" { // Telegram's empty base is the Bot API's
		chans = append(chans, deliver.NewTelegram(u, "1:s3cret", client))
	}
	for _, ch := range chans {
		err := ch.Send(context.Background(), testMessage())
		if !deliver.IsPermanent(err) || strings.Contains(fmt.Sprint(err), "s3cret") {
			t.Errorf("%T to %q: %v, want a permanent error without the address", ch, u, err)
		}
	}
}

// A receiver whose TLS fails (a certificate no root signed) was not sent
// the message: the channel's failure, retried, and not a dead letter
// under at_most_once. It read as an attempt of unknown outcome.
func TestHTTPChannelTLSFailure(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("a request came through a failed handshake")
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshakes that fail
	srv.StartTLS()
	defer srv.Close()
	hook, _ := deliver.NewWebhook(srv.URL+"/hook", testSecret, nil)
	for name, ch := range map[string]deliver.Channel{
		"telegram": deliver.NewTelegram(srv.URL, "1:T", nil),
		"slack":    deliver.NewSlack(srv.URL+"/services/x", nil),
		"webhook":  hook,
	} {
		err := ch.Send(context.Background(), testMessage())
		if !deliver.IsChannelFault(err) || !deliver.IsNotDelivered(err) || deliver.IsPermanent(err) || !strings.Contains(err.Error(), "certificate") {
			t.Errorf("%s: %v, want the channel's failure naming the certificate", name, err)
		}
	}
}

// A receiver that speaks plain HTTP where the channel's address says
// https answers the TLS hello with an HTTP response: nothing was sent, the
// channel's failure, retried and not a dead letter under at_most_once. It
// read as an attempt of unknown outcome.
func TestHTTPChannelPlainHTTPServer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("a request came through without TLS")
	}))
	defer srv.Close()
	u := "https://" + strings.TrimPrefix(srv.URL, "http://")
	hook, _ := deliver.NewWebhook(u+"/hook", testSecret, nil)
	for name, ch := range map[string]deliver.Channel{
		"telegram": deliver.NewTelegram(u, "1:T", nil),
		"slack":    deliver.NewSlack(u+"/services/x", nil),
		"webhook":  hook,
	} {
		err := ch.Send(context.Background(), testMessage())
		if !deliver.IsChannelFault(err) || !deliver.IsNotDelivered(err) || deliver.IsPermanent(err) || !strings.Contains(err.Error(), "HTTP response to HTTPS") {
			t.Errorf("%s: %v, want the channel's failure naming the HTTP response", name, err)
		}
	}
}
