package deliver_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
)

// twiceDue is a host's outbox whose Due gives each entry many times (a
// join in its query), past the limit; it reads no channel apart
// (deliver.ChannelDue), so that Deliver reads its Due.
type twiceDue struct{ deliver.Outbox }

func (o twiceDue) Due(ctx context.Context, now time.Time, limit int) ([]deliver.Entry, error) {
	es, err := o.Outbox.Due(ctx, now, limit)
	var out []deliver.Entry
	for _, e := range es {
		for range 150 {
			out = append(out, e)
		}
	}
	return out, err
}

// A host's outbox whose Due repeats an entry has it attempted once, and
// the call ends: with the channel failed and its messages resting, the
// repeats of those filled every read past its limit, and Deliver read
// again for ever.
func TestDeliverEndsOnRepeatedDueEntries(t *testing.T) {
	ctx := context.Background()
	cfg := parseConfig(t, `
retry: {attempts: 3, base: 1m, max: 1h}
channels:
  - {name: x, type: webhook, url: "http://127.0.0.1:1/", secret_env: HOOK_SECRET}
recipients:
  - {user: anna, channels: [x]}
`)
	sends := 0
	chans := map[string]deliver.Channel{"x": deliver.ChannelFunc(func(context.Context, deliver.Message) error {
		sends++
		return deliver.ChannelFault(errors.New("login refused"))
	})}
	plan := goalkittest.CompilePlan(t, testPlan)
	now := march(29, 18)
	d, err := deliver.New(plan, track(t, plan, salesEvents()...), cfg, twiceDue{openOutbox(t, t.TempDir())}, chans,
		deliver.WithDirectory(directory(t)), deliver.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Tick(ctx, now); err != nil {
		t.Fatal(err)
	}
	done := make(chan deliver.DeliverResult)
	go func() {
		res, err := d.Deliver(ctx, now)
		if err != nil {
			t.Error(err)
		}
		done <- res
	}()
	select {
	case res := <-done:
		if res.Failed != 1 || res.Rested != 1 || sends != 1 {
			t.Errorf("%+v after %d sends, want one failed, one rested, one send", res, sends)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Deliver did not end")
	}
}
