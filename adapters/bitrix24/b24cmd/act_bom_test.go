package b24cmd_test

import (
	"encoding/json"
	"reflect"
	"regexp"
	"testing"
	"unicode/utf16"

	"github.com/goalkit/goalkit/adapters/bitrix24/b24cmd"
)

// A report saved by a Windows tool, with a byte order mark — UTF-8, or
// UTF-16 as PowerShell's redirection writes it — reads as the same report
// without one, a character outside the Basic Multilingual Plane included;
// it was refused as neither a report nor an array.
func TestParseNotificationsWithByteOrderMark(t *testing.T) {
	ns := notifications()
	ns[0].Key += "/🎯 план"
	plain, _ := json.MarshalIndent(map[string]any{"notifications": ns}, "", "  ")
	want, err := b24cmd.ParseNotifications(plain)
	if err != nil {
		t.Fatal(err)
	}
	units := utf16.Encode([]rune(string(plain)))
	le, be := []byte{0xff, 0xfe}, []byte{0xfe, 0xff}
	for _, u := range units {
		le = append(le, byte(u), byte(u>>8))
		be = append(be, byte(u>>8), byte(u))
	}
	for name, data := range map[string][]byte{
		"UTF-8 with a mark": append([]byte("\ufeff"), plain...),
		"UTF-16LE":          le,
		"UTF-16BE":          be,
		"UTF-16LE, CRLF":    crlf16(string(plain)),
	} {
		got, err := b24cmd.ParseNotifications(data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: read\n%+v\nwant\n%+v", name, got, want)
		}
	}
}

// crlf16 is s with CRLF line ends in UTF-16LE with a mark, as Notepad
// saves "Unicode".
func crlf16(s string) []byte {
	out := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(s)) {
		if u == '\n' {
			out = append(out, '\r', 0)
		}
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

// A report that is not JSON, or whose notifications are not a list, is an
// error naming the line where it goes wrong, blank lines before the JSON
// and UTF-16 counted as the lines an editor shows.
func TestParseNotificationsNamesTheLine(t *testing.T) {
	report := "\n\n{\n  \"values\": [],\n  \"notifications\": [\n    {\"key\": \"a\"},\n    {\"key\": \"b\",}\n  ]\n}\n"
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"syntax":           {[]byte(report), `^line 7: invalid character '}'`},
		"syntax, UTF-16":   {crlf16(report), `^line 7: invalid character '}'`},
		"array, syntax":    {[]byte("[\n{\"key\": \"a\"}\n{\"key\": \"b\"}\n]"), `^line 3: invalid character '{' after array element`},
		"notifications 1":  {[]byte("{\n\"values\": [],\n\"notifications\": 1\n}"), `^line 3: json: cannot unmarshal number`},
		"first line, byte": {[]byte("{x"), `^line 1: invalid character 'x'`},
	} {
		_, err := b24cmd.ParseNotifications(c.data)
		if err == nil || !regexp.MustCompile(c.want).MatchString(err.Error()) {
			t.Errorf("%s: err = %v, want %s", name, err, c.want)
		}
	}
}
