package colstore

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// genInputs draws event versions over a few ids, numeric and not: new
// events, corrections, retractions and re-instatements, with amounts of
// every scale (and some too large for int64 units), currencies, attributes
// of every type, some in few rows (sparse columns), and known times.
func genInputs(t *rapid.T) []Input {
	ids := []string{"1", "2", "4097", "9000", "a", "b-1", "c"}
	n := rapid.IntRange(0, 80).Draw(t, "n")
	out := make([]Input, n)
	for i := range out {
		id := rapid.SampledFrom(ids).Draw(t, "id")
		if rapid.IntRange(0, 5).Draw(t, "deleted") == 0 {
			out[i] = Input{ID: id, Deleted: true}
			continue
		}
		in := Input{
			ID:    id,
			Kind:  rapid.SampledFrom([]string{"call", "deal", "lead"}).Draw(t, "kind"),
			Actor: rapid.SampledFrom([]string{"", "ann", "bob", "cy"}).Draw(t, "actor"),
			Time:  t0.Add(time.Duration(rapid.IntRange(-3000, 3000).Draw(t, "minute")) * time.Minute),
		}
		if rapid.Bool().Draw(t, "amount") {
			in.Amount = amount(rapid.SampledFrom([]string{"1", "1.5", "-2.25", "0.001", "3.14159", "1e25", "92233720368547758.07"}).Draw(t, "units"))
		}
		if rapid.IntRange(0, 3).Draw(t, "currency") == 0 {
			in.Currency = rapid.SampledFrom([]string{"RUB", "USD"}).Draw(t, "cur")
		}
		attrs := map[string]any{}
		if rapid.Bool().Draw(t, "source") {
			attrs["source"] = rapid.SampledFrom([]string{"web", "partner", "ads"}).Draw(t, "source value")
		}
		if rapid.IntRange(0, 9).Draw(t, "rare") == 0 {
			attrs["rare"] = rapid.SampledFrom([]any{int64(7), true, decimal.RequireFromString("2.5"), t0}).Draw(t, "rare value")
		}
		if len(attrs) > 0 {
			in.Attrs = attrs
		}
		if rapid.IntRange(0, 7).Draw(t, "known") == 0 {
			in.Known = t0.Add(time.Duration(i) * time.Hour)
		}
		out[i] = in
	}
	return out
}

// dump renders everything a table holds that a reader can see: every row
// of every segment, dead ones included, and what each id leads to.
func dump(tab *Table, ids []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "live %d dead %d\n", tab.Live(), tab.Dead())
	var r Row
	for _, s := range tab.Segs {
		fmt.Fprintf(&b, "segment %s: %d rows\n", s.Kind, s.N)
		for i := 0; i < s.N; i++ {
			tab.Read(s, i, &r)
			keys := make([]string, 0, len(r.Attrs))
			for k, v := range r.Attrs {
				keys = append(keys, fmt.Sprintf("%s=%v(%T)", k, v, v))
			}
			slices.Sort(keys)
			amt := "-"
			if r.Amount.Valid {
				amt = r.Amount.Decimal.String()
			}
			fmt.Fprintf(&b, "  %s %s %s %s %s %v %v alive=%v retracted=%v day=%v\n", r.ID, r.Time.UTC().Format(time.RFC3339),
				r.Actor, amt, r.Currency, keys, r.Known.UnixNano(), s.Alive(i), !s.Alive(i) && s.Retracted(i), s.LocalDay(i))
		}
	}
	for _, id := range ids {
		s, row, ok := tab.Lookup(id)
		if ok {
			fmt.Fprintf(&b, "id %s: %s row %d\n", id, s.Kind, row)
		} else {
			fmt.Fprintf(&b, "id %s: none\n", id)
		}
	}
	return b.String()
}

// TestMergeMatchesApply checks that a table that takes versions in chunks
// (Merge), after some it applied itself, holds what a table that applied
// every version in turn holds: every row, dead ones included, and what
// every id leads to.
func TestMergeMatchesApply(t *testing.T) {
	loc := time.FixedZone("MSK", 3*3600)
	ids := []string{"1", "2", "4097", "9000", "a", "b-1", "c", "5"}
	rapid.Check(t, func(t *rapid.T) {
		ins := genInputs(t)
		want := New(loc)
		for i := range ins {
			if err := want.Apply(&ins[i]); err != nil {
				t.Fatal(err)
			}
		}
		// Split the versions: a prefix applied, then chunks.
		cuts := []int{rapid.IntRange(0, len(ins)).Draw(t, "prefix")}
		for k := rapid.IntRange(0, 4).Draw(t, "chunks"); k > 0; k-- {
			cuts = append(cuts, rapid.IntRange(cuts[len(cuts)-1], len(ins)).Draw(t, "cut"))
		}
		cuts = append(cuts, len(ins))
		got := New(loc)
		for i := range ins[:cuts[0]] {
			if err := got.Apply(&ins[i]); err != nil {
				t.Fatal(err)
			}
		}
		var chunks []*Table
		for k := 1; k < len(cuts); k++ {
			c := NewChunk(loc)
			for i := cuts[k-1]; i < cuts[k]; i++ {
				if err := c.Apply(&ins[i]); err != nil {
					t.Fatal(err)
				}
			}
			chunks = append(chunks, c)
		}
		if err := got.Merge(chunks, rapid.IntRange(1, 3).Draw(t, "workers")); err != nil {
			t.Fatal(err)
		}
		if g, w := dump(got, ids), dump(want, ids); g != w {
			t.Fatalf("merged:\n%s\napplied in turn:\n%s", g, w)
		}
		// The merged table goes on taking versions as the other does.
		goOnAlike(t, got, want, Input{ID: "a", Kind: "call", Time: t0, Actor: "dee", Attrs: map[string]any{"source": "web", "rare": "x"}, Currency: "EUR"}, ids)
	})
}

