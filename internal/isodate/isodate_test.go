package isodate

import (
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// Impossible dates are errors that say why; the date library would move
// each onto a real date (2025-02-30 onto 2025-03-02).
func TestParse(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2025-02-30", `"2025-02-30" is not a real date: February 2025 has 28 days`},
		{"2025-02-29", `"2025-02-29" is not a real date: February 2025 has 28 days`},
		{"2025-04-31", `"2025-04-31" is not a real date: April has 30 days`},
		{"2025-13-01", `"2025-13-01" is not a real date: months are 01 to 12`},
		{"2025-00-10", `"2025-00-10" is not a real date: months are 01 to 12`},
		{"2025-01-00", `"2025-01-00" is not a real date: days start at 01`},
		{"1900-02-29", `"1900-02-29" is not a real date: February 1900 has 28 days`},
		{"2025-1-01", `want a date YYYY-MM-DD, got "2025-1-01"`},
		{"20250101", `want a date YYYY-MM-DD, got "20250101"`},
		{"2025-01-01T00:00:00Z", `want a date YYYY-MM-DD, got "2025-01-01T00:00:00Z"`},
		{"+2025-01-01", `want a date YYYY-MM-DD, got "+2025-01-01"`},
		{"2025-001", `want a date YYYY-MM-DD, got "2025-001"`},
		{"２０２５-01-01", `want a date YYYY-MM-DD, got "２０２５-01-01"`},
		{"", `want a date YYYY-MM-DD, got ""`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := Parse(tt.in)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Parse(%q) = %v, %v; want error %q", tt.in, d, err, tt.want)
			}
		})
	}
	for _, s := range []string{"2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31", "2025-12-31"} {
		d, err := Parse(s)
		if err != nil || d.String() != s {
			t.Errorf("Parse(%q) = %v, %v", s, d, err)
		}
	}
}

// Parse accepts exactly the dates time.Date does not move, and gives them.
func TestParseProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		y := rapid.IntRange(0, 9999).Draw(t, "y")
		m := rapid.IntRange(0, 13).Draw(t, "m")
		dd := rapid.IntRange(0, 32).Draw(t, "d")
		s := pad(y, 4) + "-" + pad(m, 2) + "-" + pad(dd, 2)
		got, err := Parse(s)
		tm := time.Date(y, time.Month(m), dd, 0, 0, 0, 0, time.UTC)
		real := tm.Year() == y && int(tm.Month()) == m && tm.Day() == dd
		if real != (err == nil) {
			t.Fatalf("Parse(%q) = %v, %v; real date: %v", s, got, err, real)
		}
		if real && got != date.NewAt(tm) {
			t.Fatalf("Parse(%q) = %v, want %v", s, got, date.NewAt(tm))
		}
	})
}

func pad(n, width int) string {
	b := make([]byte, width)
	for i := width - 1; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}
