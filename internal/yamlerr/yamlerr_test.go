package yamlerr

import (
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestLocate(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		msg      string
	}{
		// The library says line 3, the line of "won", for both.
		{"tab on line 4", "timezone: UTC\nindicators:\n  - id: won\n\tkinds: [deal.won]\n    aggregate: count\n",
			4, "a tab in the indentation: YAML indents with spaces only"},
		{"unclosed [ on line 4", "timezone: UTC\nindicators:\n  - id: won\n    kinds: [deal.won\n    aggregate: count\nreport: {grain: month}\n",
			4, `the list opened with "[" here is not closed: a "," or "]" is missing`},
		{"unclosed [ on line 1", "kinds: [deal.won\n", 1, `the list opened with "[" here is not closed: a "," or "]" is missing`},
		{"unclosed [ after a closed one", "a: [1]\nb: [2\n", 2, `the list opened with "[" here is not closed: a "," or "]" is missing`},
		{"unclosed {", "a: 1\nkinds: {a: 1\n", 2, `the mapping opened with "{" here is not closed: a "," or "}" is missing`},
		{"tab on line 2", "a: 1\n\tb: 2\n", 2, "a tab in the indentation: YAML indents with spaces only"},
		{"tab on line 1", "\ta: 1\n", 1, "a tab in the indentation: YAML indents with spaces only"},
		{"tab in a block scalar", "a: |\n  x\n\ty\n", 3, "a tab in the indentation: YAML indents with spaces only"},
		{"unclosed quote on line 1", "a: 'x\n", 1, "the quoted text that starts here is never closed"},
		{"unclosed quote on line 2", "a: 1\nb: \"x\n\n", 2, "the quoted text that starts here is never closed"},
		{"key out of line", "a:\n  b: 1\n c: 2\n", 3, "did not find expected key"},
		{"mapping in a value", "a: b: c\n", 1, "mapping values are not allowed in this context"},
		{"mapping in a value, line 4", "a: 1\nb:\n  c: 1\n   d: 2\n", 4, "mapping values are not allowed in this context"},
		{"list ends early", "holidays: [\n", 1, "the file ends where a value is expected"},
		{"list ends after a comma", "{\"units\": [{\"id\": \"u\"},\n", 1, "the file ends where a value is expected"},
		{"json trailing comma", "{\n  \"holidays\": [\"2025-01-01\",\n}\n", 3, "did not find expected node content"},
		// The library ends a line at a carriage return, a line feed, the
		// two together, a next line (U+0085), a line separator (U+2028) or a
		// paragraph separator (U+2029), and numbers its nodes so: the
		// problems it finds are on the lines it counts, as a file of old Mac
		// line endings holds them.
		// The library's reader refuses a character with no line at all.
		{"NUL on line 3", "a: 1\nb: 2\nc: x\x00y\n", 3, "the control character U+0000 in column 5 is not allowed"},
		{"bad byte on line 2, CR LF", "a: 1\r\nb: \xff\r\n", 2, "the byte 0xFF in column 4 is not UTF-8: save the file as UTF-8"},
		{"escape after a line separator", "a: 1\u2028b: \x1b\n", 2, "the control character U+001B in column 4 is not allowed"},
		{"unclosed [ on line 3, CR", "a: 1\rb: x\rc: [1, 2\rd: 3\r", 3, `the list opened with "[" here is not closed: a "," or "]" is missing`},
		{"unclosed [ on line 3, CR LF", "a: 1\r\nb: x\r\nc: [1, 2\r\nd: 3\r\n", 3, `the list opened with "[" here is not closed: a "," or "]" is missing`},
		{"tab on line 3, CR", "a: 1\rb: x\r\tc: 3\r", 3, "a tab in the indentation: YAML indents with spaces only"},
		{"tab on line 3, NEL", "a: 1\u0085b: x\u0085\tc: 3\u0085", 3, "a tab in the indentation: YAML indents with spaces only"},
		{"unclosed quote on line 2, CR", "a: 1\rb: \"x\rc: 3\r", 2, "the quoted text that starts here is never closed"},
		{"unclosed quote on line 2, LS", "a: 1\u2028b: \"x\u2028c: 3\u2028", 2, "the quoted text that starts here is never closed"},
		{"list ends early, CR", "a: 1\rb: [\r\r", 2, "the file ends where a value is expected"},
		{"list ends early, PS", "a: 1\u2029b: [\u2029", 2, "the file ends where a value is expected"},
		{"mapping in a value, line 4, CR", "a: 1\rb:\r  c: 1\r   d: 2\r", 4, "mapping values are not allowed in this context"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n yaml.Node
			err := yaml.Unmarshal([]byte(tt.in), &n)
			if err == nil {
				t.Fatal("no error")
			}
			line, msg := Locate([]byte(tt.in), err)
			if line != tt.line || msg != tt.msg {
				t.Fatalf("Locate(%v) = %d, %q; want %d, %q", err, line, msg, tt.line, tt.msg)
			}
		})
	}
}
