package deliver_test

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit/deliver"
)

// A webhook's or a Telegram base URL is checked as the channel's request
// reads it: one without a host is refused at its line, where it was taken
// and every message sent to it went to the dead letters as a "bad
// address"; a scheme in capitals, which the request takes, is taken.
func TestConfigURLNeedsAHost(t *testing.T) {
	for _, c := range []struct {
		url  string
		good bool
	}{
		{"https:///hooks/goalkit", false},
		{"https://?token=x", false},
		{"http://", false},
		{"https:hooks.example.com", false},
		{"https://hooks.example.com/goalkit", true},
		{"HTTPS://hooks.example.com/goalkit", true},
		{"http://127.0.0.1:8080/", true},
	} {
		for _, typ := range []string{"webhook", "telegram"} {
			field := `url: "` + c.url + `", secret_env: S`
			if typ == "telegram" {
				field = `base_url: "` + c.url + `", token_env: S`
			}
			src := "channels:\n  - {name: c, type: " + typ + ", " + field + "}\nrecipients: [{user: u, telegram: \"1\", channels: [c]}]\n"
			_, err := deliver.ParseConfig("c.yaml", []byte(src))
			want := "c.yaml:2: channels[0].url: must be an http:// or https:// URL with a host"
			switch {
			case c.good && err != nil:
				t.Errorf("%s %s: %v", typ, c.url, err)
			case !c.good && (err == nil || !strings.Contains(err.Error(), want)):
				t.Errorf("%s %s: got %v, want %s", typ, c.url, err, want)
			}
		}
	}
}
