package eventfile_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// Empty objects and arrays are valid JSON wherever a value may stand: a
// deletion, whose other fields are not checked, may hold them, and a field
// or attribute that may not is named for what it holds, never reported as
// invalid JSON.
func TestNDJSONEmptyContainers(t *testing.T) {
	const base = `"id":"1","kind":"call","time":"2025-01-01T00:00:00Z","actor":"u1"`
	good := []string{
		`{"id":"1","deleted":true,"attrs":{"a":{}}}`,
		`{"id":"1","deleted":true,"attrs":{"a":[]}}`,
		`{"id":"1","deleted":true,"attrs":{"a":[{},[],{"b":[]}],"c":{ }}}`,
		`{"id":"1","deleted":true,"amount":{},"kind":[ ]}`,
	}
	for _, in := range good {
		var got []string
		host := eventfile.StoreFunc(func(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
			return fn(func(e *kpi.Event) error {
				got = append(got, fmt.Sprintf("%s deleted=%t", e.ID, e.Deleted))
				return nil
			})
		})
		if err := eventfile.Load(context.Background(), host, strings.NewReader(in+"\n"), "f.ndjson", eventfile.Options{}); err != nil {
			t.Errorf("%s: %v", in, err)
		} else if len(got) != 1 || got[0] != "1 deleted=true" {
			t.Errorf("%s: got %q, want one retraction of 1", in, got)
		}
	}
	bad := []struct{ in, want string }{
		{`{` + base + `,"attrs":{"a":{}}}`, `f.ndjson:1: attrs.a: objects are not allowed`},
		{`{` + base + `,"attrs":{"a":[]}}`, `f.ndjson:1: attrs.a: arrays are not allowed`},
		{`{` + base + `,"attrs":{"a":[],"b":1}}`, `f.ndjson:1: attrs.a: arrays are not allowed`},
		{`{` + base + `,"amount":{}}`, `f.ndjson:1: amount: want a decimal string or number, got object`},
		{`{` + base + `,"amount":[]}`, `f.ndjson:1: amount: want a decimal string or number, got array`},
		{`{` + base + `,"attrs":{"a":[}}`, `f.ndjson:1: invalid JSON at column 82: want a value, got '}'`},
	}
	for _, c := range bad {
		st := memory.New(time.UTC)
		err := eventfile.Load(context.Background(), st, strings.NewReader(c.in+"\n"), "f.ndjson", eventfile.Options{})
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: got %v, want %s", c.in, err, c.want)
		}
	}
}
