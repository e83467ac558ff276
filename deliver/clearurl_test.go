package deliver_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/goalkit/goalkit/deliver"
)

// A URL that carries a channel's secret (a Slack incoming webhook's URL,
// the Telegram Bot API's base URL, which the token is written into) is
// refused over http:// to another machine, naming the channel and the
// field or variable: the secret would travel in clear text. Both were
// taken. Over http:// to this machine (a test, a local relay) it is taken.
func TestSecretURLsRefuseClearText(t *testing.T) {
	for _, c := range []struct {
		url  string
		good bool
	}{
		{"http://hooks.example.com/services/T0/B0/x", false},
		{"HTTP://hooks.example.com/services/T0/B0/x", false},
		{"http://10.0.0.7:8080/x", false},
		{"http://localhost.example.com/x", false},
		{"https://hooks.example.com/services/T0/B0/x", true},
		{"http://127.0.0.1:8080/x", true},
		{"http://127.5.6.7/x", true},
		{"http://localhost:8080/x", true},
		{"http://[::1]:8080/x", true},
	} {
		// Slack: the URL is read from its variable.
		src := "channels:\n  - {name: room, type: slack, url_env: SLACK_URL}\nrecipients: [{user: u, channels: [room]}]\n"
		cfg, err := deliver.ParseConfig("c.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		env := func(name string) (string, bool) { return c.url, name == "SLACK_URL" }
		_, err = cfg.OpenChannels(deliver.ChannelOptions{Env: env})
		want := `c.yaml:2: channel "room": the variable SLACK_URL holds an http:// URL: `
		switch {
		case c.good && err != nil:
			t.Errorf("slack %s: %v", c.url, err)
		case !c.good && (err == nil || !strings.HasPrefix(err.Error(), want)):
			t.Errorf("slack %s: got %v, want %s…", c.url, err, want)
		case !c.good && strings.Contains(err.Error(), "hooks.example") || !c.good && strings.Contains(err.Error(), "10.0.0.7"):
			t.Errorf("slack %s: the error repeats the secret URL: %v", c.url, err)
		}

		// Telegram: the base URL is in the file.
		src = "channels:\n  - name: tg\n    type: telegram\n    base_url: \"" + c.url + "\"\n    token_env: T\nrecipients: [{user: u, telegram: \"1\", channels: [tg]}]\n"
		_, err = deliver.ParseConfig("c.yaml", []byte(src))
		want = "c.yaml:4: channels[0].url: must be https:// (http:// only to localhost or a loopback address): "
		switch {
		case c.good && err != nil:
			t.Errorf("telegram %s: %v", c.url, err)
		case !c.good && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("telegram %s: got %v, want %s…", c.url, err, want)
		}

		// Telegram in a configuration built in Go, which ParseConfig
		// does not read.
		goCfg := &deliver.Config{File: "go", Channels: []deliver.ChannelConfig{{Name: "tg", Type: deliver.TypeTelegram, URL: c.url, SecretEnv: "T"}}}
		tok := func(name string) (string, bool) { return "123:abc", name == "T" }
		_, err = goCfg.OpenChannels(deliver.ChannelOptions{Env: tok})
		switch {
		case c.good && err != nil:
			t.Errorf("telegram in Go %s: %v", c.url, err)
		case !c.good && (err == nil || !strings.Contains(err.Error(), `channel "tg": url must be https://`)):
			t.Errorf("telegram in Go %s: got %v", c.url, err)
		}
	}
}

// NewSlack and NewTelegram, called from Go where OpenChannels does not
// check the URL, refuse one over http:// to another machine: every Send
// fails with a ChannelFault naming the channel and the reason, and no
// request leaves the machine. Both sent the secret (the webhook's URL, the
// bot's token in the path) in clear text. NewTelegram refuses a base with
// a query or fragment, and a token that is none, as OpenChannels does; it
// sent the request to another path or query. The client dials every address
// to a local listener, which counts what reaches it.
func TestNewChannelsRefuseClearText(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.WriteString(w, `{"ok":true,"result":{}}`)
	}))
	defer srv.Close()
	local := srv.Listener.Addr().String()
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, local)
	}}}
	m := testMessage()
	m.To.Telegram = "123456789"
	for _, c := range []struct {
		name string
		ch   deliver.Channel
		want string // "" where the channel sends
	}{
		{"slack", deliver.NewSlack("http://hooks.example.com/services/T0/B0/x", client), "slack: the incoming webhook's URL is http:// to another machine"},
		{"slack upper-case scheme", deliver.NewSlack("HTTP://hooks.example.com/services/T0/B0/x", client), "slack: the incoming webhook's URL is http:// to another machine"},
		{"telegram", deliver.NewTelegram("http://tg.example.com", "123:abc", client), "telegram: the base URL must be https://"},
		{"telegram by address", deliver.NewTelegram("http://10.0.0.7:8081/", "123:abc", client), "telegram: the base URL must be https://"},
		{"telegram with a query", deliver.NewTelegram("http://127.0.0.1:1/tg?a=1", "123:abc", client), "telegram: the base URL must have no query (?) or fragment (#)"},
		{"telegram with a fragment", deliver.NewTelegram("http://127.0.0.1:1/tg#a", "123:abc", client), "telegram: the base URL must have no query (?) or fragment (#)"},
		{"telegram with an empty query", deliver.NewTelegram("http://127.0.0.1:1/tg?", "123:abc", client), "telegram: the base URL must have no query (?) or fragment (#)"},
		{"telegram token with a query", deliver.NewTelegram("http://127.0.0.1:1", "123:abc?x=", client), "telegram: the token is no bot token"},
		{"telegram token with a path", deliver.NewTelegram("http://127.0.0.1:1", "123:abc/../../x", client), "telegram: the token is no bot token"},
		{"telegram without a token", deliver.NewTelegram("http://127.0.0.1:1", "", client), "telegram: the token is no bot token"},
		{"slack to loopback", deliver.NewSlack("http://127.0.0.1:1/x", client), ""},
		{"telegram to localhost", deliver.NewTelegram("http://localhost:1", "123:abc", client), ""},
	} {
		before := hits.Load()
		err := c.ch.Send(context.Background(), m)
		sent := hits.Load() - before
		if c.want == "" {
			if err != nil || sent != 1 {
				t.Errorf("%s: got %v and %d requests, want it sent once", c.name, err, sent)
			}
			continue
		}
		if sent != 0 {
			t.Errorf("%s: %d requests left the machine", c.name, sent)
		}
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || !deliver.IsChannelFault(err) {
			t.Errorf("%s: got %v, want a channel fault %s…", c.name, err, c.want)
		} else if strings.Contains(err.Error(), "hooks.example") || strings.Contains(err.Error(), "123:abc") {
			t.Errorf("%s: the error repeats the secret: %v", c.name, err)
		}
	}
}

