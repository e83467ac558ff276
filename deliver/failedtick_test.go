package deliver_test

import (
	"context"
	"errors"
	"testing"

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
)

// failingAdd is an outbox whose Add fails while fails is above zero,
// counting down: a store that fails once.
type failingAdd struct {
	deliver.Outbox
	fails *int
}

func (o failingAdd) Add(ctx context.Context, routed []deliver.RoutedKey, msgs []deliver.Message) error {
	if *o.fails > 0 {
		*o.fails--
		return errors.New("disk full")
	}
	return o.Outbox.Add(ctx, routed, msgs)
}

// A tick that fails leaves the dispatcher's last instant as it was: after
// a tick at a bad reading of the clock (two days ahead) fails at the
// outbox, the tick at the corrected instant routes the digests of its own
// day, rendered at it, not those of the instant that never ticked.
func TestFailedTickLeavesTheLastInstant(t *testing.T) {
	ctx := context.Background()
	plan := goalkittest.CompilePlan(t, testPlan)
	cfg := parseConfig(t, `
channels: [{name: box, type: webhook, url: "http://unused", secret_env: S}]
recipients: [{user: anna, timezone: Europe/Moscow, daily: "09:00", channels: [box]}]
`)
	fails := 0
	ob := openOutbox(t, t.TempDir())
	d, err := deliver.New(plan, track(t, plan, salesEvents()...), cfg, failingAdd{ob, &fails},
		map[string]deliver.Channel{"box": deliver.ChannelFunc(func(context.Context, deliver.Message) error { return nil })})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Tick(ctx, march(8, 10)); err != nil {
		t.Fatal(err)
	}
	fails = 1
	if _, err := d.Tick(ctx, march(11, 10)); err == nil {
		t.Fatal("a tick whose Add failed succeeded")
	}
	at := march(9, 10)
	if _, err := d.Tick(ctx, at); err != nil {
		t.Fatal(err)
	}
	es, err := ob.Due(ctx, march(20, 0), 100)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, e := range es {
		if e.Message.Digest == nil || e.Message.Created.Equal(march(8, 10)) {
			continue
		}
		keys = append(keys, e.Message.Key)
		if !e.Message.Created.Equal(at) {
			t.Errorf("%s rendered at %v, want the tick's instant %v", e.Message.Key, e.Message.Created, at)
		}
	}
	sameLines(t, "digests after the first tick", keys, []string{"digest_daily/anna/2025-03-09"})
}
