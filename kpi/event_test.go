package kpi_test

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// TestValidateRefusesControlCharacters: ids, kinds, actors, currencies and
// attribute names are identifiers and may not carry control characters or
// invalid UTF-8 (an actor that clears the terminal when a report prints it);
// attribute values are data and may.
func TestValidateRefusesControlCharacters(t *testing.T) {
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	ok := func() kpi.Event {
		return kpi.Event{ID: "e1", Kind: "deal.won", Time: at, Actor: "anna", Currency: "RUB", Attrs: map[string]any{"source": "web"}}
	}
	cases := []struct {
		name string
		edit func(e *kpi.Event)
		want string
	}{
		{"clean", func(e *kpi.Event) {}, ""},
		{"formula actor is data", func(e *kpi.Event) { e.Actor = `=HYPERLINK("http://x","y")` }, ""},
		{"attribute value", func(e *kpi.Event) { e.Attrs["source"] = "\u001b[2J" }, ""},
		{"unicode actor", func(e *kpi.Event) { e.Actor = "Анна" }, ""},
		{"id", func(e *kpi.Event) { e.ID = "e1\n" }, `event id "e1\n" has a control character (U+000A)`},
		{"id of a retraction", func(e *kpi.Event) { e.ID = "e1\x00"; e.Deleted = true }, `event id "e1\x00" has a control character (U+0000)`},
		{"kind", func(e *kpi.Event) { e.Kind = "deal.won\t" }, `event "e1": kind "deal.won\t" has a control character (U+0009)`},
		{"actor", func(e *kpi.Event) { e.Actor = "\u001b[2J" }, `event "e1": actor "\x1b[2J" has a control character (U+001B)`},
		{"actor C1", func(e *kpi.Event) { e.Actor = "a\u009b2J" }, `event "e1": actor "a\u009b2J" has a control character (U+009B)`},
		{"actor DEL", func(e *kpi.Event) { e.Actor = "a\x7f" }, `event "e1": actor "a\x7f" has a control character (U+007F)`},
		{"actor invalid UTF-8", func(e *kpi.Event) { e.Actor = "a\xff" }, `event "e1": actor "a\xff" is not valid UTF-8`},
		{"currency", func(e *kpi.Event) { e.Currency = "RU\rB" }, `event "e1": currency "RU\rB" has a control character (U+000D)`},
		{"attribute name", func(e *kpi.Event) { e.Attrs = map[string]any{"so\u001burce": "web"} }, `event "e1": attribute name "so\x1burce" has a control character (U+001B)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := ok()
			c.edit(&e)
			err := e.Validate()
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != c.want {
				t.Errorf("Validate() = %q, want %q", got, c.want)
			}
		})
	}
}

// TestValidateNamesTheFirstBadAttribute: of several bad attributes, the
// error names the first by name, every time (a map's order is random).
func TestValidateNamesTheFirstBadAttribute(t *testing.T) {
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		attrs map[string]any
		want  string
	}{
		{map[string]any{"z\x01": "x", "b\x02": "x", "m": []int{1}, "a": "fine"}, `event "e1": attribute name "b\x02" has a control character (U+0002)`},
		{map[string]any{"z\x01": "x", "m": []int{1}, "c": 1.5}, `event "e1": attribute "c": unsupported value of type float64 (want string, int64, decimal.Decimal, bool or time.Time)`},
		{map[string]any{"z\x01": "x", "": "x", "c": 1.5}, `event "e1" has an attribute without a name`},
	} {
		for range 50 {
			e := kpi.Event{ID: "e1", Kind: "call", Time: at, Attrs: tc.attrs}
			if err := e.Validate(); err == nil || err.Error() != tc.want {
				t.Fatalf("Validate() = %v, want %s", err, tc.want)
			}
		}
	}
}
