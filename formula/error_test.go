package formula

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/goalkit/goalkit/internal/display"
	"pgregory.net/rapid"
)

// A snippet shows the line the position is on, whichever line break ends the
// lines before it, and nothing in it moves a terminal's cursor: an error
// message about a formula holding a carriage return or a line separator keeps
// its two lines and its caret under the position.
func TestErrorSnippetLines(t *testing.T) {
	cases := []struct {
		name, src string
		err       string // Error()
		snippet   string
	}{
		{"LF", "vip &&\nsorce == \"web\"", `unknown name "sorce" (did you mean "source"?) (2:1)`, "sorce == \"web\"\n^"},
		{"CRLF", "vip &&\r\nsorce == \"web\"", `unknown name "sorce" (did you mean "source"?) (2:1)`, "sorce == \"web\"\n^"},
		{"CRLF before", "vip && sorce\r\n== \"web\"", `unknown name "sorce" (did you mean "source"?) (1:8)`, "vip && sorce\n       ^"},
		{"lone CR", "vip &&\rsorce == \"web\"", `unknown name "sorce" (did you mean "source"?) (2:1)`, "sorce == \"web\"\n^"},
		{"lone CR after", "vip && sorce\r== \"web\"", `unknown name "sorce" (did you mean "source"?) (1:8)`, "vip && sorce\n       ^"},
		{"CR CR", "vip &&\r\r  sorce == \"web\"", `unknown name "sorce" (did you mean "source"?) (3:3)`, "  sorce == \"web\"\n  ^"},
		{"line separator", "vip &&\u2028 sorce == \"web\"", `unknown name "sorce" (did you mean "source"?) (2:2)`, " sorce == \"web\"\n ^"},
		{"paragraph separator", "vip && sorce\u2029== \"web\"", `unknown name "sorce" (did you mean "source"?) (1:8)`, "vip && sorce\n       ^"},
		{"next line", "vip &&\u0085sorce == \"web\"", `unknown name "sorce" (did you mean "source"?) (2:1)`, "sorce == \"web\"\n^"},
		{"every break", "vip\r\n&&\r(\u2028vip ||\u2029\u0085\n sorce == \"x\")", `unknown name "sorce" (did you mean "source"?) (7:2)`, " sorce == \"x\")\n ^"},
		// Other control characters do not end a line, and are escaped so
		// that the caret still stands under the position.
		{"vertical tab", "vip &&\vsorce == \"web\"", `unknown name "sorce" (did you mean "source"?) (1:8)`, "vip &&\\x0bsorce == \"web\"\n          ^"},
		{"escape in a string", "\"\x1b[2J\" == sorce", `unknown name "sorce" (did you mean "source"?) (1:11)`, "\"\\x1b[2J\" == sorce\n             ^"},
		{"override in a string", "\"\u202e\" == sorce", `unknown name "sorce" (did you mean "source"?) (1:8)`, "\"\\u202e\" == sorce\n            ^"},
		{"tab", "vip &&\t\tsorce", `unknown name "sorce" (did you mean "source"?) (1:9)`, "vip &&  sorce\n        ^"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Compile(c.src, eventEnv(), TypeBool)
			fe, ok := err.(*Error)
			if !ok {
				t.Fatalf("error %T %v", err, err)
			}
			if got := fe.Error(); got != c.err {
				t.Errorf("Error() = %q, want %q", got, c.err)
			}
			if got := fe.Snippet(); got != c.snippet {
				t.Errorf("Snippet() =\n%q, want\n%q", got, c.snippet)
			}
		})
	}
}

// Line and Col count the lines as the snippet shows them: the snippet's first
// line is line Line of the source, split at every line break, with nothing in
// it that a terminal would act on, and Col is the position in it.
func TestErrorLinesProp(t *testing.T) {
	breaks := regexp.MustCompile("\r\n|[\n\r\u0085\u2028\u2029]")
	rapid.Check(t, func(t *rapid.T) {
		runes := rapid.SliceOfN(rapid.SampledFrom([]rune{
			'a', ' ', '\t', '\n', '\r', '\v', '\x1b', 0x85, 0x2028, 0x2029, 0x202e, 'é', '世',
		}), 0, 30).Draw(t, "src")
		src := string(runes)
		pos := rapid.IntRange(0, len(runes)).Draw(t, "pos")
		e := newError(src, pos, CodeSyntax, "x")
		lines := breaks.Split(src, -1)
		if e.Line < 1 || e.Line > len(lines) {
			t.Fatalf("line %d of %d", e.Line, len(lines))
		}
		line := lines[e.Line-1]
		if !strings.HasPrefix(src[e.Pos:], "\n") || !strings.HasSuffix(src[:e.Pos], "\r") {
			// (a position between the two of a CR LF is past its line)
			if got := e.Col - 1; got > utf8.RuneCountInString(line) || !strings.HasPrefix(src[e.Pos:], string([]rune(line)[got:])) {
				t.Fatalf("col %d on line %q", e.Col, line)
			}
		}
		shown, caret, ok := strings.Cut(e.Snippet(), "\n")
		if !ok || strings.Contains(caret, "\n") || strings.Trim(caret, " ") != "^" {
			t.Fatalf("snippet %q", e.Snippet())
		}
		if want := display.Text(strings.ReplaceAll(line, "\t", " ")); shown != want {
			t.Fatalf("snippet shows %q, want %q", shown, want)
		}
		if strings.ContainsFunc(shown, func(r rune) bool { return unicode.IsControl(r) || r == 0x2028 || r == 0x2029 || r == 0x202e }) {
			t.Fatalf("snippet line %q holds a control character", shown)
		}
	})
}
