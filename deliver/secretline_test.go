package deliver_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/goalkit/goalkit/deliver"
)

// A Telegram token or a Slack URL read from a file keeps the file's last
// line break (a Kubernetes secret, an env file): the channel takes the
// value without the spaces and line breaks around it and delivers. Kept,
// the break made every message's address unparsable, and each went to the
// dead letters at its first attempt as a "bad address" that named nothing.
// A value that cannot be one is refused when the channels are built,
// naming the variable and never the value.
func TestOpenChannelsTrimSecretsReadFromFiles(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	cfg := parseConfig(t, `
channels:
  - {name: tg, type: telegram, base_url: "`+srv.URL+`", token_env: TG_TOKEN}
  - {name: room, type: slack, url_env: SLACK_URL}
recipients:
  - {user: anna, telegram: "1001", channels: [tg, room]}
`)
	chans, err := cfg.OpenChannels(deliver.ChannelOptions{Env: env(map[string]string{
		"TG_TOKEN": "42:TOKEN\n", "SLACK_URL": " " + srv.URL + "/services/T1/B1/SECRET\r\n"})})
	if err != nil {
		t.Fatal(err)
	}
	m := deliver.Message{ID: "m", To: deliver.Recipient{User: "anna", Telegram: "1001"}, Text: "x"}
	for _, name := range []string{"tg", "room"} {
		if err := chans[name].Send(context.Background(), m); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if want := []string{"/bot42:TOKEN/sendMessage", "/services/T1/B1/SECRET"}; strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Errorf("requests to %q, want %q", paths, want)
	}

	_, err = cfg.OpenChannels(deliver.ChannelOptions{Env: env(map[string]string{
		"TG_TOKEN": "42:TO KEN/../x", "SLACK_URL": "hooks.slack.com/services/SECRET"})})
	want := `deliver.yaml:3: channel "tg": the variable TG_TOKEN does not hold a bot token (letters, digits, ':', '-' and '_')
deliver.yaml:4: channel "room": the variable SLACK_URL does not hold an http:// or https:// URL with a host`
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
}

// An SMTP password read from a file keeps the file's last line break: the
// channel logs in without it, and keeps the password's own spaces. Kept,
// the break made every login a refusal (535) that no retry could end.
func TestOpenChannelsPasswordReadFromFile(t *testing.T) {
	ctx := context.Background()
	s := newSink(t)
	cfg := parseConfig(t, `
channels:
  - {name: mail, type: email, smtp: "`+s.addr+`", from: goals@example.com, username: robot, password_env: SMTP_PASSWORD, security: none}
recipients:
  - {user: anna, email: anna@example.com}
`)
	m := emailMessage(t, "en")
	for _, tc := range []struct{ given, server string }{
		{"s3cret pass\n", "s3cret pass"},
		{"s3cret pass\r\n", "s3cret pass"},
		{" s3cret pass ", " s3cret pass "},
	} {
		s.set(func(s *sink) { s.user, s.pass = "robot", tc.server })
		chans, err := cfg.OpenChannels(deliver.ChannelOptions{Env: env(map[string]string{"SMTP_PASSWORD": tc.given})})
		if err != nil {
			t.Fatal(err)
		}
		if err := chans["mail"].Send(ctx, m); err != nil {
			t.Errorf("password %q: %v", tc.given, err)
		}
	}
}
