package deliver_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
)

const fullConfig = `# every channel and the recipients
outbox: /var/lib/goalkit/outbox.db
retry: {attempts: 8, base: 10s, max: 30m}
channels:
  - name: hook
    type: webhook
    url: https://crm.example.com/goalkit
    secret_env: GOALKIT_WEBHOOK_SECRET
  - name: mail
    type: email
    smtp: smtp.example.com:587
    from: goals@example.com
    username: robot
    password_env: SMTP_PASSWORD
  - {name: tg, type: telegram, token_env: TELEGRAM_TOKEN}
  - {name: sales-room, type: slack, url_env: SLACK_SALES_URL, guarantee: at_most_once}
  - {name: portal, type: bitrix24}
recipients:
  - user: anna
    name: Анна Петрова
    email: anna@example.com
    telegram: "123456789"
    bitrix24: "17"
    language: ru
    timezone: Europe/Moscow
    daily: "09:00"
    weekly: monday 09:30
  - {user: head, admin: true, channels: [sales-room, hook], kinds: [at_risk, digest_daily], daily: "18:00"}
`

func TestParseConfig(t *testing.T) {
	cfg, err := deliver.ParseConfig("deliver.yaml", []byte(fullConfig))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Outbox != "/var/lib/goalkit/outbox.db" || cfg.Retry != (deliver.Retry{Attempts: 8, Base: 10 * time.Second, Max: 30 * time.Minute}) {
		t.Errorf("outbox %q, retry %+v", cfg.Outbox, cfg.Retry)
	}
	var got []string
	for _, c := range cfg.Channels {
		got = append(got, strings.Join([]string{c.Name, c.Type, c.URL, c.URLEnv, c.SecretEnv, c.SMTP, c.Security, string(c.Guarantee)}, "|"))
	}
	want := []string{
		"hook|webhook|https://crm.example.com/goalkit||GOALKIT_WEBHOOK_SECRET|||at_least_once",
		"mail|email|||SMTP_PASSWORD|smtp.example.com:587|starttls|at_least_once",
		"tg|telegram|https://api.telegram.org||TELEGRAM_TOKEN|||at_least_once",
		"sales-room|slack||SLACK_SALES_URL||||at_most_once",
		"portal|bitrix24||||||at_least_once",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("channels:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	a, h := cfg.Recipients[0], cfg.Recipients[1]
	if a.User != "anna" || a.Language != "ru" || a.Location().String() != "Europe/Moscow" || *a.Daily != (deliver.Schedule{Hour: 9}) ||
		*a.Weekly != (deliver.Schedule{Weekday: time.Monday, Hour: 9, Minute: 30}) || a.Line != 19 {
		t.Errorf("anna: %+v", a)
	}
	if !h.Admin || h.Language != "en" || h.Location() != time.UTC || len(h.Kinds) != 2 || h.Weekly != nil {
		t.Errorf("head: %+v", h)
	}
}

// Every problem is reported, sorted by line, as FILE:LINE: path: message.
func TestParseConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"empty", ``, "c.yaml:1: the file is empty: it needs channels and recipients"},
		{"syntax", "channels:\n  - {name: a\n", `c.yaml:2: the mapping opened with "{" here is not closed: a "," or "}" is missing`},
		{"tab", "channels:\n\t- name: a\n", "c.yaml:2: a tab in the indentation: YAML indents with spaces only"},
		{"not a mapping", "- a\n", "c.yaml:1: must be a mapping"},
		{"nothing", "outbox: x.db\n", "c.yaml:1: channels: at least one channel is needed (a list)\nc.yaml:1: recipients: at least one recipient is needed (a list)"},
		// An empty outbox path was the configuration's folder once read:
		// SQLite could not open it, and said it was out of memory.
		{"empty outbox", "outbox: \"\"\nchannels: [{name: a, type: webhook, url: \"http://x\", secret_env: S}]\nrecipients: [{user: u, channels: [a]}]\n",
			`c.yaml:1: outbox: must be a file's path, got an empty text (leave outbox out for goalkit-outbox.db)`},
		{"unknown fields", `
channels:
  - {name: a, type: telgram, token_env: T, colour: red}
recipients:
  - {user: u, emial: u@example.com}
retri: {}
`, `c.yaml:3: channels[0].colour: unknown field (known: name, type, url, base_url, url_env, secret_env, token_env, password_env, smtp, from, username, security, guarantee)
c.yaml:3: channels[0].type: unknown channel type "telgram" (known: bitrix24, email, slack, telegram, webhook)
c.yaml:5: recipients[0].emial: unknown field (known: user, name, admin, email, telegram, bitrix24, language, timezone, channels, kinds, daily, weekly)
c.yaml:6: retri: unknown field (known: outbox, retry, channels, recipients)`},
		{"channel needs", `
channels:
  - {type: webhook, url: "ftp://x"}
  - {name: m, type: email, smtp: mailhost, from: nobody, username: u}
  - {name: s, type: slack, url: "https://hooks.slack.com/services/x"}
  - {name: m, type: telegram, token_env: T, smtp: "a:1", guarantee: sometimes}
recipients: [{user: u}]
`, `c.yaml:3: channels[0]: a channel needs a name
c.yaml:3: channels[0]: a webhook channel needs secret_env
c.yaml:3: channels[0].url: must be an http:// or https:// URL with a host
c.yaml:4: channels[1]: an email channel needs password_env
c.yaml:4: channels[1].from: must be an email address, got "nobody"
c.yaml:4: channels[1].smtp: must be host:port, got "mailhost"
c.yaml:5: channels[2]: a slack channel needs url_env
c.yaml:5: channels[2]: a slack channel takes no url (the incoming webhook's URL is a secret: name its variable in url_env)
c.yaml:6: channels[3]: smtp, from, username and security are for email channels
c.yaml:6: channels[3].guarantee: must be at_least_once or at_most_once, got "sometimes"
c.yaml:6: channels[3].name: channel "m" is defined twice`},
		{"recipients", `
retry: {attempts: 0, base: 1h, max: 1m}
channels: [{name: tg, type: telegram, token_env: T}]
recipients:
  - {user: a, email: not-an-address, language: de, timezone: Mars/Olympus, admin: yes}
  - {user: a, channels: [tg, sms], kinds: [acheived], daily: "9:00", weekly: "mon 09:00"}
  - {user: b, telegram: "1", channels: [tg]}
  - {name: nobody}
  - {user: c, bitrix24: ivan}
  - {user: d, bitrix24: "017"}
  - {user: e, telegram: "@anna"}
  - {user: f, telegram: anna}
  - {user: g, telegram: "0"}
  - {user: h, telegram: "+7999"}
  - {user: i, telegram: "@sales_room"}
  - {user: j, telegram: "-1001234567890"}
  - {user: k, telegram: "@1sales"}
  - {user: l, telegram: "1", channels: [tg, tg]}
`, `c.yaml:2: retry: max (1m0s) is less than base (1h0m0s)
c.yaml:2: retry.attempts: must be a whole number from 1 to 1000, got "0"
c.yaml:5: recipients[0].admin: must be true or false, got "yes"
c.yaml:5: recipients[0].email: must be an email address, got "not-an-address"
c.yaml:5: recipients[0].language: must be en or ru, got "de"
c.yaml:5: recipients[0].timezone: unknown time zone "Mars/Olympus" (an IANA name such as Europe/Moscow)
c.yaml:6: recipients[1].channels[0]: tg is a telegram channel and the recipient has no telegram address
c.yaml:6: recipients[1].channels[1]: no channel is named "sms"
c.yaml:6: recipients[1].daily: must be a local time such as "09:00", got "9:00"
c.yaml:6: recipients[1].kinds: unknown kind "acheived" (known: milestone_reached, achieved, at_risk, back_on_track, deadline_approaching, daily_digest, failed, period_closed, achievement_revoked, restated, digest_daily, digest_weekly)
c.yaml:6: recipients[1].user: recipient "a" is listed twice
c.yaml:6: recipients[1].weekly: must be a day and a local time such as "monday 09:00", got "mon 09:00"
c.yaml:8: recipients[3]: a recipient needs a user
c.yaml:9: recipients[4].bitrix24: must be a portal user id (a positive integer such as 17), got "ivan"
c.yaml:10: recipients[5].bitrix24: must be a portal user id (a positive integer such as 17), got "017"
c.yaml:11: recipients[6].telegram: must be a chat id (an integer such as 123456789 or -1001234567890, or "@channelname"), got "@anna"
c.yaml:12: recipients[7].telegram: must be a chat id (an integer such as 123456789 or -1001234567890, or "@channelname"), got "anna"
c.yaml:13: recipients[8].telegram: must be a chat id (an integer such as 123456789 or -1001234567890, or "@channelname"), got "0"
c.yaml:14: recipients[9].telegram: must be a chat id (an integer such as 123456789 or -1001234567890, or "@channelname"), got "+7999"
c.yaml:17: recipients[12].telegram: must be a chat id (an integer such as 123456789 or -1001234567890, or "@channelname"), got "@1sales"
c.yaml:18: recipients[13].channels[1]: channel "tg" is listed twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := deliver.ParseConfig("c.yaml", []byte(tc.src))
			var ce *deliver.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v, want a *ConfigError", err)
			}
			if err.Error() != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", err, tc.want)
			}
		})
	}
}

// Secrets are read from the environment when the channels are built; an
// unset variable is named, and no value ever appears in an error.
func TestOpenChannelsSecrets(t *testing.T) {
	cfg := parseConfig(t, fullConfig)
	_, err := cfg.OpenChannels(deliver.ChannelOptions{Env: env(map[string]string{
		"GOALKIT_WEBHOOK_SECRET": "whsec_not-base64!", "SMTP_PASSWORD": "hunter2-smtp", "TELEGRAM_TOKEN": "",
	})})
	want := `deliver.yaml:5: channel "hook": GOALKIT_WEBHOOK_SECRET: webhook secret must be "whsec_" and at least 16 bytes in base64
deliver.yaml:15: channel "tg": the variable TELEGRAM_TOKEN is not set
deliver.yaml:16: channel "sales-room": the variable SLACK_SALES_URL is not set
deliver.yaml:17: channel "portal": no Bitrix24 client was given`
	if err == nil || err.Error() != want {
		t.Fatalf("got:\n%v\nwant:\n%s", err, want)
	}
	if strings.Contains(err.Error(), "not-base64") || strings.Contains(err.Error(), "hunter2") {
		t.Error("an error shows a secret")
	}
	chans, err := cfg.OpenChannels(deliver.ChannelOptions{Bitrix24: &fakeNotifier{}, Env: env(map[string]string{
		"GOALKIT_WEBHOOK_SECRET": testSecret, "SMTP_PASSWORD": "p", "TELEGRAM_TOKEN": "1:x", "SLACK_SALES_URL": "https://hooks.slack.com/services/a",
	})})
	if err != nil || len(chans) != 5 {
		t.Fatalf("%d channels, %v", len(chans), err)
	}
	if _, ok := chans["hook"].(deliver.Deduplicating); !ok {
		t.Error("a webhook does not deduplicate")
	}
	if _, ok := chans["tg"].(deliver.Deduplicating); ok {
		t.Error("telegram claims to deduplicate")
	}
}

// A recipient's channels or kinds given as an empty list is refused,
// naming the line: an empty list was read as the field left out, the
// channels of the recipient's addresses or every kind, the opposite of
// the "none" written.
func TestRecipientEmptyListsRefused(t *testing.T) {
	for _, c := range []struct{ rec, want string }{
		{`{user: anna, email: anna@example.com, kinds: []}`, `c.yaml:3: recipients[0].kinds: an empty list names no kind, and would be read as every kind`},
		{`{user: anna, email: anna@example.com, channels: []}`, `c.yaml:3: recipients[0].channels: an empty list names no channel, and would be read as the channels of the recipient's addresses`},
	} {
		src := "channels: [{name: mail, type: email, smtp: \"smtp.example.com:587\", from: bot@example.com}]\nrecipients:\n  - " + c.rec + "\n"
		if _, err := deliver.ParseConfig("c.yaml", []byte(src)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %s…", c.rec, err, c.want)
		}
		// Left out, each is taken.
		src = "channels: [{name: mail, type: email, smtp: \"smtp.example.com:587\", from: bot@example.com}]\nrecipients:\n  - {user: anna, email: anna@example.com}\n"
		if _, err := deliver.ParseConfig("c.yaml", []byte(src)); err != nil {
			t.Errorf("left out: %v", err)
		}
	}
}

