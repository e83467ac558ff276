package deliver_test

import (
	"errors"
	"testing"
	"unicode/utf16"

	"github.com/goalkit/goalkit/deliver"
)

// utf16le is s in UTF-16, little endian, after a byte order mark, as
// Windows tools write a text file.
func utf16le(s string) []byte {
	b := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// A configuration reads as the plans and directories do: in UTF-16 with a
// byte order mark its problems are on their lines, and a JSON file reads
// as encoding/json reads it (PHP's escaped slashes).
func TestParseConfigText(t *testing.T) {
	_, err := deliver.ParseConfig("c.yaml", utf16le("channels:\n  - {name: a\n"))
	var ce *deliver.ConfigError
	want := `c.yaml:2: the mapping opened with "{" here is not closed: a "," or "}" is missing`
	if !errors.As(err, &ce) || err.Error() != want {
		t.Errorf("UTF-16: %v, want %s", err, want)
	}
	src := `{"channels": [{"name": "w", "type": "webhook", "url": "https:\/\/hooks.example\/goalkit", "secret_env": "S"}],
"recipients": [{"user": "u", "channels": ["w"]}]}`
	for name, data := range map[string][]byte{"JSON": []byte(src), "JSON with a mark": append([]byte("\xef\xbb\xbf"), src...), "UTF-16 JSON": utf16le(src)} {
		cfg, err := deliver.ParseConfig("c.json", data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := cfg.Channels[0].URL; got != "https://hooks.example/goalkit" {
			t.Errorf("%s: url %q", name, got)
		}
	}
}
