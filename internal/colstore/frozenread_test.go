package colstore

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// A frozen table reads back every row it held when it was frozen as the
// version applied, whatever the table takes after it (amounts of more
// places, which rescale every amount; amounts too big for int64 units; new
// attribute names and values; more rows of each kind): the id, kind, actor,
// instant, amount's value, currency, attributes and known instant the
// version came with. The reference is the versions themselves, in the
// order each kind's took rows.
func TestFrozenReaderReadsTheVersionsApplied(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		inputs := genInputs(t)
		cut := rapid.IntRange(0, len(inputs)).Draw(t, "cut")
		tab := New(time.UTC)
		byKind := map[string][]Input{} // the versions each kind's rows hold, before the cut
		var f *Frozen
		for i, in := range inputs {
			if i == cut {
				f = tab.Freeze()
			}
			if err := tab.Apply(&in); err != nil {
				continue // refused whole: no row
			}
			if i < cut && !in.Deleted {
				byKind[in.Kind] = append(byKind[in.Kind], in)
			}
		}
		if f == nil {
			f = tab.Freeze()
		}
		r := NewFrozenReader(f)
		rows := 0
		var got Input
		for si := range r.Segments() {
			kind := f.segs[si].kind
			want := byKind[kind]
			if r.Rows(si) != len(want) {
				t.Fatalf("segment %s: %d rows frozen, want %d", kind, r.Rows(si), len(want))
			}
			for row, w := range want {
				r.Input(si, row, &got)
				if msg := sameVersion(&got, &w); msg != "" {
					t.Fatalf("segment %s row %d: %s", kind, row, msg)
				}
			}
			rows += len(want)
		}
		n := 0
		for _, l := range byKind {
			n += len(l)
		}
		if rows != n {
			t.Fatalf("%d rows read, want %d", rows, n)
		}
	})
}

// sameVersion says how got, read back, differs from want, the version
// applied ("" when it does not).
func sameVersion(got, want *Input) string {
	switch {
	case got.ID != want.ID || got.Kind != want.Kind || got.Actor != want.Actor || got.Currency != want.Currency:
		return fmt.Sprintf("got %q %q %q %q, want %q %q %q %q", got.ID, got.Kind, got.Actor, got.Currency, want.ID, want.Kind, want.Actor, want.Currency)
	case !got.Time.Equal(want.Time):
		return fmt.Sprintf("time %v, want %v", got.Time, want.Time)
	case got.Time.Location() != time.UTC:
		return fmt.Sprintf("time in %v, want the table's location", got.Time.Location())
	case !got.Known.Equal(want.Known):
		return fmt.Sprintf("known %v, want %v", got.Known, want.Known)
	case got.Amount.Valid != want.Amount.Valid || got.Amount.Valid && got.Amount.Decimal.Cmp(want.Amount.Decimal) != 0:
		return fmt.Sprintf("amount %v, want %v", got.Amount, want.Amount)
	case got.Attrs != nil || len(got.AttrList) != len(want.Attrs):
		return fmt.Sprintf("attributes %v, want %v", got.AttrList, want.Attrs)
	}
	for _, a := range got.AttrList {
		w, ok := want.Attrs[a.Name]
		if !ok || !sameValue(a.Value, w) {
			return fmt.Sprintf("attribute %s = %v (%T), want %v (%T)", a.Name, a.Value, a.Value, w, w)
		}
	}
	return ""
}

// sameValue reports whether attribute values a and b are the same value of
// the same type: a decimal with its places, an instant.
func sameValue(a, b any) bool {
	switch b := b.(type) {
	case decimal.Decimal:
		a, ok := a.(decimal.Decimal)
		return ok && a.String() == b.String() && a.Exponent() == b.Exponent()
	case time.Time:
		a, ok := a.(time.Time)
		return ok && a.Equal(b)
	}
	return a == b
}
