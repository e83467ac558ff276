package bitrix24_test

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24"
)

// A nil Option changes nothing, as goalkit's other options (export's
// xlsx and pdf) say of theirs: a host that builds its options in a slice,
// some of them left out as nil, gets a client; New panicked calling it.
func TestNewNilOption(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	var none bitrix24.Option
	c, err := bitrix24.New(bitrix24.Webhook(srv.WebhookURL()), none, bitrix24.WithMinInterval(0), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.NotifyUser(context.Background(), "1", "hello"); err != nil {
		t.Fatal(err)
	}
}
