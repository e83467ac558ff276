package deliver_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
)

// TestNewRefusesWhatParseConfigRefuses checks that a configuration built
// in Go is refused by New, naming the recipient or channel, where the same
// setting in a file is refused by ParseConfig. New took them all: a kind
// misspelled sent the recipient nothing of it and said nothing, a
// schedule of 25:00 dated its digests the day before, an unknown
// language sent every message to the dead letters, and an unknown
// guarantee was at_least_once.
func TestNewRefusesWhatParseConfigRefuses(t *testing.T) {
	plan := goalkittest.CompilePlan(t, testPlan)
	tr := track(t, plan, salesEvents()...)
	box := deliver.ChannelFunc(func(context.Context, deliver.Message) error { return nil })
	good := func() *deliver.Config {
		return &deliver.Config{
			Channels: []deliver.ChannelConfig{{Name: "box", Type: deliver.TypeWebhook, URL: "http://unused", SecretEnv: "S"}},
			Recipients: []deliver.Recipient{{User: "anna", Language: "ru", Kinds: []string{"achieved", deliver.KindDailyDigest},
				Daily: &deliver.Schedule{Hour: 23, Minute: 59}, Weekly: &deliver.Schedule{Weekday: time.Saturday}, Channels: []string{"box"}}},
		}
	}
	for _, c := range []struct {
		name   string
		change func(*deliver.Config)
		want   string // the start of New's error; "": none
	}{
		{"good", func(*deliver.Config) {}, ""},
		{"no language", func(c *deliver.Config) { c.Recipients[0].Language = "" }, ""},
		{"no user", func(c *deliver.Config) { c.Recipients[0].User = "" }, "recipients[0] (): a recipient needs a user"},
		{"user twice", func(c *deliver.Config) {
			c.Recipients = append(c.Recipients, deliver.Recipient{User: "anna", Language: "en", Channels: []string{"box"}})
		}, `recipients[1] (anna): recipient "anna" is listed twice`},
		{"language", func(c *deliver.Config) { c.Recipients[0].Language = "de" }, `recipients[0] (anna): no templates of language "de" (have: en, ru)`},
		{"kind", func(c *deliver.Config) { c.Recipients[0].Kinds[0] = "acheived" }, `recipients[0] (anna): unknown kind "acheived" (known: `},
		{"hour", func(c *deliver.Config) { c.Recipients[0].Daily.Hour = 24 }, "recipients[0] (anna): daily: hour 24, minute 59 is not a time of day"},
		{"minute", func(c *deliver.Config) { c.Recipients[0].Weekly.Minute = -1 }, "recipients[0] (anna): weekly: hour 0, minute -1 is not a time of day"},
		{"weekday", func(c *deliver.Config) { c.Recipients[0].Weekly.Weekday = 7 }, "recipients[0] (anna): weekly: 7 is not a weekday"},
		{"daily weekday", func(c *deliver.Config) { c.Recipients[0].Daily.Weekday = 9 }, ""},
		{"channel", func(c *deliver.Config) { c.Recipients[0].Channels = []string{"bx"} }, `recipients[0] (anna): no channel is named "bx"`},
		// An empty list was read as none given: every kind, the channels
		// of the addresses. A file may not write one.
		{"kinds empty", func(c *deliver.Config) { c.Recipients[0].Kinds = []string{} }, "recipients[0] (anna): kinds is an empty list, which names no kind"},
		{"kinds nil", func(c *deliver.Config) { c.Recipients[0].Kinds = nil }, ""},
		{"channels empty", func(c *deliver.Config) { c.Recipients[0].Channels = []string{} }, "recipients[0] (anna): channels is an empty list, which names no channel"},
		// Its two messages had one id: the outbox kept one, and the tick
		// counted two.
		{"channel listed twice", func(c *deliver.Config) { c.Recipients[0].Channels = []string{"box", "box"} }, `recipients[0] (anna): channel "box" is listed twice`},
		// A channel given to New alone delivers, as it did.
		{"channel given alone", func(c *deliver.Config) { c.Channels = nil }, ""},
		{"guarantee", func(c *deliver.Config) { c.Channels[0].Guarantee = "at-most-once" }, `channels[0] (box): guarantee must be at_least_once or at_most_once, got "at-most-once"`},
		{"channel twice", func(c *deliver.Config) {
			c.Channels = append(c.Channels, deliver.ChannelConfig{Name: "box", Type: deliver.TypeSlack, URLEnv: "U", Guarantee: deliver.AtMostOnce})
		}, `channels[1] (box): channel "box" is defined twice`},
		// A channel of a type that needs an address the recipient lacks:
		// every message on it was a dead letter.
		{"no email", func(c *deliver.Config) { c.Channels[0].Type = deliver.TypeEmail }, "recipients[0] (anna): box is a email channel and the recipient has no email address"},
		{"no chat", func(c *deliver.Config) { c.Channels[0].Type = deliver.TypeTelegram }, "recipients[0] (anna): box is a telegram channel and the recipient has no telegram address"},
		{"no portal user", func(c *deliver.Config) { c.Channels[0].Type = deliver.TypeBitrix24 }, "recipients[0] (anna): box is a bitrix24 channel and the recipient has no bitrix24 address"},
		{"email", func(c *deliver.Config) {
			c.Channels[0].Type = deliver.TypeEmail
			c.Recipients[0].Email = "anna.example.com"
		}, `recipients[0] (anna): email must be an email address, got "anna.example.com"`},
		// Two addresses, or a name without its angle brackets: the email
		// channel refused every message to the recipient, each a dead
		// letter.
		{"two emails", func(c *deliver.Config) {
			c.Channels[0].Type = deliver.TypeEmail
			c.Recipients[0].Email = "anna@example.com, bob@example.com"
		}, `recipients[0] (anna): email must be an email address, got "anna@example.com, bob@example.com" (expected single address, got ", bob@example.com")`},
		{"email with a name", func(c *deliver.Config) {
			c.Channels[0].Type = deliver.TypeEmail
			c.Recipients[0].Email = "Анна <anna@пример.рф>"
		}, ""},
		// A portal user id that is none: every message on a bitrix24
		// channel was a dead letter.
		{"portal user", func(c *deliver.Config) {
			c.Channels[0].Type = deliver.TypeBitrix24
			c.Recipients[0].Bitrix24 = "anna"
		}, `recipients[0] (anna): bitrix24 must be a portal user id (a positive integer such as 17), got "anna"`},
		// A chat id that is none: Telegram refused every message.
		{"chat", func(c *deliver.Config) {
			c.Channels[0].Type = deliver.TypeTelegram
			c.Recipients[0].Telegram = "anna"
		}, `recipients[0] (anna): telegram must be a chat id (an integer such as 123456789 or -1001234567890, or "@channelname"), got "anna"`},
		{"chat given", func(c *deliver.Config) {
			c.Channels[0].Type = deliver.TypeTelegram
			c.Recipients[0].Telegram = "@sales_room"
		}, ""},
		{"portal user given", func(c *deliver.Config) {
			c.Channels[0].Type = deliver.TypeBitrix24
			c.Recipients[0].Bitrix24 = "17"
		}, ""},
		{"email given", func(c *deliver.Config) {
			c.Channels[0].Type = deliver.TypeEmail
			c.Recipients[0].Email = "anna@example.com"
		}, ""},
		// A retry setting a file may not give: a max below the base made
		// every wait the max, a negative or a huge count was taken.
		{"retry given", func(c *deliver.Config) { c.Retry = deliver.Retry{Attempts: 1000, Base: time.Minute, Max: time.Minute} }, ""},
		{"retry base alone", func(c *deliver.Config) { c.Retry.Base = 2 * time.Hour }, ""},
		{"retry max below base", func(c *deliver.Config) { c.Retry = deliver.Retry{Base: time.Hour, Max: time.Minute} }, "retry: max (1m0s) is less than base (1h0m0s)"},
		{"retry attempts", func(c *deliver.Config) { c.Retry.Attempts = 1001 }, "retry: attempts must be from 1 to 1000 (0: 10), got 1001"},
		{"retry attempts negative", func(c *deliver.Config) { c.Retry.Attempts = -1 }, "retry: attempts must be from 1 to 1000 (0: 10), got -1"},
		{"retry base negative", func(c *deliver.Config) { c.Retry.Base = -time.Second }, "retry: base must be a positive duration (0: the default), got -1s"},
	} {
		cfg := good()
		c.change(cfg)
		_, err := deliver.New(plan, tr, cfg, openOutbox(t, t.TempDir()), map[string]deliver.Channel{"box": box})
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.HasPrefix(err.Error(), c.want)):
			t.Errorf("%s: got %v, want %s…", c.name, err, c.want)
		}
	}
}

