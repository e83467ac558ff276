package eventfile

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

var decimalGrammar = regexp.MustCompile(`^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$`)

// checkDecimal checks parseDecimal against decimal.NewFromString: it accepts
// the grammar (within its limits) and gives the same value and exponent.
func checkParseDecimal(t interface {
	Helper()
	Fatalf(string, ...any)
}, s string) {
	t.Helper()
	d, problem := parseDecimal([]byte(s))
	if !decimalGrammar.MatchString(s) {
		if problem != notDecimal {
			t.Fatalf("parseDecimal(%q) = %v, %q; want %q", s, d, problem, notDecimal)
		}
		return
	}
	if len(s) > maxDecimalLen {
		if problem != decimalLength {
			t.Fatalf("parseDecimal(%q): %q, want %q", s, problem, decimalLength)
		}
		return
	}
	text := s
	if text[0] == '+' {
		text = text[1:]
	}
	want, err := decimal.NewFromString(text)
	if err != nil || want.Exponent() > maxExponent || want.Exponent() < -maxExponent {
		if problem != decimalRange {
			t.Fatalf("parseDecimal(%q): %q, want %q (%v)", s, problem, decimalRange, err)
		}
		return
	}
	if problem != "" || !d.Equal(want) || d.Exponent() != want.Exponent() {
		t.Fatalf("parseDecimal(%q) = %v (exp %d), %q; want %v (exp %d)", s, d, d.Exponent(), problem, want, want.Exponent())
	}
}

func TestParseDecimal(t *testing.T) {
	for _, s := range []string{
		"0", "-0", "+0", "0.00", "-0.50", "123.45", "100.00", "999999999999999999", "9999999999999999999",
		"-999999999999999999.5", "0.000000000000000001", "1e3", "1E-3", "-1.5e+2", "123456789012345678901234567890.123",
		"", "-", "+", ".5", "5.", "1..2", "1e", "1e+", "1.5.5", " 1", "1 ", "0x10", "1_000", "−1", "NaN", "Inf",
		"1e1001", "1e-1001", "1e1000", "1e99999999999", "1" + string(make([]byte, 0)),
	} {
		checkParseDecimal(t, s)
	}
	long := make([]byte, maxDecimalLen+1)
	for i := range long {
		long[i] = '7'
	}
	checkParseDecimal(t, string(long))
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.StringMatching(`[+-]?[0-9]{0,25}(\.[0-9]{0,22})?([eE][+-]?[0-9]{1,5})?`).Draw(t, "s")
		checkParseDecimal(t, s)
	})
}

func FuzzParseDecimal(f *testing.F) {
	f.Add("123.45")
	f.Add("-1e5")
	f.Fuzz(func(t *testing.T, s string) { checkParseDecimal(t, s) })
}

func TestParseInt(t *testing.T) {
	check := func(t interface{ Fatalf(string, ...any) }, s string) {
		got, ok := parseInt([]byte(s))
		want, err := strconv.ParseInt(s, 10, 64)
		if ok != (err == nil) || got != want && ok {
			t.Fatalf("parseInt(%q) = %d, %v; want %d, %v", s, got, ok, want, err)
		}
	}
	for _, s := range []string{"0", "-0", "+7", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
		"-9223372036854775809", "99999999999999999999", "", "-", "+", "1.0", "1e3", " 1", "0x1", "١"} {
		check(t, s)
	}
	rapid.Check(t, func(t *rapid.T) {
		check(t, rapid.StringMatching(`[+-]?[0-9]{1,21}`).Draw(t, "s"))
	})
}

func TestDecimalToInt(t *testing.T) {
	for s, want := range map[string]bool{"1e3": true, "2.0": true, "1.5": false, "9223372036854775807": true,
		"9223372036854775808": false, "-9223372036854775808": true, "1e30": false, "-1e-3": false} {
		d, _ := parseDecimal([]byte(s))
		n, ok := decimalToInt(d)
		if ok != want || ok && !decimal.NewFromInt(n).Equal(d) {
			t.Errorf("decimalToInt(%s) = %d, %v; want ok %v", s, n, ok, want)
		}
	}
}
