package isodate

import (
	"fmt"
	"time"

	"github.com/goalkit/goalkit/internal/display"
)

// ParseInstant reads an RFC 3339 instant of a command line or a setting:
// `2025-03-31T23:59:59+03:00`, with an optional fraction after a point, and
// `t` and `z` in either case as RFC 3339 allows, two digits for every field
// but the year's four, and an offset of hours 00–23 and minutes 00–59
// (time.Parse takes +24:00 and +23:60, a day's or an hour's move that RFC
// 3339 does not allow, and a one-digit hour and a comma before the
// fraction, which it does not write). A date that does not exist is an error
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
	if err == nil && !rfc3339Form(b) {
		return time.Time{}, fmt.Errorf("%s is not an RFC 3339 instant (like 2025-03-31T23:59:59+03:00)", display.QuoteID(s))
	}
	if err == nil {
		if !offsetInRange(b) {
			return time.Time{}, fmt.Errorf("%s has an offset out of range: hours 00–23 and minutes 00–59", display.QuoteID(s))
		}
		return t, nil
	}
	if len(s) >= 10 {
		if y, m, d, ok := Fields(s[:10]); ok {
			if why := Problem(y, m, d); why != "" {
				return time.Time{}, fmt.Errorf("%s is not a real date: %s", display.QuoteID(s), why)
			}
		}
	}
	return time.Time{}, fmt.Errorf("%s is not an RFC 3339 instant (like 2025-03-31T23:59:59+03:00)", display.QuoteID(s))
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

// rfc3339Form reports whether b is spelled as RFC 3339 spells an instant:
// YYYY-MM-DDTHH:MM:SS, then a point and at least one digit, or nothing, then
// Z or ±HH:MM (with T and Z in upper case, as ParseInstant makes them).
func rfc3339Form(b []byte) bool {
	const head = "dddd-dd-ddTdd:dd:dd"
	if len(b) < len(head)+1 {
		return false
	}
	for i := range len(head) {
		if head[i] == 'd' && (b[i] < '0' || b[i] > '9') || head[i] != 'd' && b[i] != head[i] {
			return false
		}
	}
	i := len(head)
	if b[i] == '.' {
		i++
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == start {
			return false
		}
	}
	switch rest := b[i:]; {
	case len(rest) == 1:
		return rest[0] == 'Z'
	case len(rest) == 6:
		return (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
			isDigits(rest[1:3]) && isDigits(rest[4:6])
	}
	return false
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
