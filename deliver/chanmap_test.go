package deliver_test

import (
	"context"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
)

// A dispatcher keeps the channels New was given: a host that takes a
// channel out of its map afterwards (or puts another in, while Run
// delivers) changes nothing. The dispatcher read the host's map, so every
// message on the channel taken out was a dead letter, "no channel is
// named".
func TestNewKeepsItsChannels(t *testing.T) {
	ctx := context.Background()
	plan := goalkittest.CompilePlan(t, testPlan)
	cfg := parseConfig(t, `
channels: [{name: box, type: webhook, url: "http://unused", secret_env: S}]
recipients: [{user: anna, channels: [box]}]
`)
	sent := 0
	chans := map[string]deliver.Channel{"box": deliver.ChannelFunc(func(context.Context, deliver.Message) error {
		sent++
		return nil
	})}
	ob := openOutbox(t, t.TempDir())
	d, err := deliver.New(plan, track(t, plan, salesEvents()...), cfg, ob, chans)
	if err != nil {
		t.Fatal(err)
	}
	delete(chans, "box")
	now := march(29, 18)
	tickDeliver(t, d, now)
	dead, err := ob.Entries(ctx, deliver.Dead)
	if err != nil {
		t.Fatal(err)
	}
	if sent == 0 || len(dead) != 0 {
		t.Errorf("%d sent and %d dead letters, want every message sent", sent, len(dead))
	}
}

// A configured channel without an implementation among New's channels is
// refused naming it: a file's by its line, one built in Go by its index.
// The refusal of one built in Go read ":0:", no place at all.
func TestNewNamesAChannelWithoutImplementation(t *testing.T) {
	plan := goalkittest.CompilePlan(t, testPlan)
	tr := track(t, plan)
	parsed := parseConfig(t, `
recipients: [{user: anna, channels: [box]}]
channels:
  - {name: hook, type: webhook, url: "http://unused", secret_env: S}
  - {name: box, type: webhook, url: "http://unused", secret_env: S}
`)
	built := &deliver.Config{Channels: []deliver.ChannelConfig{{Name: "hook", Type: deliver.TypeWebhook}, {Name: "box", Type: deliver.TypeWebhook}},
		Recipients: []deliver.Recipient{{User: "anna", Channels: []string{"box"}}}}
	hook := map[string]deliver.Channel{"hook": deliver.ChannelFunc(func(context.Context, deliver.Message) error { return nil })}
	for _, tc := range []struct {
		cfg  *deliver.Config
		want string
	}{
		{parsed, `deliver.yaml:5: channel "box" has no implementation`},
		{built, `channels[1] (box): channel "box" has no implementation`},
	} {
		_, err := deliver.New(plan, tr, tc.cfg, openOutbox(t, t.TempDir()), hook)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want an error saying %q", err, tc.want)
		}
	}
}

// OpenChannels of a configuration built in Go names a channel it cannot
// open by its index, as New does; it read ":0:".
func TestOpenChannelsNamesAChannelBuiltInGo(t *testing.T) {
	cfg := &deliver.Config{Channels: []deliver.ChannelConfig{{Name: "hook", Type: deliver.TypeWebhook, SecretEnv: "GOALKIT_UNSET_SECRET"}}}
	_, err := cfg.OpenChannels(deliver.ChannelOptions{Env: env(nil)})
	if want := `channels[0] (hook): channel "hook": the variable GOALKIT_UNSET_SECRET is not set`; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v, want an error starting %q", err, want)
	}
}
