package refusal

import (
	"errors"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/kpi"
)

// Words gives the event's own Validate error when it has one, with the
// attributes the table was given in place of the event's own, and the
// table's error otherwise.
func TestWords(t *testing.T) {
	table := errors.New("the table's words")
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	valid := kpi.Event{ID: "e1", Kind: "deal.won", Actor: "u1", Time: at}
	noID := valid
	noID.ID = ""
	badAttrs := valid
	badAttrs.Attrs = map[string]any{"bad\x1bname": "x"}
	for _, tt := range []struct {
		name  string
		e     kpi.Event
		list  []colstore.Attr
		table bool // the table's error comes back
	}{
		{"a valid event: the table's words", valid, nil, true},
		{"an event without an id", noID, nil, false},
		{"an attribute name with a control character, in the list", valid, []colstore.Attr{{Name: "bad\x1bname", Value: "x"}}, false},
		{"the list replaces the event's attributes", badAttrs, []colstore.Attr{{Name: "source", Value: "web"}}, true},
		{"an empty list replaces them too", badAttrs, []colstore.Attr{}, true},
		{"without a list the event's own attributes", badAttrs, nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.e
			got := Words(&e, tt.list, table)
			want := table
			if !tt.table {
				v := tt.e
				if tt.list != nil {
					v.Attrs = map[string]any{}
					for _, a := range tt.list {
						v.Attrs[a.Name] = a.Value
					}
				}
				want = v.Validate()
				if want == nil {
					t.Fatal("the case's event is valid")
				}
			}
			if got == nil || got.Error() != want.Error() {
				t.Errorf("Words = %v, want %v", got, want)
			}
			if len(e.Attrs) != len(tt.e.Attrs) {
				t.Errorf("Words changed the event's attributes: %v", e.Attrs)
			}
		})
	}
}
