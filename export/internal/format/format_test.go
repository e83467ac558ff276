package format

import (
	"math"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/shopspring/decimal"
)

func dec(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }

func TestText(t *testing.T) {
	for _, c := range []struct {
		f    Number
		v    decimal.NullDecimal
		want string
	}{
		{Money("RUB"), dec("144001.5"), "144 001.50 ₽"},
		{Money("RUB"), dec("0.005"), "0.01 ₽"},   // half away from zero
		{Money("RUB"), dec("-0.005"), "-0.01 ₽"}, // half away from zero
		{Money("RUB"), dec("-1234567.891"), "-1 234 567.89 ₽"},
		{Money("JPY"), dec("1500.5"), "1 501 ¥"},
		{Money("USD"), dec("12"), "12.00 $"},
		{Money("XTS"), dec("3.14159"), "3.1416 XTS"}, // a currency without a known minor unit
		{Plain, dec("13.0538922155689"), "13.0539"},
		{Plain, dec("100"), "100"},
		{Plain, dec("999999.99999"), "1 000 000"},
		{Ratio, dec("0.480005"), "48.0 %"},
		{Ratio, dec("1.835"), "183.5 %"},
		{Ratio, dec("0.00049"), "0.0 %"},
		{Ratio, dec("0.00051"), "0.1 %"},
		{Plain, decimal.NullDecimal{}, "—"},
	} {
		if got := c.f.Text(c.v); got != c.want {
			t.Errorf("%+v.Text(%s) = %q, want %q", c.f, c.v.Decimal, got, c.want)
		}
	}
}

func TestGrouped(t *testing.T) {
	for in, want := range map[string]string{"1": "1", "123": "123", "1234": "1 234", "-1234567.5": "-1 234 567.5", "100000": "100 000", "0.25": "0.25"} {
		if got := Grouped(in); got != want {
			t.Errorf("Grouped(%s) = %q, want %q", in, got, want)
		}
	}
}

func TestGuard(t *testing.T) {
	for in, want := range map[string]string{"=SUM(A1)": "'=SUM(A1)", "+1": "'+1", "-1+2": "'-1+2", "@x": "'@x", "\tx": "'\tx", "\rx": "'\rx", "anna": "anna", "": "", "Выручка": "Выручка", "a=b": "a=b"} {
		if got := Guard(in); got != want {
			t.Errorf("Guard(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDoubles(t *testing.T) {
	for _, c := range []struct {
		v          string
		fits, back bool
	}{
		{"0", true, true},
		{"0.1", true, true},
		{"123456789012345", true, true},          // 15 digits
		{"1234567890123456", false, true},        // 16 digits, an exact double
		{"191129.0322580645", false, true},       // 16 digits, its double reads back as written
		{"87096.77419354839", false, false},      // 16 digits, its double reads back as 87096.7741935484
		{"12345678901234567.89", false, false},   // 19 digits
		{"100000000000000000000000", true, true}, // one digit, 10^23
		{"-0.000000000000000000001", true, true},
		{"1e-400", false, false}, // below a double's range
		{"1e400", false, false},  // above it
	} {
		d := decimal.RequireFromString(c.v)
		if got := FitsDouble(d); got != c.fits {
			t.Errorf("FitsDouble(%s) = %v, want %v", c.v, got, c.fits)
		}
		if got := RoundTrips(d); got != c.back {
			t.Errorf("RoundTrips(%s) = %v, want %v", c.v, got, c.back)
		}
		if FitsDouble(d) && !RoundTrips(d) {
			t.Errorf("%s fits a double but does not round-trip", c.v)
		}
	}
}

// TestFitsDoubleRoundTrips: a decimal of at most 15 significant digits
// within a double's range comes back from its double unchanged.
func TestFitsDoubleRoundTrips(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := decimal.New(rapid.Int64().Draw(t, "coefficient"), rapid.Int32Range(-330, 310).Draw(t, "exponent"))
		if FitsDouble(d) && !RoundTrips(d) {
			t.Fatalf("%s fits a double but does not come back from it", d)
		}
		if len(strings.TrimRight(strings.TrimLeft(d.Coefficient().String(), "-0"), "0")) <= MaxDigits && !d.IsZero() {
			f, _ := d.Float64()
			if a := math.Abs(f); a > 1e-300 && a < 1e300 && !FitsDouble(d) {
				t.Fatalf("%s has 15 digits at most, yet does not fit a double", d)
			}
		}
	})
}
