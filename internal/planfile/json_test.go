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
		// Saved as Windows tools save it: with a byte order mark, in UTF-8
		// or UTF-16 (which holds no byte that is not text: those read as
		// U+FFFD, as they do in UTF-8).
		file := []byte(data)
		switch mark := rapid.IntRange(0, 3).Draw(t, "mark"); mark {
		case 1:
			file = append([]byte("\ufeff"), data...)
		case 2, 3:
			data = string([]rune(data))
			file = utf16File([]rune(data), mark == 2)
		}
		var want, got struct {
			Name  string   `json:"name"`
			Names []string `json:"names"`
		}
		if err := json.Unmarshal([]byte(data), &want); err != nil {
			t.Fatalf("encoding/json: %v", err)
		}
		if _, err := Decode("f.json", file, &got); err != nil {
			t.Fatalf("Decode %q: %v", file, err)
		}
		if got.Name != want.Name || !slices.Equal(got.Names, want.Names) {
			t.Fatalf("%s: got %q %q, want %q %q", data, got.Name, got.Names, want.Name, want.Names)
		}
	})
}

// utf16File is text as a UTF-16 file with its byte order mark, little or
// big endian.
func utf16File(text []rune, little bool) []byte {
	out := []byte{0xfe, 0xff}
	if little {
		out = []byte{0xff, 0xfe}
	}
	for _, u := range utf16.Encode(text) {
		if little {
			out = append(out, byte(u), byte(u>>8))
		} else {
			out = append(out, byte(u>>8), byte(u))
		}
	}
	return out
}

// A file with a byte order mark reads as the same text without one: its
// JSON escapes rewritten (encoding/json refuses the mark, so a marked file
// was never rewritten: PHP's "\/" was "found unknown escape character"), its
// problems on their lines (a UTF-16 file's lines were counted in its
// bytes: line 4 of three).
func TestMarkedFiles(t *testing.T) {
	for _, c := range []struct {
		name string
		text string
		want string
	}{
		{"JSON escapes", `{"name": "https:\/\/x.org \ud83d\ude00", "count": 2}`, ""},
		{"an unclosed list", "count: 1\nsize: 2\ntags: [1,\n", "f.yaml:3: the file ends where a value is expected"},
		{"a bad value", "count: 1\r\nsize: x\r\n", `f.yaml:2: size: want a whole number ≥ 0, got "x"`},
	} {
		plain := scalars{}
		_, perr := Decode("f.yaml", []byte(c.text), &plain)
		if got := fmt.Sprint(perr); c.want == "" && perr != nil || c.want != "" && got != c.want {
			t.Fatalf("%s without a mark: %v, want %q", c.name, perr, c.want)
		}
		if c.want == "" && (plain.Name != "https://x.org \U0001F600" || plain.Count != 2) {
			t.Fatalf("the JSON read %+v", plain)
		}
		for mark, file := range map[string][]byte{
			"UTF-8": append([]byte("\ufeff"), c.text...), "UTF-16LE": utf16File([]rune(c.text), true), "UTF-16BE": utf16File([]rune(c.text), false),
		} {
			var v scalars
			_, err := Decode("f.yaml", file, &v)
			if fmt.Sprint(err) != fmt.Sprint(perr) || fmt.Sprint(v) != fmt.Sprint(plain) {
				t.Errorf("%s in %s: %+v, %v; without a mark %+v, %v", c.name, mark, v, err, plain, perr)
			}
		}
	}
}
