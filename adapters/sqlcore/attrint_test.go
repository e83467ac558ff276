package sqlcore

import (
	"testing"

	"github.com/goalkit/goalkit/kpi"
)

// An int attribute column's text is an int64, perhaps with a scale of
// zeros (NUMERIC 5.0, SQLite REAL 5.0); any other text is an error, never
// another number.
func TestAttrIntFromText(t *testing.T) {
	for _, c := range []struct {
		in   string
		want any
	}{
		{"5", int64(5)}, {"-12", int64(-12)}, {"5.0", int64(5)}, {"-7.000", int64(-7)},
		{"9223372036854775807", int64(9223372036854775807)},
		{"2.5", nil}, {"1e3", nil}, {"9223372036854775808", nil}, {"", nil}, {".0", nil}, {"5.", nil}, {"abc", nil},
	} {
		got, err := attrFromText(c.in, kpi.AttrInt)
		if c.want == nil {
			if err == nil {
				t.Errorf("%q: got %v, want an error", c.in, got)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: got %v (%v), want %v", c.in, got, err, c.want)
		}
	}
}

// TestAttrDecimalExponent: a decimal attribute column or JSON value whose
// exponent is past ±1000 (kpi.Event.Validate refuses it) is refused by the
// scan's reading, which names the table, the event and the column.
func TestAttrDecimalExponent(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{{"1e-1000", true}, {"1e1000", true}, {"1e-1001", false}, {"1e1001", false}, {"0.5", true}} {
		_, err := attrFromText(c.in, kpi.AttrDecimal)
		if (err == nil) != c.ok {
			t.Errorf("column %q: got %v, want ok %v", c.in, err, c.ok)
		}
		_, err = decodeAttrs(`{"x":`+c.in+`}`, false)
		if (err == nil) != c.ok {
			t.Errorf("JSON %q: got %v, want ok %v", c.in, err, c.ok)
		}
	}
}
