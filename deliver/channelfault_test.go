package deliver_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
)

// With a wrong SMTP password, a delivery logs in once: the refused login
// is the channel's, so the channel rests for the rest of the call, its
// other messages due as they were (no attempt counted, no error), while
// the webhook's messages of the same call are delivered. The next call
// logs in once again; once the password is right, everything is sent and
// nothing is dead. Every message used to log in, one refused login per
// message per call, which a provider counts against the account.
func TestRefusedLoginRestsTheChannel(t *testing.T) {
	ctx := context.Background()
	s := newSink(t)
	s.set(func(s *sink) { s.user, s.pass = "robot", "right-pass" })
	rcv := newReceiver(t)
	plan := goalkittest.CompilePlan(t, testPlan)
	cfg := parseConfig(t, `
retry: {attempts: 5, base: 1m, max: 1h}
channels:
  - {name: mail, type: email, smtp: "`+s.addr+`", from: goals@example.com, security: none}
  - {name: hook, type: webhook, url: "`+rcv.srv.URL+`", secret_env: HOOK_SECRET}
recipients:
  - {user: anna, email: anna@example.com, channels: [mail]}
  - {user: boris, email: boris@example.com, channels: [mail]}
  - {user: olga, email: olga@example.com, channels: [mail, hook]}
`)
	chans := openChannels(t, cfg, deliver.ChannelOptions{Env: env(map[string]string{"HOOK_SECRET": testSecret})})
	mail, err := deliver.NewEmail(deliver.EmailOptions{Addr: s.addr, From: "goals@example.com", Username: "robot", Password: "wrong-pass", Security: "none"})
	if err != nil {
		t.Fatal(err)
	}
	chans["mail"] = mail
	ob := openOutbox(t, t.TempDir())
	d, err := deliver.New(plan, track(t, plan, salesEvents()...), cfg, ob, chans,
		deliver.WithDirectory(directory(t)), deliver.WithRand(func() float64 { return 0.5 }))
	if err != nil {
		t.Fatal(err)
	}
	now := march(29, 18)
	if res, err := d.Tick(ctx, now); err != nil || res.Messages != 12 {
		t.Fatalf("tick: %+v %v", res, err)
	}
	// salesKeys: 8 emails (anna 2, boris 2, olga 4) and olga's 4 webhooks.
	logins := func() int {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.logins
	}
	for round := 1; round <= 3; round++ {
		res, err := d.Deliver(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		want := deliver.DeliverResult{Failed: 1, Rested: 7}
		if round == 1 {
			want.Sent = 4 // olga's webhooks
		}
		if res != want {
			t.Errorf("round %d: %+v, want %+v", round, res, want)
		}
		if n := logins(); n != round {
			t.Errorf("round %d: %d logins in all, want %d (one a round)", round, n, round)
		}
		pending, err := ob.Entries(ctx, deliver.Pending)
		if err != nil {
			t.Fatal(err)
		}
		tried := 0
		for _, e := range pending {
			switch {
			case e.Attempts == 0 && e.LastError == "":
			case e.Attempts == 1 && strings.Contains(e.LastError, "login refused") && strings.Contains(e.LastError, "535"):
				tried++
			default:
				t.Errorf("round %d: %s to %s: %d attempts, %q", round, e.Message.Key, e.Message.To.User, e.Attempts, e.LastError)
			}
		}
		if len(pending) != 8 || tried != round {
			t.Errorf("round %d: %d pending, %d tried once, want 8 and %d", round, len(pending), tried, round)
		}
		now = now.Add(time.Minute)
	}
	if got := rcv.keys(); len(got) != 4 {
		t.Errorf("%d webhooks arrived, want olga's 4: %v", len(got), got)
	}
	// The password fixed at the server's end, the next delivery sends
	// every email, each once, with one login each.
	s.set(func(s *sink) { s.pass = "wrong-pass" })
	now = now.Add(time.Hour)
	if res, err := d.Deliver(ctx, now); err != nil || res != (deliver.DeliverResult{Sent: 8}) {
		t.Fatalf("password fixed: %+v %v", res, err)
	}
	if n := len(s.messages()); n != 8 {
		t.Errorf("%d emails arrived, want 8", n)
	}
	if dead, _ := ob.Entries(ctx, deliver.Dead); len(dead) != 0 {
		t.Errorf("%d dead letters", len(dead))
	}
}

// However many messages of a failed channel come first in the outbox's
// order (more than a read of the due messages takes), the call rests that
// channel and still reaches the other channels' messages behind them;
// it ends, and the failed channel is tried once. An outbox that reads by
// channel (deliver.ChannelDue, the SQLite one) is not read for the rested
// channel's messages again: they are read once, in the first read, not
// decoded again on every read; a host's outbox without it is read by Due.
func TestChannelFaultReachesOtherChannels(t *testing.T) {
	ctx := context.Background()
	plan := goalkittest.CompilePlan(t, testPlan)
	cfg := parseConfig(t, `
channels:
  - {name: down, type: webhook, url: "http://unused", secret_env: S}
  - {name: up, type: webhook, url: "http://unused", secret_env: S}
recipients: [{user: anna, channels: [down, up]}]
`)
	for _, byChannel := range []bool{true, false} {
		var downCalls, upCalls int
		chans := map[string]deliver.Channel{
			"down": deliver.ChannelFunc(func(context.Context, deliver.Message) error {
				downCalls++
				return deliver.ChannelFault(fmt.Errorf("down: the receiver answered 401"))
			}),
			"up": deliver.ChannelFunc(func(context.Context, deliver.Message) error {
				upCalls++
				return nil
			}),
		}
		ob := countingOutbox{openOutbox(t, t.TempDir()), map[string]int{}}
		var host deliver.Outbox = ob
		if !byChannel {
			host = plainOutbox{ob}
		}
		d, err := deliver.New(plan, track(t, plan), cfg, host, chans)
		if err != nil {
			t.Fatal(err)
		}
		t0 := march(29, 18)
		const downs, ups = 250, 7
		var msgs []deliver.Message
		for i := range downs + ups {
			ch, at := "down", t0
			if i >= downs {
				ch, at = "up", t0.Add(time.Second)
			}
			key := fmt.Sprintf("achieved/sales/u%d/", i)
			msgs = append(msgs, deliver.Message{ID: deliver.MessageID(key, "anna", ch), Key: key, Kind: "achieved", Channel: ch,
				To: deliver.Recipient{User: "anna"}, Created: at, Subject: "s", Text: "t"})
		}
		if err := ob.Add(ctx, nil, msgs); err != nil {
			t.Fatal(err)
		}
		res, err := d.Deliver(ctx, t0.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if want := (deliver.DeliverResult{Sent: ups, Failed: 1, Rested: downs - 1}); res != want || downCalls != 1 || upCalls != ups {
			t.Errorf("by channel %v: %+v, %d calls down and %d up; want %+v, 1 and %d", byChannel, res, downCalls, upCalls, want, ups)
		}
		// The first read takes a batch (100) of the down channel's
		// messages, the earliest; none after it.
		if byChannel && ob.read["down"] != 100 {
			t.Errorf("the rested channel's messages were read %d times, want 100 (the first read's)", ob.read["down"])
		}
	}
}

// countingOutbox counts the entries its reads of due messages give, by
// channel.
type countingOutbox struct {
	*deliver.SQLiteOutbox
	read map[string]int
}

func (o countingOutbox) count(es []deliver.Entry) {
	for _, e := range es {
		o.read[e.Message.Channel]++
	}
}

func (o countingOutbox) Due(ctx context.Context, now time.Time, limit int) ([]deliver.Entry, error) {
	es, err := o.SQLiteOutbox.Due(ctx, now, limit)
	o.count(es)
	return es, err
}

func (o countingOutbox) DueExcept(ctx context.Context, now time.Time, limit int, skip []string) ([]deliver.Entry, int, error) {
	es, n, err := o.SQLiteOutbox.DueExcept(ctx, now, limit, skip)
	o.count(es)
	return es, n, err
}

// plainOutbox is a host's outbox that reads no channel apart: it has the
// methods of deliver.Outbox only.
type plainOutbox struct{ deliver.Outbox }
