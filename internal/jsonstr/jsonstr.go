// Package jsonstr writes text as JSON strings, the one way goalkit's JSON
// writers (the report's JSON, the NDJSON events file) escape it.
package jsonstr

import (
	"strconv"
	"unicode/utf8"
)

// Append appends s as a JSON string. Printable text is written as is and
// the quote and backslash escaped, as strconv.Quote does; every other
// character gets an escape JSON has (strconv.Quote's \x1b, \a and \U0001….
// are not JSON): \n, \r, \t, or \u00XX for the other control characters,
// \uXXXX (a surrogate pair above U+FFFF) for the other characters Go does not
// print, and U+FFFD for invalid UTF-8, as encoding/json writes it.
func Append(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			b = append(b, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r == '\t':
			b = append(b, '\\', 't')
		case r == utf8.RuneError && n == 1:
			b = append(b, `\ufffd`...)
		case r < 0x80 || r == 0x2028 || r == 0x2029 || !strconv.IsPrint(r):
			if r > 0xffff {
				r -= 0x10000
				b = appendU4(b, 0xd800+r>>10)
				r = 0xdc00 + r&0x3ff
			}
			b = appendU4(b, r)
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
}

// Quote is s as a JSON string.
func Quote(s string) string {
	return string(Append(make([]byte, 0, len(s)+2), s))
}

func appendU4(b []byte, r rune) []byte {
	const hex = "0123456789abcdef"
	return append(b, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
}