// goOnAlike applies one more version to a table filled another way (got)
// and to one that applied every version in turn (want), and checks that
// they still hold the same.
func goOnAlike(t interface {
	Fatal(...any)
	Fatalf(string, ...any)
}, got, want *Table, more Input, ids []string) {
	m2 := more
	if err := got.Apply(&more); err != nil {
		t.Fatal(err)
	}
	if err := want.Apply(&m2); err != nil {
		t.Fatal(err)
	}
	if g, w := dump(got, ids), dump(want, ids); g != w {
		t.Fatalf("after one more version:\n%s\napplied in turn:\n%s", g, w)
	}
}

// TestMergeRefusesWhole checks the limits Merge checks before it changes
// anything.
func TestMergeRefusesWhole(t *testing.T) {
	tab := New(time.UTC)
	apply(t, tab, Input{ID: "1", Kind: "call", Time: t0, Actor: "a"})
	before := dump(tab, []string{"1", "2"})
	other := NewChunk(time.FixedZone("X", 3600))
	if err := other.Apply(&Input{ID: "2", Kind: "call", Time: t0, Actor: "a"}); err != nil {
		t.Fatal(err)
	}
	if err := tab.Merge([]*Table{other}, 1); err == nil || !strings.Contains(err.Error(), "dated in") {
		t.Fatalf("a chunk in another zone: %v", err)
	}
	// Two chunks with MaxAttrNames names each, all different.
	var chunks []*Table
	for k := range 2 {
		c := NewChunk(time.UTC)
		for i := range MaxAttrNames / MaxEventAttrs {
			attrs := map[string]any{}
			for j := range MaxEventAttrs {
				attrs[fmt.Sprintf("n%d_%d_%d", k, i, j)] = "v"
			}
			if err := c.Apply(&Input{ID: fmt.Sprint(100 + i), Kind: "call", Time: t0, Actor: "a", Attrs: attrs}); err != nil {
				t.Fatal(err)
			}
		}
		chunks = append(chunks, c)
	}
	if err := tab.Merge(chunks, 2); err == nil || !strings.HasPrefix(err.Error(), `event "100": attribute "n1_0_`) || !strings.Contains(err.Error(), "too many distinct attribute names") {
		t.Fatalf("too many names: %v", err)
	}
	if after := dump(tab, []string{"1", "2"}); after != before {
		t.Fatalf("a refused merge changed the table:\n%s\nwas:\n%s", after, before)
	}
}

// TestMergeManyIDs checks Merge with many ids that are not numbers: the
// index is resized for them, then probed while the columns are copied,
// reading the ids of rows still in the chunks; with corrections and
// retractions across chunks.
func TestMergeManyIDs(t *testing.T) {
	var ins []Input
	for i := range 6000 {
		id := fmt.Sprintf("e-%d", i%2500)
		if i%7 == 3 {
			ins = append(ins, Input{ID: id, Deleted: true})
			continue
		}
		ins = append(ins, Input{ID: id, Kind: []string{"call", "deal"}[i%2], Time: t0.Add(time.Duration(i) * time.Minute), Actor: fmt.Sprintf("u%d", i%13)})
	}
	want := New(time.UTC)
	got := New(time.UTC)
	for i := range ins[:500] {
		in := ins[i]
		apply(t, got, in)
	}
	var chunks []*Table
	for _, r := range [][2]int{{500, 2500}, {2500, 4000}, {4000, 6000}} {
		c := NewChunk(time.UTC)
		for i := r[0]; i < r[1]; i++ {
			if err := c.Apply(&ins[i]); err != nil {
				t.Fatal(err)
			}
		}
		chunks = append(chunks, c)
	}
	for i := range ins {
		apply(t, want, ins[i])
	}
	if err := got.Merge(chunks, 3); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, 2501)
	for i := range ids {
		ids[i] = fmt.Sprintf("e-%d", i)
	}
	if g, w := dump(got, ids), dump(want, ids); g != w {
		t.Fatal("merged and applied in turn differ")
	}
}
