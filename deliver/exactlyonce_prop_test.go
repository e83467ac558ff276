package deliver_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
	"pgregory.net/rapid"
)

// The outcomes a fake channel draws for an attempt.
const (
	sendOK      = iota // the receiver takes the message
	sendRefused        // it refuses: it does not have the message
	sendLostAck        // it takes the message, the answer is lost
	sendCrash          // it may take the message; the process stops before recording anything
	sendFault          // it refuses the channel (a refused login): the channel rests
	sendOutcomes
)

var errCrash = errors.New("the process stopped")

// flaky is a fake channel whose receiver keeps what it received, counting
// every arrival per delivery key (key and user) and per message ID. Its
// outcome per attempt comes from draw.
type flaky struct {
	dedupe   bool
	arrivals map[string]int            // key|user → messages received
	ids      map[string]map[string]int // key|user → ID → messages received
	draw     func() int
	crashed  *bool
	took     func() bool
}

func (f *flaky) Deduplicates() bool { return f.dedupe }

func (f *flaky) Send(ctx context.Context, m deliver.Message) error {
	k := m.Key + "|" + m.To.User
	receive := func() {
		f.arrivals[k]++
		if f.ids[k] == nil {
			f.ids[k] = map[string]int{}
		}
		f.ids[k][m.ID]++
	}
	switch f.draw() {
	case sendRefused:
		return deliver.NotDelivered(errors.New("refused"))
	case sendFault:
		return deliver.ChannelFault(errors.New("login refused"))
	case sendLostAck:
		receive()
		return errors.New("timeout awaiting the answer")
	case sendCrash:
		if f.took() {
			receive()
		}
		*f.crashed = true
		return errCrash
	}
	receive()
	return nil
}

// crashingOutbox stops recording once the process "stopped": what the
// dispatcher writes after a crash is lost, as it would be.
type crashingOutbox struct {
	deliver.Outbox
	crashed *bool
}

func (o crashingOutbox) Sent(ctx context.Context, id string, at time.Time) error {
	if *o.crashed {
		return errCrash
	}
	return o.Outbox.Sent(ctx, id, at)
}

func (o crashingOutbox) Fail(ctx context.Context, id string, next time.Time, dead bool, reason string) error {
	if *o.crashed {
		return errCrash
	}
	return o.Outbox.Fail(ctx, id, next, dead, reason)
}

// crashingChannelDue is a crashingOutbox that reads by channel.
type crashingChannelDue struct {
	crashingOutbox
	by deliver.ChannelDue
}

func (o crashingChannelDue) DueExcept(ctx context.Context, now time.Time, limit int, skip []string) ([]deliver.Entry, int, error) {
	return o.by.DueExcept(ctx, now, limit, skip)
}

