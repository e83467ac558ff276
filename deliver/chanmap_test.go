package deliver_test

import (
	"context"
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
