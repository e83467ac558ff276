package retryafter

import (
	"math"
	"net/http"
	"testing"
	"time"
)

func TestWait(t *testing.T) {
	now := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	// The server's clock is 5 minutes behind the client's.
	server := now.Add(-5 * time.Minute)
	for _, c := range []struct {
		name        string
		after, date string
		want        time.Duration
	}{
		{"none", "", "", 0},
		{"seconds", "120", "", 2 * time.Minute},
		{"seconds with spaces", " 7 ", "", 7 * time.Second},
		{"zero seconds", "0", "", 0},
		{"seconds past a Duration", "99999999999999999999", "", math.MaxInt64},
		{"negative seconds", "-5", "", 0},
		{"not a number nor a date", "soon", "", 0},
		{"a date, no Date header: from now", now.Add(90 * time.Second).Format(http.TimeFormat), "", 90 * time.Second},
		{"a date from the server's clock", server.Add(90 * time.Second).Format(http.TimeFormat), server.Format(http.TimeFormat), 90 * time.Second},
		{"a date that has passed", now.Add(-time.Minute).Format(http.TimeFormat), "", 0},
		{"a Date header that cannot be read", now.Add(30 * time.Second).Format(http.TimeFormat), "yesterday", 30 * time.Second},
	} {
		h := http.Header{}
		if c.after != "" {
			h.Set("Retry-After", c.after)
		}
		if c.date != "" {
			h.Set("Date", c.date)
		}
		if got := Wait(h, now); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}
