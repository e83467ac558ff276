package colstore

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// A version refused after its attributes were coded (here for its actor)
// takes no room from the limit of attribute names: the table has room for
// one more name, and a refused version bringing a new one leaves it for the
// next version, whose own new name is then the table's last. The names of
// a refused version are not found in the table either.
func TestRefusedVersionLeavesTheNamesLimit(t *testing.T) {
	for _, chunk := range []bool{false, true} {
		tab := New(time.UTC)
		if chunk {
			tab = NewChunk(time.UTC)
		}
		for i := range (MaxAttrNames - 1) / MaxEventAttrs {
			attrs := map[string]any{}
			for j := range MaxEventAttrs {
				attrs[fmt.Sprintf("n%d_%d", i, j)] = "v"
			}
			apply(t, tab, Input{ID: fmt.Sprint("f", i), Kind: "call", Time: t0, Actor: "a", Attrs: attrs})
		}
		for tab.AttrNames() < MaxAttrNames-1 {
			apply(t, tab, Input{ID: fmt.Sprint("g", tab.AttrNames()), Kind: "call", Time: t0, Actor: "a", Attrs: map[string]any{fmt.Sprint("m", tab.AttrNames()): "v"}})
		}
		for _, bad := range []Input{
			{ID: "bad-actor", Kind: "call", Time: t0, Actor: "a\x00b", Attrs: map[string]any{"x1": "v", "x2": "w"}},
			{ID: "bad-currency", Kind: "call", Time: t0, Actor: "a", Currency: "R\x01B", Attrs: map[string]any{"x3": "v"}},
			{ID: "bad-kind", Kind: "c\x02", Time: t0, Actor: "a", Attrs: map[string]any{"x4": "v"}},
		} {
			if err := tab.Apply(&bad); err == nil {
				t.Fatalf("%s was taken", bad.ID)
			}
		}
		if n := tab.AttrNames(); n != MaxAttrNames-1 {
			t.Errorf("chunk %v: %d names after the refused versions, want %d", chunk, n, MaxAttrNames-1)
		}
		for _, name := range []string{"x1", "x2", "x3", "x4"} {
			if _, ok := tab.attrIdx.lookup(name); ok {
				t.Errorf("chunk %v: the name %s of a refused version is in the table", chunk, name)
			}
		}
		apply(t, tab, Input{ID: "last", Kind: "call", Time: t0, Actor: "a", Attrs: map[string]any{"y": "v"}})
		err := tab.Apply(&Input{ID: "past", Kind: "call", Time: t0, Actor: "a", Attrs: map[string]any{"z": "v"}})
		if err == nil || !strings.Contains(err.Error(), "too many distinct attribute names") {
			t.Errorf("chunk %v: a name past the limit: %v", chunk, err)
		}
	}
}
