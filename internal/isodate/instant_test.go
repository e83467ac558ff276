package isodate

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

func TestParseInstant(t *testing.T) {
	for _, c := range []struct{ in, want, err string }{
		{"2025-03-31T23:59:59+03:00", "2025-03-31T20:59:59Z", ""},
		{"2025-03-31t23:59:59.5z", "2025-03-31T23:59:59.5Z", ""},
		{"2025-02-30T00:00:00Z", "", `"2025-02-30T00:00:00Z" is not a real date: February 2025 has 28 days`},
		{"2025-13-01T00:00:00Z", "", `"2025-13-01T00:00:00Z" is not a real date: months are 01 to 12`},
		{"2025-04-01T00:00:00+23:59", "2025-03-31T00:01:00Z", ""},
		{"2025-04-01T00:00:00-23:59", "2025-04-01T23:59:00Z", ""},
		{"2025-04-01T00:00:00+24:00", "", `"2025-04-01T00:00:00+24:00" has an offset out of range: hours 00–23 and minutes 00–59`},
		{"2025-04-01T00:00:00-99:00", "", `"2025-04-01T00:00:00-99:00" is not an RFC 3339 instant (like 2025-03-31T23:59:59+03:00)`},
		{"2025-04-01T00:00:00.5+23:60", "", `"2025-04-01T00:00:00.5+23:60" has an offset out of range: hours 00–23 and minutes 00–59`},
		{"today", "", `"today" is not an RFC 3339 instant (like 2025-03-31T23:59:59+03:00)`},
		// time.Parse takes these; RFC 3339 does not.
		{"2025-03-31T1:00:00Z", "", `"2025-03-31T1:00:00Z" is not an RFC 3339 instant (like 2025-03-31T23:59:59+03:00)`},
		{"2025-03-31T10:00:00,5Z", "", `"2025-03-31T10:00:00,5Z" is not an RFC 3339 instant (like 2025-03-31T23:59:59+03:00)`},
		{"2025-03-31T10:00:00,5+03:00", "", `"2025-03-31T10:00:00,5+03:00" is not an RFC 3339 instant (like 2025-03-31T23:59:59+03:00)`},
		// Every digit a fraction may have, and past nanoseconds.
		{"2025-03-31T10:00:00.123456789-00:00", "2025-03-31T10:00:00.123456789Z", ""},
		{"2025-03-31T10:00:00.1234567891Z", "2025-03-31T10:00:00.123456789Z", ""},
	} {
		t.Run(c.in, func(t *testing.T) {
			got, err := ParseInstant(c.in)
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Fatalf("error %v, want %s", err, c.err)
				}
				return
			}
			if err != nil || got.UTC().Format(time.RFC3339Nano) != c.want {
				t.Fatalf("%v, %v; want %s", got, err, c.want)
			}
		})
	}
}

// Every instant RFC 3339 writes (time.RFC3339Nano, an offset of whole
// minutes within a day) reads back as itself: the form check refuses only
// what RFC 3339 does not write.
func TestParseInstantReadsWhatRFC3339Writes(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sec := rapid.Int64Range(time.Date(0, 1, 2, 0, 0, 0, 0, time.UTC).Unix(), time.Date(9999, 12, 30, 0, 0, 0, 0, time.UTC).Unix()).Draw(t, "sec")
		nsec := rapid.SampledFrom([]int64{0, 500_000_000, 1, 123_456_789, rapid.Int64Range(0, 999_999_999).Draw(t, "any")}).Draw(t, "nsec")
		off := rapid.IntRange(-(23*60+59), 23*60+59).Draw(t, "offset minutes")
		in := time.Unix(sec, nsec).In(time.FixedZone("", off*60))
		s := in.Format(time.RFC3339Nano)
		got, err := ParseInstant(s)
		if err != nil || !got.Equal(in) {
			t.Fatalf("%s read as %v, %v", s, got, err)
		}
	})
}
