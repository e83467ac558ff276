package textenc

import (
	"bytes"
	"encoding/binary"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// utf16Bytes writes s as UTF-16 with its byte order mark, as Windows tools
// (PowerShell's >, Notepad's "Unicode") save text.
func utf16Bytes(s string, order binary.ByteOrder) []byte {
	units := append([]uint16{0xfeff}, utf16.Encode([]rune(s))...)
	out := make([]byte, 2*len(units))
	for i, u := range units {
		order.PutUint16(out[2*i:], u)
	}
	return out
}

func TestUTF8(t *testing.T) {
	const text = "{\"plan\": \"продажи\", \"emoji\": \"😀\"}\n"
	for _, c := range []struct {
		name string
		in   []byte
		want string
	}{
		{"plain", []byte(text), text},
		{"utf-8 mark", append([]byte("\ufeff"), text...), text},
		{"utf-16 little endian", utf16Bytes(text, binary.LittleEndian), text},
		{"utf-16 big endian", utf16Bytes(text, binary.BigEndian), text},
		{"a lone surrogate", []byte{0xff, 0xfe, 'a', 0, 0x00, 0xd8, 'b', 0}, "a\ufffdb"},
		{"utf-16 of an odd length", []byte{0xff, 0xfe, 'a', 0, 'b'}, "\xff\xfea\x00b"},
		{"empty", nil, ""},
	} {
		if got := string(UTF8(c.in)); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// Whatever the bytes, text without a mark comes back as it is, and text
// with a UTF-16 mark (of an even length) comes back as valid UTF-8.
func FuzzUTF8(f *testing.F) {
	f.Add([]byte("plain"))
	f.Add(utf16Bytes("продажи", binary.LittleEndian))
	f.Add(utf16Bytes("😀", binary.BigEndian))
	f.Add([]byte("\ufeffmark"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got := UTF8(data)
		switch {
		case bytes.HasPrefix(data, []byte("\ufeff")):
			if !bytes.Equal(got, data[3:]) {
				t.Fatalf("a UTF-8 mark: got %q", got)
			}
		case len(data) >= 2 && len(data)%2 == 0 && (data[0] == 0xff && data[1] == 0xfe || data[0] == 0xfe && data[1] == 0xff):
			if !utf8.Valid(got) {
				t.Fatalf("UTF-16 %q gave invalid UTF-8 %q", data, got)
			}
		default:
			if !bytes.Equal(got, data) {
				t.Fatalf("no mark: %q became %q", data, got)
			}
		}
	})
}
