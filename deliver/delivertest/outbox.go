package delivertest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// TestOutbox runs the conformance suite against outboxes from open, which
// returns a new, empty one for each subtest.
func TestOutbox(t *testing.T, open func(t *testing.T) deliver.Outbox) {
	ctx := context.Background()
	t0 := time.Date(2025, 3, 20, 12, 0, 0, 0, time.UTC)
	msg := func(key, user string, created time.Time) deliver.Message {
		return deliver.Message{ID: deliver.MessageID(key, user, "c"), Key: key, Kind: "achieved", Channel: "c",
			To: deliver.Recipient{User: user, Email: user + "@example.com"}, Created: created, Subject: "s " + key, Text: "t " + key}
	}
	ids := func(es []deliver.Entry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.Message.Key)
		}
		return out
	}

	t.Run("round trip", func(t *testing.T) {
		o := open(t)
		n := goal.Notification{Key: "achieved/g/anna/2025-03/", Kind: goal.NotifyAchieved, Goal: "g", Participant: "anna",
			Period: "2025-03", PeriodStart: date.New(2025, 3, 1), PeriodEnd: date.New(2025, 4, 1), At: t0, Status: goal.Achieved,
			Actual: dec("1700000.50"), Target: dec("1500000"), DaysLeft: 12, Message: "m"}
		m := msg(n.Key, "anna", t0)
		m.Notification, m.HTML = &n, "<p>h</p>"
		m.To = deliver.Recipient{User: "anna", Name: "Анна", Email: "a@example.com", Telegram: "1", Bitrix24: "17", Language: "ru",
			TimeZone: "Europe/Moscow", Channels: []string{"c"}, Kinds: []string{"achieved"}, Daily: &deliver.Schedule{Hour: 9}}
		dg := msg("digest_daily/anna/2025-03-20", "anna", t0)
		dg.Digest = &deliver.Digest{Kind: "digest_daily", Date: "2025-03-20", Rows: []deliver.DigestRow{{Goal: "g", Name: "G",
			Participant: "anna", ParticipantKind: "user", Period: "2025-03", Currency: "RUB", Actual: dec("1"), Target: dec("2"),
			Achievement: dec("0.5"), Status: "at_risk"}}}
		// A message the templates could not render keeps the reason.
		dg.Unrendered = `templates: en: template: en.txt.tmpl:1:30: executing "text.digest_daily" at <.Nope>: can't evaluate field Nope`
		must(t, o.Add(ctx, routed(n.Key), []deliver.Message{m, dg}))
		es, err := o.Due(ctx, t0, 10)
		must(t, err)
		if len(es) != 2 {
			t.Fatalf("%d due, want 2", len(es))
		}
		for _, e := range es {
			want := m
			if e.Message.Digest != nil {
				want = dg
			}
			// Compared in JSON: numbers by value (1700000.50 is
			// 1700000.5), instants by instant.
			got, _ := json.Marshal(e.Message)
			exp, _ := json.Marshal(want)
			if string(got) != string(exp) {
				t.Errorf("message read back:\n%s\nwant:\n%s", got, exp)
			}
			if e.State != deliver.Pending || e.Attempts != 0 || !e.Next.Equal(t0) {
				t.Errorf("%s: state %s, %d attempts, next %v", e.Message.Key, e.State, e.Attempts, e.Next)
			}
		}
	})

	t.Run("once by ID", func(t *testing.T) {
		o := open(t)
		a := msg("k1", "anna", t0)
		must(t, o.Add(ctx, routed("k1"), []deliver.Message{a}))
		b := a
		b.Text = "another text"
		must(t, o.Add(ctx, routed("k1", "k2"), []deliver.Message{b, msg("k2", "anna", t0)}))
		es, err := o.Due(ctx, t0, 10)
		must(t, err)
		if got := ids(es); !slices.Equal(got, []string{"k1", "k2"}) && !slices.Equal(got, []string{"k2", "k1"}) {
			t.Fatalf("due %v", got)
		}
		for _, e := range es {
			if e.Message.Key == "k1" && e.Message.Text != a.Text {
				t.Errorf("a second Add replaced the stored message: %q", e.Message.Text)
			}
		}
		r, err := o.Routed(ctx, []string{"k1", "k2", "k3"})
		must(t, err)
		if !r["k1"] || !r["k2"] || r["k3"] || len(r) != 2 {
			t.Errorf("routed %v", r)
		}
		r, err = o.Routed(ctx, nil)
		must(t, err)
		if len(r) != 0 {
			t.Errorf("routed of no keys: %v", r)
		}
		// Routed keys without messages (a recipient who gets nothing).
		must(t, o.Add(ctx, routed("k9"), nil))
		if r, _ := o.Routed(ctx, []string{"k9"}); !r["k9"] {
			t.Error("a key routed without messages is not routed")
		}
		// An outbox that lists its routed keys lists each once, with the
		// instant it was routed with, a message of it or not.
		told := t0.Add(-90 * time.Minute).In(time.FixedZone("", 3*3600))
		must(t, o.Add(ctx, []deliver.RoutedKey{{Key: "k3", At: told}}, nil))
		// The Unix epoch is an instant like any other, not "none".
		epoch := time.Unix(0, 0)
		must(t, o.Add(ctx, []deliver.RoutedKey{{Key: "k4", At: epoch}}, nil))
		if l, ok := o.(deliver.RoutedLister); ok {
			var keys []string
			ats := map[string]time.Time{}
			must(t, l.RoutedKeys(ctx, func(k string, at time.Time) error { keys = append(keys, k); ats[k] = at; return nil }))
			slices.Sort(keys)
			if !slices.Equal(keys, []string{"k1", "k2", "k3", "k4", "k9"}) {
				t.Errorf("routed keys listed: %v, want k1, k2, k3, k4, k9", keys)
			}
			if !ats["k3"].Equal(told) || ats["k4"].IsZero() || !ats["k4"].Equal(epoch) || !ats["k1"].IsZero() || !ats["k9"].IsZero() {
				t.Errorf("routed keys told at %v; want k3 at %v, k4 at the Unix epoch, the others at no instant", ats, told)
			}
		}
	})

	t.Run("due order and limit", func(t *testing.T) {
		o := open(t)
		var ms []deliver.Message
		for i := 5; i >= 1; i-- {
			ms = append(ms, msg(fmt.Sprintf("k%d", i), "anna", t0.Add(time.Duration(i)*time.Minute)))
		}
		must(t, o.Add(ctx, nil, ms))
		es, err := o.Due(ctx, t0.Add(3*time.Minute), 10)
		must(t, err)
		if got := ids(es); !slices.Equal(got, []string{"k1", "k2", "k3"}) {
			t.Errorf("due at +3m: %v", got)
		}
		es, err = o.Due(ctx, t0.Add(time.Hour), 2)
		must(t, err)
		if got := ids(es); !slices.Equal(got, []string{"k1", "k2"}) {
			t.Errorf("due with limit 2: %v", got)
		}
	})

	// An outbox that reads by channel leaves out the due messages of the
	// channels skipped, and counts them.
	t.Run("due except channels", func(t *testing.T) {
		o := open(t)
		cd, ok := o.(deliver.ChannelDue)
		if !ok {
			t.Skip("the outbox reads no channel apart (deliver.ChannelDue)")
		}
		var ms []deliver.Message
		for i, ch := range []string{"a", "b", "a", "c", "b", "a"} {
			key := fmt.Sprintf("k%d", i+1)
			m := msg(key, "anna", t0.Add(time.Duration(i)*time.Minute))
			m.Channel, m.ID = ch, deliver.MessageID(key, "anna", ch)
			ms = append(ms, m)
		}
		// Not due yet: neither read nor counted.
		late := msg("late", "anna", t0.Add(time.Hour))
		late.Channel, late.ID = "a", deliver.MessageID("late", "anna", "a")
		must(t, o.Add(ctx, nil, append(ms, late)))
		now := t0.Add(10 * time.Minute)
		for _, c := range []struct {
			skip    []string
			limit   int
			want    []string
			skipped int
		}{
			{nil, 10, []string{"k1", "k2", "k3", "k4", "k5", "k6"}, 0},
			{[]string{"a"}, 10, []string{"k2", "k4", "k5"}, 3},
			{[]string{"a"}, 2, []string{"k2", "k4"}, 3},
			{[]string{"c", "a"}, 10, []string{"k2", "k5"}, 4},
			{[]string{"a", "b", "c"}, 10, nil, 6},
			{[]string{"none"}, 10, []string{"k1", "k2", "k3", "k4", "k5", "k6"}, 0},
		} {
			es, n, err := cd.DueExcept(ctx, now, c.limit, c.skip)
			must(t, err)
			if got := ids(es); !slices.Equal(got, c.want) || n != c.skipped {
				t.Errorf("due except %v, limit %d: %v and %d skipped, want %v and %d", c.skip, c.limit, got, n, c.want, c.skipped)
			}
		}
	})

	t.Run("states", func(t *testing.T) {
		o := open(t)
		a, b, c := msg("a", "u", t0), msg("b", "u", t0), msg("c", "u", t0)
		must(t, o.Add(ctx, nil, []deliver.Message{a, b, c}))
		if err := o.Sent(ctx, a.ID, t0); err == nil {
			t.Error("Sent of a message whose attempt did not begin succeeded")
		}
		if err := o.Fail(ctx, a.ID, t0, false, "x"); err == nil {
			t.Error("Fail of a message whose attempt did not begin succeeded")
		}
		if err := o.Begin(ctx, "msg_unknown", t0); err == nil {
			t.Error("Begin of an unknown message succeeded")
		}
		// a: sent.
		must(t, o.Begin(ctx, a.ID, t0.Add(time.Minute)))
		must(t, o.Sent(ctx, a.ID, t0.Add(time.Second)))
		// b: fails, due again later; then its attempt never reports.
		must(t, o.Begin(ctx, b.ID, t0.Add(time.Minute)))
		must(t, o.Fail(ctx, b.ID, t0.Add(10*time.Minute), false, "503"))
		must(t, o.Begin(ctx, b.ID, t0.Add(20*time.Minute)))
		// c: dead.
		must(t, o.Begin(ctx, c.ID, t0.Add(time.Minute)))
		must(t, o.Fail(ctx, c.ID, t0, true, "410 gone"))

		if es, _ := o.Due(ctx, t0.Add(19*time.Minute), 10); len(es) != 0 {
			t.Errorf("due before b's retry time: %v", ids(es))
		}
		es, err := o.Due(ctx, t0.Add(20*time.Minute), 10)
		must(t, err)
		if len(es) != 1 || es[0].Message.ID != b.ID || es[0].State != deliver.Sending || es[0].Attempts != 2 || es[0].LastError != "503" {
			t.Fatalf("due after b's attempt never reported: %+v", es)
		}
		sent, err := o.Entries(ctx, deliver.Sent)
		must(t, err)
		if len(sent) != 1 || sent[0].Message.ID != a.ID || !sent[0].SentAt.Equal(t0.Add(time.Second)) || sent[0].Attempts != 1 {
			t.Errorf("sent: %+v", sent)
		}
		dead, err := o.Entries(ctx, deliver.Dead)
		must(t, err)
		if len(dead) != 1 || dead[0].Message.ID != c.ID || dead[0].LastError != "410 gone" {
			t.Errorf("dead: %+v", dead)
		}
		if err := o.Begin(ctx, a.ID, t0); err == nil {
			t.Error("Begin of a sent message succeeded")
		}
		if err := o.Begin(ctx, c.ID, t0); err == nil {
			t.Error("Begin of a dead message succeeded")
		}
		if err := o.Requeue(ctx, a.ID, t0); err == nil {
			t.Error("Requeue of a sent message succeeded")
		}
		must(t, o.Requeue(ctx, c.ID, t0.Add(time.Hour)))
		es, err = o.Due(ctx, t0.Add(time.Hour), 10)
		must(t, err)
		if got := ids(es); !slices.Equal(got, []string{"b", "c"}) {
			t.Errorf("due after the requeue: %v", got)
		}
		for _, e := range es {
			if e.Message.ID == c.ID && (e.State != deliver.Pending || e.Attempts != 0) {
				t.Errorf("requeued: %+v", e)
			}
		}
	})

	// A message sent at the Unix epoch, or before it (a host's clock in a
	// test), keeps that instant: it is no zero time, which says "not
	// sent".
	t.Run("sent at the epoch", func(t *testing.T) {
		o := open(t)
		for key, at := range map[string]time.Time{"epoch": time.Unix(0, 0), "before": time.Unix(-1, 0)} {
			m := msg(key, "anna", at)
			must(t, o.Add(ctx, nil, []deliver.Message{m}))
			must(t, o.Begin(ctx, m.ID, at.Add(time.Minute)))
			must(t, o.Sent(ctx, m.ID, at))
		}
		sent, err := o.Entries(ctx, deliver.Sent)
		must(t, err)
		if len(sent) != 2 {
			t.Fatalf("%d sent, want 2", len(sent))
		}
		for _, e := range sent {
			if want := e.Message.Created; e.SentAt.IsZero() || !e.SentAt.Equal(want) {
				t.Errorf("%s: sent at %v, want %v", e.Message.Key, e.SentAt, want.UTC())
			}
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func dec(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }

// routed is the keys routed without instants (digests' keys, say).
func routed(keys ...string) []deliver.RoutedKey {
	out := make([]deliver.RoutedKey, len(keys))
	for i, k := range keys {
		out[i] = deliver.RoutedKey{Key: k}
	}
	return out
}