// New reads a configuration built in Go once: a host that changes the
// recipients' kinds, channels or schedules, or a channel's type, in its
// configuration afterwards changes nothing the dispatcher does. The
// dispatcher shared them, and took the changes unchecked.
func TestNewKeepsItsOwnConfiguration(t *testing.T) {
	plan := goalkittest.CompilePlan(t, testPlan)
	var got []string
	box := deliver.ChannelFunc(func(_ context.Context, m deliver.Message) error { got = append(got, m.Channel+" "+m.Key); return nil })
	cfg := &deliver.Config{
		Channels: []deliver.ChannelConfig{{Name: "box", Type: deliver.TypeWebhook}},
		Recipients: []deliver.Recipient{{User: "boris", Kinds: []string{"deadline_approaching", deliver.KindDailyDigest},
			Daily: &deliver.Schedule{Hour: 9}, Channels: []string{"box"}}},
	}
	d, err := deliver.New(plan, track(t, plan, salesEvents()...), cfg, openOutbox(t, t.TempDir()),
		map[string]deliver.Channel{"box": box, "other": box})
	if err != nil {
		t.Fatal(err)
	}
	r := &cfg.Recipients[0]
	r.Kinds[0], r.Daily.Hour, r.Channels[0], cfg.Channels[0].Type = "milestone_reached", 16, "other", deliver.TypeEmail
	tickDeliver(t, d, march(29, 18)) // 15:00 UTC: boris's digest of 09:00 UTC is due, one of 16:00 not
	slices.Sort(got)
	sameLines(t, "sent", got, []string{"box deadline_approaching/sales/boris/2025-03/3", "box digest_daily/boris/2025-03-29"})
}
