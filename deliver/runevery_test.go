package deliver_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
)

// Run refuses an interval under a second at once, naming it, as goalkit
// serve's -tick and goalkit notify's -every do; Run(ctx, time.Millisecond)
// ticked the tracker and read the outbox a thousand times a second. The
// refusal is logged too: a host runs Run in a goroutine of its own.
func TestRunRefusesIntervalUnderASecond(t *testing.T) {
	plan := goalkittest.CompilePlan(t, testPlan)
	cfg := parseConfig(t, `
channels: [{name: box, type: webhook, url: "http://unused", secret_env: S}]
recipients: [{user: anna, channels: [box]}]
`)
	box := map[string]deliver.Channel{"box": deliver.ChannelFunc(func(context.Context, deliver.Message) error { return nil })}
	for _, every := range []time.Duration{time.Nanosecond, time.Millisecond, time.Second - 1} {
		var log bytes.Buffer
		ticks := 0
		d, err := deliver.New(plan, track(t, plan, salesEvents()...), cfg, openOutbox(t, t.TempDir()), box,
			deliver.WithLogger(slog.New(slog.NewTextHandler(&log, nil))),
			deliver.WithClock(func() time.Time { ticks++; return march(29, 18) }))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		err = d.Run(ctx, every)
		ended := ctx.Err()
		cancel()
		if err == nil || ended != nil || !strings.Contains(err.Error(), "every "+every.String()+" is shorter than 1s") {
			t.Errorf("Run(%s) = %v, want a refusal naming the interval", every, err)
		}
		if ticks != 0 {
			t.Errorf("Run(%s) read its clock %d times, want no round", every, ticks)
		}
		if !strings.Contains(log.String(), "is shorter than 1s") {
			t.Errorf("Run(%s) logged %q, want the refusal", every, log.String())
		}
	}
	// One second, and the default (0), run until the context ends.
	for _, every := range []time.Duration{time.Second, 0} {
		d, err := deliver.New(plan, track(t, plan, salesEvents()...), cfg, openOutbox(t, t.TempDir()), box)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := d.Run(ctx, every); err != context.Canceled {
			t.Errorf("Run(%s) of an ended context = %v, want context.Canceled", every, err)
		}
	}
}
