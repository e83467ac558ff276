package deliver

import (
	"crypto/sha256"
	"encoding/base32"
	"strings"
	"time"

	"github.com/goalkit/goalkit/goal"
)

// Message is one notification or digest rendered for one recipient, to be
// sent through one channel. The outbox stores it whole, so every attempt
// sends the same bytes.
type Message struct {
	// ID identifies the delivery: the same notification key, recipient
	// and channel always give the same ID (MessageID). Webhooks send it as
	// webhook-id and email as the Message-ID, so a receiver that remembers
	// it accepts each message once.
	ID string `json:"id"`
	// Key is the idempotency key of what is delivered: the notification's
	// goal.Notification.Key, or a digest's key (DigestKey).
	Key string `json:"key"`
	// Kind is the notification's kind, or KindDailyDigest /
	// KindWeeklyDigest.
	Kind string `json:"kind"`
	// Channel is the name of the channel in the configuration.
	Channel string `json:"channel"`
	// To is the recipient, with the addresses the channels use.
	To Recipient `json:"to"`
	// Created is when the message was rendered: an email's Date and a
	// webhook's payload time, equal on every attempt.
	Created time.Time `json:"created"`
	// Subject, Text and HTML are the rendered parts; chat channels send
	// Text, email sends all three (and Images).
	Subject string `json:"subject"`
	Text    string `json:"text"`
	HTML    string `json:"html,omitempty"`
	// Images are the images the HTML shows inline (charts), for email
	// only: an email is multipart/related when it has some.
	Images []Image `json:"images,omitempty"`
	// Notification is the engine's notification; nil for a digest.
	Notification *goal.Notification `json:"notification,omitempty"`
	// Digest is the digest's content; nil for a notification.
	Digest *Digest `json:"digest,omitempty"`
	// Unrendered, when not empty, is why the templates could not render
	// the message (the template's error, secrets masked): Subject, Text
	// and HTML are empty, and its first attempt makes it a dead letter
	// with this reason instead of sending it.
	Unrendered string `json:"unrendered,omitempty"`
}

// MessageID returns the delivery ID of the message of key to the user
// through the channel: "msg_" and 26 base32 characters of a SHA-256 of the
// three. It is stable across runs and processes, so a redelivery after a
// crash carries the ID of the first attempt.
func MessageID(key, user, channel string) string {
	h := sha256.New()
	for _, p := range []string{channel, user, key} {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	sum := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(h.Sum(nil))
	return "msg_" + strings.ToLower(sum[:26])
}
