package eventfile

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
)

// An identifier (id, kind, actor, currency, an attribute name) with an
// escaped lone surrogate is refused, naming the line and the field: read
// as U+FFFD, as an attribute value's is, "a\ud800" and "a\udbff" were one
// id, and the second line replaced the first without a word.
func TestLoneSurrogate(t *testing.T) {
	const why = `an escaped lone surrogate (a \ud800 to \udfff escape without its pair) stands for no character`
	line := func(id, kind, actor, extra string) string {
		return `{"id":"` + id + `","kind":"` + kind + `","time":"2025-01-01T00:00:00Z","actor":"` + actor + `"` + extra + `}`
	}
	tests := []struct{ name, line, want string }{
		{"id, high", line(`a\ud800`, "call", "u1", ""), "id: " + why},
		{"id, low", line(`\udfffa`, "call", "u1", ""), "id: " + why},
		{"id, high before a non-low escape", line(`\ud83d\u0041`, "call", "u1", ""), "id: " + why},
		{"id of a retraction", `{"id":"a\udbff","deleted":true}`, "id: " + why},
		{"kind", line("1", `call\udc00`, "u1", ""), "kind: " + why},
		{"actor", line("1", "call", `u\ud800`, ""), "actor: " + why},
		{"currency", line("1", "call", "u1", `,"amount":"1","currency":"RU\udc00"`), "currency: " + why},
		{"attribute name", line("1", "call", "u1", `,"attrs":{"s\ud800":"x"}`), "attrs: attribute name \"s\ufffd\": " + why},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := lines(`{"id":"0","kind":"call","time":"2025-01-01T00:00:00Z","actor":"u1"}`, tt.line)
			_, msg := readAll(t, NDJSON, in, Options{})
			if want := "f:2: " + tt.want; msg != want {
				t.Errorf("got  %s\nwant %s", msg, want)
			}
		})
	}

	// A pair, and a lone surrogate in an attribute value (data, a cut
	// emoji), are read as before.
	got, msg := readAll(t, NDJSON, lines(line(`a\ud83d\ude00`, "call", "u1", `,"attrs":{"s":"\ud83d"}`)), Options{})
	if msg != "" || len(got) != 1 || got[0] != "1: a😀 call 2025-01-01T00:00:00Z[0] u1 s=string(\ufffd)" {
		t.Errorf("got %q, error %q", got, msg)
	}

	// Loaded into a store, the two ids are refused, not made one.
	s := memory.New(time.UTC)
	err := Load(context.Background(), s, strings.NewReader(lines(line(`a\ud800`, "call", "u1", ""), line(`a\udbff`, "call", "u2", ""))), "events.ndjson", Options{})
	if want := "events.ndjson:1: id: " + why + "\nevents.ndjson:2: id: " + why; errText(err) != want {
		t.Errorf("Load: got\n%v\nwant\n%s", err, want)
	}
	if s.Len() != 0 {
		t.Errorf("the store holds %d events, want none", s.Len())
	}
}
