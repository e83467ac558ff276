package colstore

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// exactDecimal is a decimal's coefficient and exponent: the reference's
// identity of a value, where decimal.Equal is its value's.
type exactDecimal struct {
	c string
	e int32
}

func exactOf(d decimal.Decimal) exactDecimal {
	return exactDecimal{d.Coefficient().String(), d.Exponent()}
}

// An attribute's dictionary gives two decimals one code exactly when they
// have the same coefficient and exponent, and a table reads each event's
// decimal back as given, before and after a snapshot: 0 and 0.0, 1 and
// 1.00 are equal in value but each its own value (a 0.0 applied after a 0
// read back as 0). The reference compares coefficients' digits and
// exponents.
func TestDecimalValuesKeepTheirExponent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		gen := rapid.Custom(func(t *rapid.T) decimal.Decimal {
			return decimal.New(rapid.Int64Range(-2, 2).Draw(t, "coef"), rapid.Int32Range(-3, 1).Draw(t, "exp"))
		})
		d := newValueDict()
		tab := New(time.UTC)
		var log versionLog
		first := map[exactDecimal]uint32{}
		var given []decimal.Decimal
		for i := range rapid.IntRange(1, 30).Draw(t, "n") {
			v := gen.Draw(t, "v")
			given = append(given, v)
			code, err := d.code(v)
			if err != nil {
				t.Fatal(err)
			}
			k := exactOf(v)
			if c, ok := first[k]; ok && c != code {
				t.Fatalf("%s (exponent %d): code %d, first %d", v, v.Exponent(), code, c)
			}
			for o, c := range first {
				if o != k && c == code {
					t.Fatalf("%s (exponent %d) has the code of %s×10^%d", v, v.Exponent(), o.c, o.e)
				}
			}
			first[k] = code
			if got := d.vals[code].(decimal.Decimal); exactOf(got) != k {
				t.Fatalf("%s (exponent %d) reads back as %s (exponent %d)", v, v.Exponent(), got, got.Exponent())
			}
			if err := tab.Apply(&Input{ID: fmt.Sprint(i), Kind: "deal", Time: t0, Actor: "a", Attrs: map[string]any{"d": v}}); err != nil {
				t.Fatal(err)
			}
			log.segs, log.ids = append(log.segs, 0), append(log.ids, "") // one kind: one segment
		}
		var snap bytes.Buffer
		w := NewWriter(&snap)
		tab.Freeze().Encode(w)
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		decoded, err := Decode(NewReader(&snap), time.UTC, log.versions)
		if err != nil {
			t.Fatal(err)
		}
		for _, tb := range []*Table{tab, decoded} {
			var r Row
			s := tb.Segs[0]
			for i, v := range given {
				tb.Read(s, i, &r)
				if got := r.Attrs["d"].(decimal.Decimal); exactOf(got) != exactOf(v) {
					t.Fatalf("event %d: %s (exponent %d) reads back as %s (exponent %d)", i, v, v.Exponent(), got, got.Exponent())
				}
			}
		}
	})
}
