// Package yamlerr turns a syntax error of the YAML library into the line it
// is on and a message that names the problem. The library reports the line
// of the construct it was reading rather than the line of the problem, and
// counts that line from 0 for some errors: a tab on line 4 is reported at
// line 3 (the line of the value before it), an unclosed "[" on line 4 at
// line 3; a control character or a byte that is not UTF-8 has no line at
// all. Locate corrects them from the file's text.
//
// The library reads JSON as YAML, but not all of it: JSONText rewrites a
// JSON file so that it reads as encoding/json reads it.
package yamlerr

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// parserErrors are the problems of the library's parser (not its scanner):
// their line is counted from 0.
var parserErrors = []string{
	"did not find expected <stream-start>",
	"did not find expected <document start>",
	"found undefined tag handle",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found duplicate %TAG directive",
}

const tabMsg = "a tab in the indentation: YAML indents with spaces only"

// Locate returns the line (1-based; 1 when the library gives none) and the
// message of err, an error of the YAML library while reading data.
func Locate(data []byte, err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, text, ok := strings.Cut(rest, ": "); ok {
			if n, err := strconv.Atoi(num); err == nil {
				line, msg = n, text
			}
		}
	}
	if slices.Contains(readerProblems, msg) {
		// The library's reader refuses a character without saying where.
		if l, m, ok := unreadable(data); ok {
			return l, m
		}
	}
	lines := splitLines(data)
	text := func(l int) []byte {
		if l < 1 || l > len(lines) {
			return nil
		}
		return lines[l-1]
	}
	for _, p := range parserErrors {
		if msg == p {
			line++
			break
		}
	}
	// A problem found at the end of the file is on its last line.
	atEnd := line > len(lines)
	line = max(min(line, len(lines)), 1)
	if atEnd && msg == "did not find expected node content" {
		return line, "the file ends where a value is expected"
	}
	switch msg {
	case "found a tab character that violates indentation",
		"found a tab character where an indentation space is expected":
		// The line given is the one of the value being read; the tab is on
		// a later line, in its indentation.
		for l := line; l <= len(lines); l++ {
			if tabIndented(text(l)) {
				return l, tabMsg
			}
		}
		return line, tabMsg
	case "found character that cannot start any token":
		if tabIndented(text(line)) {
			return line, tabMsg
		}
	case "did not find expected ',' or ']'":
		return opener(text, line, '['), `the list opened with "[" here is not closed: a "," or "]" is missing`
	case "did not find expected ',' or '}'":
		return opener(text, line, '{'), `the mapping opened with "{" here is not closed: a "," or "}" is missing`
	case "did not find expected <document start>":
		// The parser reads a document and finds more text after its end
		// that does not start a new one: "{...} x", two JSON objects.
		return line, "text after the end of the document: a file holds one document"
	case "found unexpected end of stream":
		// Only a quoted text that is never closed ends this way.
		l := line
		if !bytes.ContainsAny(text(l), `"'`) && bytes.ContainsAny(text(1), `"'`) {
			l = 1
		}
		return l, "the quoted text that starts here is never closed"
	}
	return line, msg
}

// splitLines splits data into lines where the library ends them: at a
// line feed, a carriage return, the two together, a next line (U+0085), a
// line separator (U+2028) or a paragraph separator (U+2029). Empty lines at
// the end are left out, but one line is always returned.
func splitLines(data []byte) [][]byte {
	var lines [][]byte
	start := 0
	for i := 0; i < len(data); {
		n := lineBreak(data[i:])
		if n == 0 {
			i++
			continue
		}
		lines = append(lines, data[start:i])
		i += n
		start = i
	}
	lines = append(lines, data[start:])
	for len(lines) > 1 && len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// lineBreak returns the length of the line break that b starts with, 0 if
// none.
func lineBreak(b []byte) int {
	switch {
	case bytes.HasPrefix(b, []byte("\r\n")):
		return 2
	case b[0] == '\r', b[0] == '\n':
		return 1
	case bytes.HasPrefix(b, []byte("\u0085")):
		return 2
	case bytes.HasPrefix(b, []byte("\u2028")), bytes.HasPrefix(b, []byte("\u2029")):
		return 3
	}
	return 0
}

// opener returns the line of the bracket c whose list or mapping is not
// closed. The library gives that line, except for a bracket on line 1: then
// it gives the line where it gave up.
func opener(text func(int) []byte, line int, c byte) int {
	if bytes.IndexByte(text(line), c) < 0 && bytes.IndexByte(text(1), c) >= 0 {
		return 1
	}
	return line
}

// tabIndented reports whether the line has a tab before its first
// character that is not a space.
func tabIndented(l []byte) bool {
	for _, c := range l {
		switch c {
		case ' ':
		case '\t':
			return true
		default:
			return false
		}
	}
	return false
}

// readerProblems are the errors of the YAML library's reader of the
// characters of a UTF-8 file: they have no line.
var readerProblems = []string{
	"control characters are not allowed",
	"invalid leading UTF-8 octet",
	"invalid trailing UTF-8 octet",
	"incomplete UTF-8 octet sequence",
	"invalid length of a UTF-8 sequence",
	"invalid Unicode character",
}

// unreadable returns the line and a message of the first character of data
// the YAML library's reader refuses (a control character other than tab,
// line feed and carriage return, DEL, a C1 control other than U+0085, a
// surrogate, U+FFFE or U+FFFF) or its first byte that is not UTF-8. The
// library refuses them without a line ("control characters are not
// allowed", "invalid leading UTF-8 octet"). Lines end where the library
// ends them (LF, CR, CR LF, U+0085, U+2028, U+2029); the column counts
// characters from 1.
func unreadable(data []byte) (line int, msg string, ok bool) {
	line, col := 1, 0
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		col++
		switch {
		case r == utf8.RuneError && n == 1:
			return line, fmt.Sprintf("the byte 0x%02X in column %d is not UTF-8: save the file as UTF-8", data[i], col), true
		case r == '\r' && i+1 < len(data) && data[i+1] == '\n':
			n = 2
			fallthrough
		case r == '\n', r == '\r', r == 0x85, r == 0x2028, r == 0x2029:
			line, col = line+1, 0
		case r == '\t', r >= 0x20 && r <= 0x7E, r >= 0xA0 && r <= 0xD7FF,
			r >= 0xE000 && r <= 0xFFFD, r >= 0x10000:
		default:
			return line, fmt.Sprintf("the control character %U in column %d is not allowed", r, col), true
		}
		i += n
	}
	return 0, "", false
}