// Whatever the failure schedule (refusals, refusals of the channel that
// rest it, lost answers, crashes between sending and recording, restarts
// of the tracker and the dispatcher), a
// receiver that dedupes by message ID gets each notification key once per
// recipient, under one ID, and a channel without deduplication under
// at_most_once never delivers a key twice. Once failures stop, everything
// arrives at the deduplicating receiver; at the other, what did not arrive
// is a dead letter.
func TestExactlyOnceProperty(t *testing.T) {
	ctx := context.Background()
	plan := goalkittest.CompilePlan(t, testPlan)
	const config = `
retry: {attempts: 1000, base: 1m, max: 10m}
channels:
  - {name: dedupe, type: webhook, url: "http://unused", secret_env: S}
  - {name: plain, type: telegram, token_env: S, guarantee: at_most_once}
recipients:
  - {user: anna, telegram: "1", channels: [dedupe, plain]}
  - {user: boris, telegram: "2", channels: [dedupe, plain]}
  - {user: olga, telegram: "3", channels: [dedupe, plain]}
`
	cfg := parseConfig(t, config)
	rapid.Check(t, func(rt *rapid.T) {
		crashed := false
		failing := true
		draw := func(label string) func() int {
			return func() int {
				if !failing {
					return sendOK
				}
				return rapid.IntRange(0, sendOutcomes-1).Draw(rt, label)
			}
		}
		took := func() bool { return rapid.Bool().Draw(rt, "took") }
		dd := &flaky{dedupe: true, arrivals: map[string]int{}, ids: map[string]map[string]int{}, draw: draw("dedupe"), crashed: &crashed, took: took}
		pl := &flaky{arrivals: map[string]int{}, ids: map[string]map[string]int{}, draw: draw("plain"), crashed: &crashed, took: took}
		chans := map[string]deliver.Channel{"dedupe": dd, "plain": pl}
		inner, err := deliver.OpenOutbox(ctx, t.TempDir()+"/outbox.db")
		if err != nil {
			rt.Fatal(err)
		}
		defer inner.Close()
		// The outbox reads by channel (deliver.ChannelDue) or, as a
		// host's may, only by Due.
		var ob deliver.Outbox = crashingOutbox{inner, &crashed}
		if rapid.Bool().Draw(rt, "by channel") {
			ob = crashingChannelDue{crashingOutbox{inner, &crashed}, inner}
		}
		store := memory.NewTrackStore()
		start := func() (*deliver.Dispatcher, func() error) {
			tr, err := plan.Track(ctx, store)
			if err != nil {
				rt.Fatal(err)
			}
			d, err := deliver.New(plan, tr, cfg, ob, chans, deliver.WithDirectory(directory(t)))
			if err != nil {
				rt.Fatal(err)
			}
			return d, tr.Close
		}
		// The events reach the store through a tracker of it, before
		// delivery starts.
		tr, err := plan.Track(ctx, store)
		if err != nil {
			rt.Fatal(err)
		}
		if err := tr.Apply(ctx, salesEvents()...); err != nil {
			rt.Fatal(err)
		}
		tr.Close()
		d, stop := start()
		now := march(1, 9)
		check := func() {
			for k, n := range pl.arrivals {
				if n > 1 {
					rt.Fatalf("plain channel: %s arrived %d times", k, n)
				}
			}
			for k, ids := range dd.ids {
				if len(ids) > 1 {
					rt.Fatalf("dedupe channel: %s arrived under %d IDs: %v", k, len(ids), ids)
				}
			}
		}
		steps := rapid.IntRange(1, 40).Draw(rt, "steps")
		for range steps {
			now = now.Add(time.Duration(rapid.IntRange(0, 48*60).Draw(rt, "minutes")) * time.Minute)
			if rapid.IntRange(0, 4).Draw(rt, "restart") == 0 {
				stop()
				d, stop = start()
			}
			if _, err := d.Tick(ctx, now); err != nil {
				rt.Fatal(err)
			}
			if _, err := d.Deliver(ctx, now); errors.Is(err, errCrash) {
				crashed = false
				stop()
				d, stop = start()
			} else if err != nil {
				rt.Fatal(err)
			}
			check()
		}
		// Failures stop; time goes on until nothing is due.
		failing = false
		for range 30 {
			now = now.Add(10 * time.Minute)
			if _, err := d.Tick(ctx, now); err != nil {
				rt.Fatal(err)
			}
			if _, err := d.Deliver(ctx, now); err != nil {
				rt.Fatal(err)
			}
		}
		check()
		stop()
		// What should have arrived, computed apart: a tracker of the same
		// events ticked once to the end emits the same keys; each goes to
		// its participant and to olga, their head.
		want := map[string]bool{}
		ref, err := plan.Track(ctx, memory.NewTrackStore())
		if err != nil {
			rt.Fatal(err)
		}
		defer ref.Close()
		ref.Apply(ctx, salesEvents()...)
		ns, err := ref.Tick(ctx, now)
		if err != nil {
			rt.Fatal(err)
		}
		for _, n := range ns {
			want[n.Key+"|"+n.Participant] = true
			want[n.Key+"|olga"] = true
		}
		for k := range want {
			if len(dd.ids[k]) != 1 {
				rt.Fatalf("dedupe: %s arrived under %d IDs, want 1", k, len(dd.ids[k]))
			}
		}
		for k := range dd.ids {
			if !want[k] {
				rt.Fatalf("dedupe: %s arrived and should not have", k)
			}
		}
		dead, _ := inner.Entries(ctx, deliver.Dead)
		lost := map[string]bool{}
		for _, e := range dead {
			if e.Message.Channel != "plain" {
				rt.Fatalf("%s: %s is dead: %s", e.Message.Channel, e.Message.Key, e.LastError)
			}
			lost[e.Message.Key+"|"+e.Message.To.User] = true
		}
		for k := range want {
			if pl.arrivals[k] != 1 && !lost[k] {
				rt.Fatalf("plain: %s neither arrived nor is a dead letter", k)
			}
		}
		for _, st := range []deliver.State{deliver.Pending, deliver.Sending} {
			if left, _ := inner.Entries(ctx, st); len(left) != 0 {
				rt.Fatalf("%d messages still %s", len(left), st)
			}
		}
	})
}
