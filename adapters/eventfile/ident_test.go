package eventfile_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// Ids, kinds, actors and attribute names are identifiers (FORMATS.md,
// kpi.Event.Validate): one with a control character is a bad line like any
// other, named beside the file's other bad lines whatever the store, and
// never handed to a store that does not check it itself.
func TestLoadIdentifierControlCharacters(t *testing.T) {
	const ts = "2025-01-01T00:00:00Z"
	const badTime = `time: "bad" is not an RFC 3339 time with an offset or Z`
	cases := []struct {
		name, file string
		want       []string
	}{
		{"a.csv", "id,kind,time,actor\n\"a\nb\",k," + ts + ",u\nc,k,bad,u\n",
			[]string{`a.csv:2: id: "a\nb" has a control character (U+000A)`, "a.csv:4: " + badTime}},
		{"a.csv", "id,kind,time,actor\na\x00,k," + ts + ",u\nc,k,bad,u\n",
			[]string{`a.csv:2: id: "a\x00" has a control character (U+0000)`, "a.csv:3: " + badTime}},
		{"a.csv", "id,kind,time,actor,deleted\n\"a\r\nb\",,,,true\nc,k,bad,u,\n",
			[]string{`a.csv:2: id: "a\r\nb" has a control character (U+000D)`, "a.csv:4: " + badTime}},
		{"a.csv", "id,kind,time,actor\na,deal\twon," + ts + ",u\nc,k,bad,u\n",
			[]string{`a.csv:2: kind: "deal\twon" has a control character (U+0009)`, "a.csv:3: " + badTime}},
		{"a.csv", "id,kind,time,actor\na,k," + ts + ",\x1b[2J\nc,k,bad,u\n",
			[]string{`a.csv:2: actor: "\x1b[2J" has a control character (U+001B)`, "a.csv:3: " + badTime}},
		{"a.csv", "id,kind,time,actor\na,k," + ts + ",u\u0085\nc,k,bad,u\n",
			[]string{`a.csv:2: actor: "u\u0085" has a control character (U+0085)`, "a.csv:3: " + badTime}},
		{"a.csv", "id,kind,time,actor,\"src\x1b[2J\"\na,k," + ts + ",u,web\n",
			[]string{`a.csv:1: header: column "src\x1b[2J" has a control character (U+001B)`}},
		{"a.ndjson", `{"id":"a\n","kind":"k","time":"` + ts + `","actor":"u"}` + "\n" + `{"id":"c","kind":"k","time":"bad","actor":"u"}` + "\n",
			[]string{`a.ndjson:1: id: "a\n" has a control character (U+000A)`, "a.ndjson:2: " + badTime}},
		{"a.ndjson", `{"id":"a\u0000","deleted":true}` + "\n" + `{"id":"c","kind":"k","time":"bad","actor":"u"}` + "\n",
			[]string{`a.ndjson:1: id: "a\x00" has a control character (U+0000)`, "a.ndjson:2: " + badTime}},
		{"a.ndjson", `{"id":"a","kind":"k\u007f","time":"` + ts + `","actor":"u"}` + "\n" + `{"id":"c","kind":"k","time":"bad","actor":"u"}` + "\n",
			[]string{`a.ndjson:1: kind: "k\x7f" has a control character (U+007F)`, "a.ndjson:2: " + badTime}},
		{"a.ndjson", `{"id":"a","kind":"k","time":"` + ts + `","actor":"u` + "\u009b" + `"}` + "\n" + `{"id":"c","kind":"k","time":"bad","actor":"u"}` + "\n",
			[]string{`a.ndjson:1: actor: "u\u009b" has a control character (U+009B)`, "a.ndjson:2: " + badTime}},
		{"a.ndjson", `{"id":"a","kind":"k","time":"` + ts + `","actor":"u","attrs":{"src\u001b[2J":"web"}}` + "\n" + `{"id":"c","kind":"k","time":"bad","actor":"u"}` + "\n",
			[]string{`a.ndjson:1: attrs: attribute name "src\x1b[2J" has a control character (U+001B)`, "a.ndjson:2: " + badTime}},
		{"a.ndjson", `{"id":"a","kind":"k","time":"` + ts + `","actor":"u","attrs":{"n\t":1}}` + "\n",
			[]string{`a.ndjson:1: attrs: attribute name "n\t" has a control character (U+0009)`}},
	}
	for _, c := range cases {
		want := strings.Join(c.want, "\n")
		var added []string
		host := eventfile.StoreFunc(func(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
			return fn(func(e *kpi.Event) error {
				added = append(added, e.ID)
				return nil
			})
		})
		err := eventfile.Load(context.Background(), host, strings.NewReader(c.file), c.name, eventfile.Options{})
		if err == nil || err.Error() != want {
			t.Errorf("%q into a host's store: got error\n%v\nwant\n%s", c.file, err, want)
		}
		st := memory.New(time.UTC)
		err = eventfile.Load(context.Background(), st, strings.NewReader(c.file), c.name, eventfile.Options{})
		if err == nil || err.Error() != want {
			t.Errorf("%q into a memory store: got error\n%v\nwant\n%s", c.file, err, want)
		}
		if st.Len() != 0 {
			t.Errorf("%q: the memory store kept %d events", c.file, st.Len())
		}
	}
}
