package deliver_test

import (
	"context"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
)

// New refuses what a dispatcher cannot work without, saying what is
// missing; a nil configuration panicked in New, and a nil plan, tracker
// or outbox was taken and panicked at the first tick.
func TestNewRefusesWhatIsMissing(t *testing.T) {
	plan := goalkittest.CompilePlan(t, testPlan)
	cfg := parseConfig(t, webhookConfig("http://127.0.0.1:1/"))
	tr := track(t, plan)
	// A second Compile of the same definition is another plan: New cannot
	// know the two are alike, and its notifications would be of the
	// tracker's plan while the routes read this one's.
	other := goalkittest.CompilePlan(t, testPlan)
	ob := openOutbox(t, t.TempDir())
	chans := map[string]deliver.Channel{"hook": deliver.ChannelFunc(nil)}
	for _, c := range []struct {
		plan *goalkit.Plan
		tr   *goalkit.Tracker
		cfg  *deliver.Config
		ob   deliver.Outbox
		want string
	}{
		{nil, tr, cfg, ob, "deliver: New: no plan given (nil)"},
		{plan, nil, cfg, ob, "deliver: New: no tracker given (nil)"},
		{plan, tr, nil, ob, "deliver: New: no configuration given (nil)"},
		{plan, tr, cfg, nil, "deliver: New: no outbox given (nil)"},
		{nil, nil, nil, nil, "deliver: New: no plan, no tracker, no configuration, no outbox given (nil)"},
		{other, tr, cfg, ob, "deliver: New: the tracker tracks another plan than the one given (start it with this plan's Track)"},
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: panic: %v", c.want, r)
				}
			}()
			d, err := deliver.New(c.plan, c.tr, c.cfg, c.ob, chans)
			if err == nil || err.Error() != c.want {
				t.Errorf("got %v, %v; want %s", d, err, c.want)
			}
		}()
	}
}

// New refuses a channel given as a value that cannot send, naming the
// channel and what it is: a nil ChannelFunc, a nil pointer of one of the
// package's channels, a Bitrix24 channel over no notifier. Each was taken,
// and the first attempt on the channel panicked inside Deliver, taking the
// host's process down with the message left in the middle of its attempt.
func TestNewRefusesNilImplementations(t *testing.T) {
	plan := goalkittest.CompilePlan(t, testPlan)
	cfg := parseConfig(t, webhookConfig("http://127.0.0.1:1/"))
	tr := track(t, plan)
	for _, c := range []struct {
		ch   deliver.Channel
		want string
	}{
		{deliver.ChannelFunc(nil), "a nil ChannelFunc"},
		{(*deliver.Webhook)(nil), "a nil *deliver.Webhook"},
		{(*deliver.Slack)(nil), "a nil *deliver.Slack"},
		{(*deliver.Telegram)(nil), "a nil *deliver.Telegram"},
		{(*deliver.Email)(nil), "a nil *deliver.Email"},
		{(*deliver.Bitrix24)(nil), "a nil *deliver.Bitrix24"},
		{deliver.NewBitrix24(nil), "a Bitrix24 channel over a nil notifier"},
		{deliver.NewBitrix24(deliver.NotifierFunc(nil)), "a Bitrix24 channel over a nil notifier"},
	} {
		_, err := deliver.New(plan, tr, cfg, openOutbox(t, t.TempDir()), map[string]deliver.Channel{"hook": c.ch})
		want := `deliver.yaml:4: channel "hook": the implementation given is ` + c.want + ", which cannot send"
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%T: got %v, want %s", c.ch, err, want)
		}
	}
	// A channel of a host's own type is taken as it is, nil or not: its
	// Send may serve a nil receiver.
	var own *nilReceiver
	if _, err := deliver.New(plan, tr, cfg, openOutbox(t, t.TempDir()), map[string]deliver.Channel{"hook": own}); err != nil {
		t.Errorf("a host's nil receiver: %v", err)
	}
}

// nilReceiver is a host's channel whose Send serves a nil receiver.
type nilReceiver struct{}

func (*nilReceiver) Send(context.Context, deliver.Message) error { return nil }
