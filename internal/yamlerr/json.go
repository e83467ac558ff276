package yamlerr

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/goalkit/goalkit/internal/textenc"
)

// JSONText rewrites what JSON strings may hold and YAML's do not, so
// that the YAML reader reads every JSON file as encoding/json does: the two
// escapes YAML lacks, "\/" (to "/") and a UTF-16 surrogate pair
// "\ud83d\ude00" (to "\U0001f600"; a lone surrogate becomes U+FFFD, as
// encoding/json reads it), which encoders other than Go's write (PHP escapes
// slashes, Python and PHP write characters outside the BMP as pairs); and
// the raw characters YAML refuses (DEL, the C1 controls, U+FFFE, U+FFFF),
// folds as a line break (U+0085, NEL) or may take for a byte order mark
// (U+FEFF), which are escaped, and bytes that are
// not UTF-8, which become U+FFFD as encoding/json reads them.
// The text is rewritten only when it is valid JSON and has one of them; no
// line changes, so errors keep their lines. The readers of plans,
// directories, mappings, working-day calendars, delivery configurations and
// tokens files read through it.
//
// A file that starts with a byte order mark, as Windows tools write them, is
// first brought to UTF-8 without it: UTF-16 (little or big endian, which
// the YAML reader also reads) is transcoded, a lone surrogate becoming
// U+FFFD. Its JSON is then rewritten as any other's, and Locate reads the
// same lines the YAML reader does; before, a JSON file with a mark was never
// rewritten (encoding/json refuses the mark) and the lines of a UTF-16 file
// were counted in its bytes.
func JSONText(data []byte) []byte {
	data = textenc.UTF8(data)
	if !bytes.Contains(data, []byte(`\/`)) && !hasSurrogateEscape(data) && !hasYAMLRaw(data) || !json.Valid(data) {
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
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(data[i:])
			switch {
			case r == utf8.RuneError && n == 1:
				out = append(out, `\uFFFD`...)
			case yamlRaw(r):
				out = append(out, `\U`...)
				out = append(out, pad8(strconv.FormatInt(int64(r), 16))...)
			default:
				out = append(out, data[i:i+n]...)
			}
			i += n - 1
		case c == 0x7f:
			out = append(out, `\U0000007f`...)
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

// hasYAMLRaw reports whether data holds a character YAML's reader refuses
// or folds where JSON takes it as it is (see yamlRaw), or a byte that is
// not UTF-8.
func hasYAMLRaw(data []byte) bool {
	for i := 0; i < len(data); {
		if c := data[i]; c < utf8.RuneSelf {
			if c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 || yamlRaw(r) {
			return true
		}
		i += n
	}
	return false
}

// yamlRaw reports whether r, beyond ASCII, is a character YAML's reader
// refuses (the C1 controls, U+FFFE, U+FFFF), folds as a line break in a
// quoted string (U+0085, one of the C1 controls, and the line and
// paragraph separators U+2028 and U+2029, which drop the spaces before
// them) or may take for a byte order mark (U+FEFF: after some 250 escaped
// characters in a string, the YAML library then missed the end of the
// file's mapping) where a JSON string holds it as it is.
func yamlRaw(r rune) bool {
	return r >= 0x80 && r <= 0x9f || r == 0x2028 || r == 0x2029 || r == 0xfeff || r == 0xfffe || r == 0xffff
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
