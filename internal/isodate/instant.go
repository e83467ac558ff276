package isodate

import (
	"fmt"
	"time"
)

// ParseInstant reads an RFC 3339 instant of a command line or a setting:
// `2025-03-31T23:59:59+03:00`, with an optional fraction, and `t` and `z`
// in either case as RFC 3339 allows, and an offset of hours 00–23 and
// minutes 00–59 (time.Parse takes +24:00 and +23:60, a day's or an hour's
// move that RFC 3339 does not allow). A date that does not exist is an error
// in the words of Parse (`"2025-02-30T00:00:00Z" is not a real date:
// February 2025 has 28 days`), never moved onto a real one.
func ParseInstant(s string) (time.Time, error) {
	b := []byte(s)
	if len(b) > 10 && b[10] == 't' {
		b[10] = 'T'
	}
	if n := len(b); n > 0 && b[n-1] == 'z' {
		b[n-1] = 'Z'
	}
	t, err := time.Parse(time.RFC3339Nano, string(b))
	if err == nil {
		if !offsetInRange(b) {
			return time.Time{}, fmt.Errorf("%q has an offset out of range: hours 00–23 and minutes 00–59", s)
		}
		return t, nil
	}
	if len(s) >= 10 {
		if y, m, d, ok := Fields(s[:10]); ok {
			if why := Problem(y, m, d); why != "" {
				return time.Time{}, fmt.Errorf("%q is not a real date: %s", s, why)
			}
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an RFC 3339 instant (like 2025-03-31T23:59:59+03:00)", s)
}

// offsetInRange reports whether the numeric offset at the end of b, parsed
// as RFC 3339, has hours 00–23 and minutes 00–59 (Z has none).
func offsetInRange(b []byte) bool {
	n := len(b)
	if b[n-1] == 'Z' {
		return true
	}
	h := int(b[n-5]-'0')*10 + int(b[n-4]-'0')
	m := int(b[n-2]-'0')*10 + int(b[n-1]-'0')
	return h <= 23 && m <= 59
}
