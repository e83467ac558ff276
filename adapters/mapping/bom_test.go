package mapping

import (
	"testing"
)

// A byte order mark does not make the line it starts non-blank: a table
// saved with one and a blank line (spaces or tabs) before its header reads
// as the table without them. Before, the mark counted as text of that line,
// which was then read as a header of one column, and every column of the
// mapping was missing.
func TestLoadCSVByteOrderMarkThenBlankLine(t *testing.T) {
	m := compileText(t, `timezone: UTC
key: [id]
columns:
  id: {type: string}
  a: {type: string}
  d: {type: date}
events:
  - {kind: k, time: d, actor: a}
`)
	want := `{"id":"k:1","kind":"k","time":"2020-01-01T00:00:00Z","actor":"x"}` + "\n"
	for _, table := range []string{
		"\xef\xbb\xbf  \nid,a,d\n1,x,2020-01-01\n",
		"\xef\xbb\xbf\t\r\nid,a,d\r\n1,x,2020-01-01",
		"\xef\xbb\xbf \n \nid,a,d\n1,x,2020-01-01\n",
		"\xef\xbb\xbfid,a,d\n1,x,2020-01-01\n",
	} {
		got, err := versions(t, m, table, "t.csv")
		if err != nil {
			t.Errorf("%q: %v", table, err)
			continue
		}
		if s := string(ndjson(t, got)); s != want {
			t.Errorf("%q: got\n%s", table, s)
		}
	}
	// A line of only the mark is blank too.
	if _, err := versions(t, m, "\xef\xbb\xbf", "t.csv"); err == nil || err.Error() != "t.csv:1: missing header row" {
		t.Errorf("only a mark: %v", err)
	}
}
