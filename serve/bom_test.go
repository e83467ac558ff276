package serve

import (
	"encoding/json"
	"testing"
)

// A body that starts with a UTF-8 byte order mark (as tools on Windows
// write it) is read as the same body without it, in every shape: the
// sniffing of an array already looks past the mark, and so must the array's
// reader; a bad line keeps its number.
func TestIngestByteOrderMark(t *testing.T) {
	const bom = "\ufeff"
	cases := []struct {
		name, ctype, body string
		code              int
		lines             []badLine
	}{
		{"array", "application/json", bom + `[{"id":"b1","kind":"call","time":"2025-03-05T10:00:00Z","actor":"n1"}]`, 200, nil},
		{"sniffed array", "", bom + `[{"id":"b2","kind":"call","time":"2025-03-05T10:00:00Z","actor":"n1"}]`, 200, nil},
		{"ndjson", "application/x-ndjson", bom + `{"id":"b3","kind":"call","time":"2025-03-05T10:00:00Z","actor":"n1"}`, 200, nil},
		{"csv", "text/csv", bom + "id,kind,time,actor\r\nb4,call,2025-03-05T10:00:00Z,n1\r\n", 200, nil},
		{"array, bad second line", "application/json", bom + "[\n" + `{"id":"b5","kind":"call","time":"2025-02-30T10:00:00Z","actor":"n1"}]`, 400,
			[]badLine{{Line: 2, Element: 1, Message: `time: "2025-02-30T10:00:00Z" is not a real date: February 2025 has 28 days`}}},
	}
	f := newFixture(t, nil)
	applied := 0
	for _, c := range cases {
		w := f.do("POST", "/api/v1/events", writerToken, c.ctype, []byte(c.body))
		if w.Code != c.code {
			t.Errorf("%s: %d %s, want %d", c.name, w.Code, w.Body, c.code)
			continue
		}
		if c.code != 200 {
			var eb errorBody
			if err := json.Unmarshal(w.Body.Bytes(), &eb); err != nil || len(eb.Lines) != len(c.lines) || (len(c.lines) > 0 && eb.Lines[0] != c.lines[0]) {
				t.Errorf("%s: %s, want lines %+v", c.name, w.Body, c.lines)
			}
			continue
		}
		applied++
		var res ingestResult
		if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || res != (ingestResult{1, 1, 0}) {
			t.Errorf("%s: %s", c.name, w.Body)
		}
	}
	if n := f.tr.Indicators().Len(); n != applied {
		t.Errorf("live events: %d, want %d", n, applied)
	}
}
