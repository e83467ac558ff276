package deliver

import (
	"context"
	"fmt"
)

// Notifier sends a notification to a Bitrix24 user (the portal's im.notify):
// the Bitrix24 adapter's client implements it, and so does any host's own
// client. This package does not import the adapter.
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
// bold, then the text). im.notify has no idempotency key: see Telegram for
// what a crash mid-delivery can do.
type Bitrix24 struct{ n Notifier }

// NewBitrix24 returns a channel over the notifier.
func NewBitrix24(n Notifier) *Bitrix24 { return &Bitrix24{n: n} }

// Send implements Channel.
func (b *Bitrix24) Send(ctx context.Context, m Message) error {
	user := m.To.Bitrix24
	if user == "" {
		return Permanent(fmt.Errorf("bitrix24: recipient %q has no Bitrix24 user", m.To.User))
	}
	text := bbEscape(m.Text)
	if m.Subject != "" {
		text = "[b]" + bbEscape(m.Subject) + "[/b]\n" + text
	}
	if err := b.n.NotifyUser(ctx, user, text); err != nil {
		return fmt.Errorf("bitrix24: %w", err)
	}
	return nil
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
