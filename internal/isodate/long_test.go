package isodate

import (
	"strings"
	"testing"
)

// A text that is no date or instant is quoted cut to 64 bytes and an
// ellipsis: a 100,000-byte value (a notification's period_start read
// back, a flag) made an error of 100,000 bytes.
func TestLongTextQuotedCut(t *testing.T) {
	long := strings.Repeat("9", 100_000)
	cut := `"` + strings.Repeat("9", 64) + `…"`
	if _, err := Parse(long); err == nil || err.Error() != "want a date YYYY-MM-DD, got "+cut {
		t.Errorf("Parse: %v", err)
	}
	if _, err := ParseInstant(long); err == nil || err.Error() != cut+" is not an RFC 3339 instant (like 2025-03-31T23:59:59+03:00)" {
		t.Errorf("ParseInstant: %v", err)
	}
	// A short one is quoted whole, as before.
	if _, err := ParseInstant("2025-03-31 12:00"); err == nil || err.Error() != `"2025-03-31 12:00" is not an RFC 3339 instant (like 2025-03-31T23:59:59+03:00)` {
		t.Errorf("ParseInstant of a short text: %v", err)
	}
}