// A recipient that lists a digest among its kinds without the schedule
// that sends it is refused, in a file (at the line of kinds) and in a
// configuration built in Go: it received no digest, and nothing said so.
// A schedule given and refused is reported once, as itself.
func TestDigestKindWithoutScheduleRefused(t *testing.T) {
	const head = "channels: [{name: mail, type: email, smtp: \"smtp.example.com:587\", from: bot@example.com}]\nrecipients:\n"
	for _, c := range []struct{ rec, want string }{
		{"  - user: anna\n    email: anna@example.com\n    kinds: [achieved, digest_daily]\n",
			`c.yaml:5: recipients[0].kinds: digest_daily is listed, but the recipient has no daily schedule, and would receive none: give daily (such as "09:00")`},
		{"  - user: anna\n    email: anna@example.com\n    daily: \"09:00\"\n    kinds: [digest_weekly]\n",
			`c.yaml:6: recipients[0].kinds: digest_weekly is listed, but the recipient has no weekly schedule, and would receive none: give weekly (such as "monday 09:00")`},
		{"  - user: anna\n    email: anna@example.com\n    daily: \"25:00\"\n    kinds: [digest_daily]\n",
			`c.yaml:5: recipients[0].daily: must be a local time such as "09:00", got "25:00"`},
	} {
		_, err := deliver.ParseConfig("c.yaml", []byte(head+c.rec))
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: got\n%v\nwant\n%s", c.rec, err, c.want)
		}
	}
	if _, err := deliver.ParseConfig("c.yaml", []byte(head+"  - {user: anna, email: anna@example.com, weekly: \"monday 09:00\", kinds: [digest_weekly]}\n")); err != nil {
		t.Errorf("a weekly digest with its schedule: %v", err)
	}

	plan := goalkittest.CompilePlan(t, testPlan)
	cfg := &deliver.Config{Channels: []deliver.ChannelConfig{{Name: "hook", Type: deliver.TypeWebhook}},
		Recipients: []deliver.Recipient{{User: "anna", Channels: []string{"hook"}, Kinds: []string{"digest_daily"}}}}
	hook := map[string]deliver.Channel{"hook": deliver.ChannelFunc(func(context.Context, deliver.Message) error { return nil })}
	_, err := deliver.New(plan, track(t, plan), cfg, openOutbox(t, t.TempDir()), hook)
	if want := "recipients[0] (anna): kinds: digest_daily is listed, but the recipient has no daily schedule"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("in Go: got %v, want %s…", err, want)
	}
}
