package deliver_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/goalkit/goalkit/deliver"
)

// The configuration parser never panics; it either returns a configuration
// whose references hold (unique channel names, recipients with a user and
// only known channels) or a ConfigError whose every problem names a line
// of the file.
func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(fullConfig))
	f.Add([]byte("channels: [{name: a, type: webhook, url: 'http://x', secret_env: S}]\nrecipients: [{user: u, channels: [a]}]\n"))
	f.Add([]byte("retry: {attempts: 3, base: 1s, max: 1s}\nchannels: []\n"))
	f.Add([]byte("recipients:\n  - {user: u, daily: '09:00', weekly: 'sunday 23:59', timezone: Asia/Tokyo}\n"))
	f.Add([]byte("channels: {a: b}\n\t- x\n"))
	f.Add([]byte("outbox: x.db\u2028channels:\n  - name: a\x00\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := deliver.ParseConfig("f.yaml", data)
		if err != nil {
			var ce *deliver.ConfigError
			if !errors.As(err, &ce) || len(ce.Problems) == 0 {
				t.Fatalf("error %v is not a ConfigError with problems", err)
			}
			// YAML breaks lines at \n, \r\n, a lone \r, U+0085, U+2028
			// and U+2029.
			flat := bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
			lines := 1
			for _, b := range []string{"\n", "\r", "\u0085", "\u2028", "\u2029"} {
				lines += bytes.Count(flat, []byte(b))
			}
			for _, p := range ce.Problems {
				if p.Line < 1 || p.Line > lines {
					t.Fatalf("problem at line %d of a %d-line file: %v", p.Line, lines, p)
				}
			}
			return
		}
		var names []string
		for _, c := range cfg.Channels {
			if c.Name == "" || slices.Contains(names, c.Name) {
				t.Fatalf("channel name %q empty or repeated", c.Name)
			}
			names = append(names, c.Name)
		}
		for _, r := range cfg.Recipients {
			if r.User == "" || (r.Language != "en" && r.Language != "ru") {
				t.Fatalf("recipient %+v", r)
			}
			for _, c := range r.Channels {
				if !slices.Contains(names, c) {
					t.Fatalf("recipient %q names channel %q", r.User, c)
				}
			}
		}
	})
}
