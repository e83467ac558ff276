package planfile

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf16"
)

// jsonForYAML rewrites the two string escapes of JSON that YAML does not
// have, so that the YAML reader reads every JSON file: "\/" becomes "/" and
// a UTF-16 surrogate pair "\ud83d\ude00" becomes "\U0001f600" (a lone
// surrogate becomes U+FFFD, as encoding/json reads it). Encoders other than
// Go's write both (PHP escapes slashes, Python and PHP write characters
// outside the BMP as pairs). The text is rewritten only when it is valid
// JSON and has such an escape; no line changes, so errors keep their lines.
func jsonForYAML(data []byte) []byte {
	if !bytes.Contains(data, []byte(`\/`)) && !hasSurrogateEscape(data) || !json.Valid(data) {
		return data
	}
	out := make([]byte, 0, len(data))
	in := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if !in {
			in = c == '"'
			out = append(out, c)
			continue
		}
		switch {
		case c == '"':
			in = false
			out = append(out, c)
		case c != '\\':
			out = append(out, c)
		case data[i+1] == '/':
			out = append(out, '/')
			i++
		case data[i+1] == 'u':
			r := hex4(data[i+2 : i+6])
			n := 6
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if i+12 <= len(data) && data[i+6] == '\\' && data[i+7] == 'u' {
					r2 = hex4(data[i+8 : i+12])
				}
				if d := utf16.DecodeRune(r, r2); d != '\uFFFD' {
					r, n = d, 12
				} else {
					r = '\uFFFD'
				}
			}
			out = append(out, `\U`...)
			out = append(out, pad8(strconv.FormatInt(int64(r), 16))...)
			i += n - 1
		default: // any other escape is the same in YAML
			out = append(out, c, data[i+1])
			i++
		}
	}
	return out
}

// hasSurrogateEscape reports whether data may hold an escaped UTF-16
// surrogate, \uD800 to \uDFFF.
func hasSurrogateEscape(data []byte) bool {
	for i := 0; i+3 < len(data); i++ {
		if data[i] == '\\' && data[i+1] == 'u' && data[i+2]|0x20 == 'd' && '8' <= data[i+3]|0x20 && data[i+3]|0x20 <= 'f' {
			return true
		}
	}
	return false
}

func hex4(b []byte) rune {
	n, _ := strconv.ParseUint(string(b), 16, 32)
	return rune(n)
}

func pad8(s string) string {
	for len(s) < 8 {
		s = "0" + s
	}
	return s
}
