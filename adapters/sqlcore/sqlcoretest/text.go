package sqlcoretest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// TestAttrNUL checks a string attribute holding U+0000, which a valid
// event may carry: Apply either stores it, and Scan gives it back as it
// was, or refuses the batch with an error that names the event and the
// attribute, and applies nothing of it.
func TestAttrNUL(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	good := kpi.Event{ID: "good", Kind: "call", Time: t0, Actor: "u1", Attrs: map[string]any{"note": "fine"}}
	nul := kpi.Event{ID: "nul", Kind: "call", Time: t0, Actor: "u1", Attrs: map[string]any{"note": "a\x00b"}}
	if err := nul.Validate(); err != nil {
		t.Fatalf("the event is not valid: %v", err)
	}
	err := s.Apply(ctx, good, nul)
	var got []kpi.Event
	if serr := s.Scan(ctx, kpi.Query{}, func(e *kpi.Event) error { got = append(got, e.Clone()); return nil }); serr != nil {
		t.Fatal(serr)
	}
	if err != nil {
		if msg := err.Error(); !strings.Contains(msg, `"nul"`) || !strings.Contains(msg, `"note"`) {
			t.Errorf("the refusal %q names neither the event nor its attribute", msg)
		}
		if len(got) != 0 {
			t.Errorf("a refused batch left %d events", len(got))
		}
		return
	}
	for _, e := range got {
		if e.ID == "nul" && e.Attrs["note"] != "a\x00b" {
			t.Errorf("note came back as %q, want %q", e.Attrs["note"], "a\x00b")
		}
	}
	if len(got) != 2 {
		t.Errorf("got %d events, want 2", len(got))
	}
}
