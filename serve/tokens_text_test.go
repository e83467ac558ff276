package serve

import (
	"testing"
	"unicode/utf16"
)

// A tokens file reads as the plans do: a JSON file as encoding/json reads
// it (PHP's escaped slashes), also after a byte order mark or in UTF-16,
// with its problems on their lines.
func TestParseTokenFileText(t *testing.T) {
	utf16le := func(s string) []byte {
		b := []byte{0xff, 0xfe}
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return b
	}
	src := `{"tokens": [{"token": "abcdefghijklmnopq", "user": "anna", "role": "reader", "name": "CI \/ nightly"}]}`
	for name, data := range map[string][]byte{"JSON": []byte(src), "JSON with a mark": append([]byte("\xef\xbb\xbf"), src...), "UTF-16 JSON": utf16le(src)} {
		tf, err := ParseTokenFile("t.json", data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(tf.Tokens) != 1 || tf.Tokens[0].Name != "CI / nightly" {
			t.Errorf("%s: %+v", name, tf.Tokens)
		}
	}
	_, err := ParseTokenFile("t.yaml", utf16le("tokens:\n  - {token: short, role: reader, user: a}\n"))
	if want := "t.yaml:2: token is shorter than 16 characters"; err == nil || err.Error() != want {
		t.Errorf("UTF-16: %v, want %s", err, want)
	}
}