// A Telegram base URL with a query or a fragment is refused, in a file
// and in a configuration built in Go, naming the channel: the bot's path
// (/bot<token>/sendMessage) is written after the base, into its query or
// fragment, so that no request reached the method and the token went into
// the query. Each was taken.
func TestTelegramBaseWithQueryRefused(t *testing.T) {
	const want = "must have no query (?) or fragment (#)"
	for _, u := range []string{"https://api.telegram.org/?a=1", "https://proxy.example.com/tg#x", "https://proxy.example.com/tg?"} {
		src := "channels:\n  - name: tg\n    type: telegram\n    base_url: \"" + u + "\"\n    token_env: T\nrecipients: [{user: u, telegram: \"1\", channels: [tg]}]\n"
		if _, err := deliver.ParseConfig("c.yaml", []byte(src)); err == nil || !strings.Contains(err.Error(), "c.yaml:4: channels[0].url: "+want) {
			t.Errorf("file %s: got %v", u, err)
		}
		goCfg := &deliver.Config{File: "go", Channels: []deliver.ChannelConfig{{Name: "tg", Type: deliver.TypeTelegram, URL: u, SecretEnv: "T"}}}
		tok := func(name string) (string, bool) { return "123:abc", name == "T" }
		if _, err := goCfg.OpenChannels(deliver.ChannelOptions{Env: tok}); err == nil || !strings.Contains(err.Error(), `channel "tg": url `+want) {
			t.Errorf("in Go %s: got %v", u, err)
		}
	}
}
