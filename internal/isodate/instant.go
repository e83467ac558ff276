package isodate

import (
	"fmt"
	"time"
)

// ParseInstant reads an RFC 3339 instant of a command line or a setting:
// `2025-03-31T23:59:59+03:00`, with an optional fraction, and `t` and `z`
// in either case as RFC 3339 allows. A date that does not exist is an error
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
