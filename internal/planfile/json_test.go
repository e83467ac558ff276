package planfile

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"

	"pgregory.net/rapid"
)

// Every valid JSON file reads as it does with encoding/json, the escapes
// YAML lacks included.
func TestJSONEscapes(t *testing.T) {
	var v struct {
		Name  string   `json:"name"`
		Names []string `json:"names"`
	}
	data := []byte("{\n  \"name\": \"Deals \\/ won \\ud83d\\ude00 \\\\/ \\u0410\",\n" +
		"  \"names\": [\"\\ud83d\", \"\\ude00\\u0041\", \"\\ud83d\\u0041\", \"a\\\"\\/\", \"\U0001F600\"]\n}\n")
	if _, err := Decode("f.json", data, &v); err != nil {
		t.Fatal(err)
	}
	want := []string{"\uFFFD", "\uFFFDA", "\uFFFDA", "a\"/", "\U0001F600"}
	if v.Name != "Deals / won \U0001F600 \\/ А" || len(v.Names) != len(want) {
		t.Fatalf("got %q %q", v.Name, v.Names)
	}
	for i := range want {
		if v.Names[i] != want[i] {
			t.Errorf("names[%d] = %q, want %q", i, v.Names[i], want[i])
		}
	}
	// Not JSON: left to YAML, which refuses the escape on its line.
	_, err := Decode("f.yaml", []byte("a: 1\nname: \"x\\/y\"\nnames: [a, b\n"), &v)
	if err == nil || err.Error() != "f.yaml:2: found unknown escape character" {
		t.Fatalf("got %v", err)
	}
}

// Any text, written as JSON by Go or the way other encoders write it (every
// slash escaped, characters beyond the BMP as UTF-16 pairs, everything but
// ASCII escaped; or only what JSON must escape, the rest raw, bytes that
// are not UTF-8 included), reads back as encoding/json reads it: YAML's
// reader refuses some characters JSON allows raw (DEL, C1 controls,
// U+FFFE) and folds one as a line break (U+0085).
func TestJSONReadsAsEncodingJSON(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.OneOf(rapid.String(), rapid.StringOf(rapid.RuneFrom([]rune{0x7f, 0x85, 0x9f, 0x2028, 0x2029, 0xfffe, 0xffff, 0xfeff, 'a', '/', '\\', '"'}, unicode.Cc)),
			rapid.Custom(func(t *rapid.T) string { return string(rapid.SliceOf(rapid.Byte()).Draw(t, "bytes")) })).Draw(t, "s")
		q, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		text := string(q)
		switch rapid.IntRange(0, 2).Draw(t, "encoder") {
		case 1: // only what JSON must escape
			var b strings.Builder
			for i := range len(s) {
				switch c := s[i]; {
				case c == '"' || c == '\\':
					b.WriteByte('\\')
					b.WriteByte(c)
				case c < 0x20:
					fmt.Fprintf(&b, `\u%04x`, c)
				default:
					b.WriteByte(c)
				}
			}
			text = `"` + b.String() + `"`
		case 2: // as PHP and Python write it
			var b strings.Builder
			for _, r := range text[1 : len(text)-1] {
				switch {
				case r == '/':
					b.WriteString(`\/`)
				case r > 0xFFFF:
					r1, r2 := utf16.EncodeRune(r)
					fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
				case r > 0x7e:
					fmt.Fprintf(&b, `\u%04X`, r)
				default:
					b.WriteRune(r)
				}
			}
			text = `"` + b.String() + `"`
		}
		data := "{\n  \"name\": " + text + ",\n  \"names\": [" + text + ", \"x\"]\n}\n"
		var want, got struct {
			Name  string   `json:"name"`
			Names []string `json:"names"`
		}
		if err := json.Unmarshal([]byte(data), &want); err != nil {
			t.Fatalf("encoding/json: %v", err)
		}
		if _, err := Decode("f.json", []byte(data), &got); err != nil {
			t.Fatalf("Decode %s: %v", data, err)
		}
		if got.Name != want.Name || !slices.Equal(got.Names, want.Names) {
			t.Fatalf("%s: got %q %q, want %q %q", data, got.Name, got.Names, want.Name, want.Names)
		}
	})
}
