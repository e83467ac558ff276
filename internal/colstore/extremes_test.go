package colstore

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// Values at the ends of what a table takes come back as they went in,
// from the table and from its encoded form: instants at the ends of the
// years, amounts past int64 and of any exponent within MaxExponent, empty
// and very long strings, and attributes of every type at their ends.
func TestExtremesRoundTrip(t *testing.T) {
	east, west := time.FixedZone("E", 14*3600), time.FixedZone("W", -12*3600)
	long := strings.Repeat("ж", 1<<16)
	dec := decimal.RequireFromString
	ins := []Input{
		{ID: "1", Kind: "k", Time: time.Date(1678, 1, 1, 0, 0, 0, 0, east), Actor: "a", Amount: decimal.NewNullDecimal(decimal.New(1, 1000)),
			Attrs: map[string]any{"s": "", "i": int64(math.MinInt64), "d": decimal.New(-7, -1000), "b": false, "t": time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{ID: "2", Kind: "k", Time: time.Date(2261, 12, 31, 23, 59, 59, 999999999, west), Actor: "a", Amount: decimal.NewNullDecimal(decimal.New(-1, -1000)),
			Attrs: map[string]any{"s": long, "i": int64(math.MaxInt64), "d": decimal.New(7, 1000), "b": true, "t": time.Date(9999, 12, 31, 23, 59, 59, 999999999, east)}},
		{ID: "3", Kind: "k", Time: time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC), Actor: "a", Amount: decimal.NewNullDecimal(dec("-92233720368547758.08"))},
		{ID: "4", Kind: "k", Time: time.Date(2261, 12, 31, 23, 59, 59, 999999999, time.UTC), Actor: "a", Amount: decimal.NewNullDecimal(dec("92233720368547758.07"))},
		{ID: "5", Kind: "k", Time: t0, Actor: "a", Amount: decimal.NewNullDecimal(dec("-92233720368547758.07"))},
		{ID: "6", Kind: "k", Time: t0, Actor: "a", Amount: decimal.NewNullDecimal(dec("-92233720368547758.06"))},
		{ID: "7", Kind: "k", Time: t0, Actor: "a", Amount: decimal.NewNullDecimal(dec("123456789012345678901234567890.123456789"))},
		{ID: "8", Kind: "k", Time: t0, Actor: "a", Amount: decimal.NewNullDecimal(dec("0.0000000001"))},
		{ID: "9", Kind: "k", Time: t0, Actor: "a", Amount: decimal.NewNullDecimal(dec("-0"))},
		{ID: strings.Repeat("x", 1<<16), Kind: "k", Time: t0, Actor: long, Currency: "EUR", Amount: decimal.NewNullDecimal(dec("1"))},
	}
	tab := New(time.UTC)
	var log versionLog
	for _, in := range ins {
		log.apply(t, tab, in)
	}
	check := func(what string, tab *Table) {
		t.Helper()
		for _, in := range ins {
			seg, row, ok := tab.Lookup(in.ID)
			if !ok {
				t.Fatalf("%s: %.10s missing", what, in.ID)
			}
			var r Row
			tab.Read(seg, row, &r)
			if !r.Time.Equal(in.Time) || r.Actor != in.Actor || r.Currency != in.Currency {
				t.Errorf("%s: %.10s: time %v actor %.10q currency %q", what, in.ID, r.Time, r.Actor, r.Currency)
			}
			if r.Amount.Valid != in.Amount.Valid || !r.Amount.Decimal.Equal(in.Amount.Decimal) {
				t.Errorf("%s: %.10s: amount %v, want %v", what, in.ID, r.Amount, in.Amount)
			}
			if y, m, d := in.Time.In(time.UTC).Date(); seg.LocalDay(row).String() != time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly) {
				t.Errorf("%s: %.10s: day %v", what, in.ID, seg.LocalDay(row))
			}
			if len(r.Attrs) != len(in.Attrs) {
				t.Errorf("%s: %.10s: %d attributes, want %d", what, in.ID, len(r.Attrs), len(in.Attrs))
			}
			for name, want := range in.Attrs {
				got := r.Attrs[name]
				var same bool
				switch w := want.(type) {
				case decimal.Decimal:
					g, ok := got.(decimal.Decimal)
					same = ok && g.Equal(w)
				case time.Time:
					g, ok := got.(time.Time)
					same = ok && g.Equal(w)
				default:
					same = got == want
				}
				if !same {
					t.Errorf("%s: %.10s: %s = %.20v, want %.20v", what, in.ID, name, got, want)
				}
			}
		}
	}
	check("table", tab)
	back := encodeDecode(t, tab, &log)
	check("decoded", back)
}
