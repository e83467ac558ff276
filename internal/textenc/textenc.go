// Package textenc brings text files that Windows tools write (a byte order
// mark, UTF-16) to the UTF-8 the readers of plans, reports and other files
// take.
package textenc

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// UTF8 returns data without a leading byte order mark, transcoded from
// UTF-16 when the mark says so; data as it is without one (or when a UTF-16
// file has an odd number of bytes, which the YAML reader refuses).
func UTF8(data []byte) []byte {
	switch {
	case bytes.HasPrefix(data, []byte("\ufeff")):
		return data[3:]
	case len(data) < 2 || len(data)%2 != 0:
		return data
	case data[0] == 0xff && data[1] == 0xfe, data[0] == 0xfe && data[1] == 0xff:
		le := data[0] == 0xff
		units := make([]uint16, 0, len(data)/2-1)
		for i := 2; i < len(data); i += 2 {
			if le {
				units = append(units, uint16(data[i])|uint16(data[i+1])<<8)
			} else {
				units = append(units, uint16(data[i])<<8|uint16(data[i+1]))
			}
		}
		out := make([]byte, 0, len(units)*3/2)
		for _, r := range utf16.Decode(units) {
			out = utf8.AppendRune(out, r)
		}
		return out
	}
	return data
}
