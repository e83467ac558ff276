package eventfile

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// rfc3339 is the grammar parseTime accepts (ranges aside); RFC 3339 allows
// a lower-case t and z.
var rfc3339 = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$`)

// checkTime checks parseTime against time.Parse: parseTime accepts s exactly
// when s has the grammar of RFC 3339 and time.Parse accepts it (upper-cased:
// time.Parse wants T and Z), and then gives the same instant and offset. A
// text with the grammar that it refuses is refused for its range (a day, a
// time of day, an offset), any other for its form.
func checkTime(t interface {
	Helper()
	Fatalf(string, ...any)
}, s string) {
	t.Helper()
	var z zones
	got, problem := parseTime([]byte(s), &z)
	ok := problem == timeOK
	grammar := rfc3339.MatchString(s)
	var want time.Time
	var err error
	if grammar {
		want, err = time.Parse(time.RFC3339Nano, strings.ToUpper(s))
	}
	wantOK := grammar && err == nil
	if wantOK && s[len(s)-1]|0x20 != 'z' {
		// time.Parse takes offsets up to 99:99; RFC 3339 ends at 23:59.
		zone := s[len(s)-5:]
		wantOK = zone[:2] <= "23" && zone[3:] <= "59"
	}
	if ok != wantOK {
		t.Fatalf("parseTime(%q) = %v, want ok %v (time.Parse: %v)", s, problem, wantOK, err)
	}
	if !ok {
		if (problem == timeForm) == grammar {
			t.Fatalf("parseTime(%q) = %v (%s); the grammar matches: %v", s, problem, problem.describe([]byte(s)), grammar)
		}
		if why := problem.describe([]byte(s)); strings.HasSuffix(why, ": ") {
			t.Fatalf("parseTime(%q): %s", s, why)
		}
		return
	}
	_, gotOff := got.Zone()
	_, wantOff := want.Zone()
	if !got.Equal(want) || gotOff != wantOff {
		t.Fatalf("parseTime(%q) = %v, want %v", s, got, want)
	}
	if s[len(s)-1]|0x20 == 'z' && got.Location() != time.UTC {
		t.Fatalf("parseTime(%q): location %v, want UTC", s, got.Location())
	}
	// The date cache must not change the result.
	again, _ := parseTime([]byte(s), &z)
	if again != got {
		t.Fatalf("parseTime(%q) a second time = %v, want %v", s, again, got)
	}
}

func TestParseTime(t *testing.T) {
	for _, s := range []string{
		"2025-01-01T00:00:00Z", "2024-02-29T23:59:59.999999999+14:00", "2025-02-28T12:00:00-00:00",
		"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.1234567891234-23:59", "2025-06-30T10:00:00.5+05:30",
		"1969-12-31T23:59:59.000000001Z", "2000-02-29T00:00:00Z", "1900-02-28T00:00:00Z",
		// refused
		"2025-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2025-04-31T00:00:00Z", "2025-13-01T00:00:00Z",
		"2025-00-01T00:00:00Z", "2025-01-00T00:00:00Z", "2025-01-01T24:00:00Z", "2025-01-01T00:60:00Z",
		"2025-01-01T00:00:60Z", "2025-01-01T00:00:00+24:00", "2025-01-01T00:00:00+01:60", "2025-01-01T00:00:00",
		"2025-01-01 00:00:00Z",
		// lower-case t and z are RFC 3339
		"2025-01-01T00:00:00z", "2025-01-01t00:00:00Z", "2025-02-03t11:25:00z", "2025-02-03t11:25:00.5+03:00", "2025-01-01T1:00:00Z",
		"2025-01-01T00:00:00,5Z", "2025-01-01T00:00:00.Z", "2025-01-01T00:00:00+0100", "2025-01-01T00:00:00+01",
		"2025-01-01T00:00:00ZZ", "+2025-01-01T00:00:00Z", "2025-01-01T00:00:00.5", "２０２５-01-01T00:00:00Z",
		"2025-01-01T00:00:00Z\n", "", "2025",
	} {
		checkTime(t, s)
	}
}

func TestParseTimeProperty(t *testing.T) {
	digits := func(n int) *rapid.Generator[string] {
		return rapid.Custom(func(t *rapid.T) string {
			b := make([]byte, n)
			for i := range b {
				b[i] = byte('0' + rapid.IntRange(0, 9).Draw(t, "d"))
			}
			return string(b)
		})
	}
	part := func(name string, valid *rapid.Generator[string]) *rapid.Generator[string] {
		return rapid.OneOf(valid, valid, valid, valid, valid, valid, valid,
			rapid.SampledFrom([]string{"", "0", "000", "-", ":", "T", "Z", "z", "+", "9", ".", ","}))
	}
	rapid.Check(t, func(t *rapid.T) {
		year := part("year", rapid.OneOf(digits(4), rapid.SampledFrom([]string{"2024", "2025", "1900", "2000", "0000", "9999"})))
		month := part("month", rapid.Custom(func(t *rapid.T) string { return fmt.Sprintf("%02d", rapid.IntRange(0, 13).Draw(t, "m")) }))
		day := part("day", rapid.Custom(func(t *rapid.T) string { return fmt.Sprintf("%02d", rapid.IntRange(0, 32).Draw(t, "d")) }))
		two := func(max int) *rapid.Generator[string] {
			return part("two", rapid.Custom(func(t *rapid.T) string { return fmt.Sprintf("%02d", rapid.IntRange(0, max).Draw(t, "n")) }))
		}
		frac := rapid.OneOf(rapid.Just(""), rapid.Just("."), rapid.Custom(func(t *rapid.T) string {
			return "." + digits(rapid.IntRange(1, 12).Draw(t, "n")).Draw(t, "f")
		}))
		zone := rapid.OneOf(rapid.Just("Z"), rapid.Custom(func(t *rapid.T) string {
			return rapid.SampledFrom([]string{"+", "-"}).Draw(t, "sign") + two(25).Draw(t, "hh") + ":" + two(61).Draw(t, "mm")
		}), rapid.SampledFrom([]string{"", "z", "+0300", "Z "}))
		sep := func(s string) string {
			return rapid.OneOf(rapid.Just(s), rapid.Just(s), rapid.Just(s), rapid.Just(s), rapid.SampledFrom([]string{"", " ", "t", "-", ":", ","})).Draw(t, "sep")
		}
		s := year.Draw(t, "year") + sep("-") + month.Draw(t, "month") + sep("-") + day.Draw(t, "day") + sep("T") +
			two(25).Draw(t, "hour") + sep(":") + two(61).Draw(t, "min") + sep(":") + two(61).Draw(t, "sec") +
			frac.Draw(t, "frac") + zone.Draw(t, "zone")
		checkTime(t, s)
	})
}

func FuzzParseTime(f *testing.F) {
	f.Add("2025-01-01T00:00:00Z")
	f.Add("2024-02-29T23:59:59.999999999+14:00")
	f.Add("2025-01-01T1:00:00Z")
	f.Fuzz(func(t *testing.T, s string) { checkTime(t, s) })
}
