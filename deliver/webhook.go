package deliver

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Webhook is a channel that POSTs each message as JSON to a URL, signed
// per the Standard Webhooks scheme: the headers webhook-id (the message's
// ID, the same on every attempt), webhook-timestamp (Unix seconds of the
// attempt) and webhook-signature ("v1," and the base64 HMAC-SHA256, keyed
// with the secret, of "id.timestamp.body"). Receivers verify the signature,
// reject stale timestamps and drop an id they have seen: a webhook
// deduplicates.
//
// The payload's notification and digest are data: every name in them is
// exact, control and bidirectional formatting characters included (JSON
// escapes what it must). Its subject and text are the rendered text a
// person reads, as the other channels send it, with those characters of
// names written as Go escapes (see Templates).
type Webhook struct {
	url    string
	key    []byte
	client *http.Client
	now    func() time.Time
}

// WebhookPayload is the JSON body a webhook receives.
type WebhookPayload struct {
	// Type is the message's kind: a notification kind or a digest.
	Type string `json:"type"`
	// ID is the message's ID (also the webhook-id header) and Key the
	// notification's idempotency key.
	ID        string    `json:"id"`
	Key       string    `json:"key"`
	Timestamp time.Time `json:"timestamp"`
	// Recipient is the user the message is for.
	Recipient string `json:"recipient"`
	// Subject and Text are the message as rendered for a person: names
	// with their control and bidirectional formatting characters as Go
	// escapes (see Templates); Notification and Digest have them exact.
	Subject string `json:"subject"`
	Text    string `json:"text"`
	// Notification is the engine's notification (JSON as goal.Notification
	// marshals); absent for a digest.
	Notification any     `json:"notification,omitempty"`
	Digest       *Digest `json:"digest,omitempty"`
}

// NewWebhook returns a webhook channel to url with the secret, written
// "whsec_" and the key in base64 as Standard Webhooks prescribes. A nil
// client is http.DefaultClient.
func NewWebhook(url, secret string, client *http.Client) (*Webhook, error) {
	key, err := WebhookKey(secret)
	if err != nil {
		return nil, err
	}
	return &Webhook{url: url, key: key, client: client, now: time.Now}, nil
}

// WebhookKey decodes a Standard Webhooks secret, "whsec_" and the key in
// base64. Its errors never repeat the secret.
func WebhookKey(secret string) ([]byte, error) {
	b64, ok := strings.CutPrefix(secret, "whsec_")
	if !ok {
		return nil, errors.New(`webhook secret must start with "whsec_"`)
	}
	key, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(key) < 16 {
		return nil, errors.New(`webhook secret must be "whsec_" and at least 16 bytes in base64`)
	}
	return key, nil
}

// SignWebhook returns the webhook-signature header of a message: "v1," and
// the base64 HMAC-SHA256 of "id.timestamp.body" under key.
func SignWebhook(key []byte, id string, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%d.", id, timestamp)
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Deduplicates implements Deduplicating: receivers drop a webhook-id they
// have seen.
func (w *Webhook) Deduplicates() bool { return true }

// Send implements Channel.
func (w *Webhook) Send(ctx context.Context, m Message) error {
	body, err := json.Marshal(webhookPayload(m))
	if err != nil {
		return Permanent(fmt.Errorf("webhook: %w", err))
	}
	ts := w.now().Unix()
	h := http.Header{}
	h.Set("webhook-id", m.ID)
	h.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	h.Set("webhook-signature", SignWebhook(w.key, m.ID, ts, body))
	a, err := post(ctx, w.client, "webhook", w.url, h, body)
	if err != nil {
		return err
	}
	if a.code/100 != 2 {
		if a.code == http.StatusGone {
			return Permanent(fmt.Errorf("webhook: the receiver answered 410: the endpoint is gone"))
		}
		return withWait(statusError("webhook", a.code, snippet(a.data, urlSecrets(w.url)...), webhookFaults...), a.wait)
	}
	return nil
}

func webhookPayload(m Message) WebhookPayload {
	p := WebhookPayload{Type: m.Kind, ID: m.ID, Key: m.Key, Timestamp: m.Created.UTC(), Recipient: m.To.User,
		Subject: m.Subject, Text: m.Text, Digest: m.Digest}
	if m.Notification != nil {
		p.Notification = m.Notification
	}
	return p
}
