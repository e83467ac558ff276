package deliver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Notifier sends a notification to a Bitrix24 user (the portal's im.notify):
// the Bitrix24 adapter's client implements it, and so does any host's own
// client. This package does not import the adapter.
//
// An error whose chain holds a method HTTPStatus() int (the adapter's
// *APIError has it) is the portal's answer with that status: the portal
// did not take the message, and the error is the channel's (ChannelFault)
// for 401 and 403 (the webhook or token refused, access denied: no message
// can go until the portal's side is fixed) and 429 (too many requests),
// permanent for another 4xx
// than 408 and 429 (a bad request), retried otherwise (a limit, a failure
// of the portal), as the HTTP channels' answers are. Any
// other error (a timeout, a lost answer) leaves the outcome unknown. An
// error whose chain holds a method RetryAfter() time.Duration (the
// adapter's *APIError has it: the portal's Retry-After, or the time until
// its operating limit resets) asks for that wait before the next attempt,
// as an HTTP channel's Retry-After does, up to Retry.Max. A recipient's
// user id that is not a positive integer, and a message with
// neither subject nor text, are permanent errors, and the notifier is not
// called.
type Notifier interface {
	NotifyUser(ctx context.Context, userID string, message string) error
}

// NotifierFunc adapts a function to the Notifier interface.
type NotifierFunc func(ctx context.Context, userID, message string) error

// NotifyUser calls f.
func (f NotifierFunc) NotifyUser(ctx context.Context, userID, message string) error {
	return f(ctx, userID, message)
}

// Bitrix24 is a channel that shows the message in the portal the data came
// from, as a notification to the recipient's Bitrix24 user (the subject in
// bold, then the text; a "[" or "]" of either as "(" or ")", so that no
// BB-code of a name formats it). The dispatcher's subject and text are
// those the templates rendered, whose names have their control and
// bidirectional formatting characters written as Go escapes (see
// Templates). The notifier's context ends a minute after the attempt
// begins. im.notify has no idempotency key: see Telegram for what a crash
// mid-delivery can do.
type Bitrix24 struct{ n Notifier }

// NewBitrix24 returns a channel over the notifier.
func NewBitrix24(n Notifier) *Bitrix24 { return &Bitrix24{n: n} }

// Send implements Channel.
func (b *Bitrix24) Send(ctx context.Context, m Message) error {
	user := m.To.Bitrix24
	if user == "" {
		return Permanent(fmt.Errorf("bitrix24: recipient %q has no Bitrix24 user", m.To.User))
	}
	if !bitrix24UserID(user) {
		// The portal's user ids are positive integers; the adapter refuses
		// another before any call, an error that would otherwise read as
		// an attempt of unknown outcome. Nothing is sent, and no retry
		// makes it one.
		return Permanent(fmt.Errorf("bitrix24: recipient %q: user id %q is not a positive integer", m.To.User, user))
	}
	text := bbEscape(m.Text)
	if strings.TrimSpace(m.Subject) != "" {
		text = "[b]" + bbEscape(m.Subject) + "[/b]\n" + text
	}
	if strings.TrimSpace(text) == "" {
		// The adapter refuses an empty notification before any call, as
		// it refuses a user id that is none: nothing is sent, and no
		// retry makes it one.
		return Permanent(fmt.Errorf("bitrix24: recipient %q: the message has no subject and no text", m.To.User))
	}
	// An attempt takes at most a minute, as the HTTP channels' requests
	// do, so that a portal that does not answer, or a client that would
	// wait out a limit, does not hold the dispatcher.
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	err := b.n.NotifyUser(ctx, user, text)
	if err == nil {
		return nil
	}
	if !strings.HasPrefix(err.Error(), "bitrix24:") {
		err = fmt.Errorf("bitrix24: %w", err)
	}
	var a interface{ HTTPStatus() int }
	switch {
	case errors.As(err, &a) && (a.HTTPStatus() == http.StatusUnauthorized || a.HTTPStatus() == http.StatusForbidden || a.HTTPStatus() == http.StatusTooManyRequests):
		// The portal refused the channel's webhook or token, or its
		// rights (ACCESS_DENIED, insufficient_scope), or it has had too
		// many requests: the channel's failure, not the message's.
		return ChannelFault(err)
	case errors.As(err, &a) && a.HTTPStatus() > 0:
		return answered(a.HTTPStatus(), err)
	}
	return err
}

// bitrix24UserID reports whether s is a portal user id: a positive decimal
// integer of int64, written without a sign or a leading zero.
func bitrix24UserID(s string) bool {
	n, err := strconv.ParseInt(s, 10, 64)
	return err == nil && n > 0 && strconv.FormatInt(n, 10) == s
}

// bitrix24UserWant is what a configuration that gives a recipient's
// bitrix24 user id other than one is told: every message to it would be a
// dead letter.
func bitrix24UserWant(s string) string {
	return fmt.Sprintf("must be a portal user id (a positive integer such as 17), got %q", s)
}

// bbEscape keeps brackets of outside text from being read as BB-codes.
func bbEscape(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		switch r {
		case '[':
			out = append(out, '(')
		case ']':
			out = append(out, ')')
		default:
			out = append(out, r)
		}
	}
	return string(out)
}
