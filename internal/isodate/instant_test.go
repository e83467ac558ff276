package isodate

import (
	"testing"
	"time"
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
