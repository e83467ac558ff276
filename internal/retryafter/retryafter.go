// Package retryafter reads the wait an HTTP answer asks for in its
// Retry-After header, for the delivery channels and the Bitrix24 client.
package retryafter

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Wait is the wait a Retry-After header asks for: a number of seconds, or
// an HTTP date, counted from the answer's Date header when it has one (the
// server's clock, as the server writes both) and from now otherwise, so
// that a client whose clock runs ahead of the server's does not cut the
// wait short, nor one behind stretch it. Zero when there is none, it
// cannot be read, or the date has passed; a wait too long for a Duration
// saturates at the longest one (the caller bounds it) rather than wrapping
// round or being ignored.
func Wait(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseUint(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		if err != nil || n > uint64(math.MaxInt64/time.Second) {
			return math.MaxInt64
		}
		return time.Duration(n) * time.Second
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	if date, err := http.ParseTime(h.Get("Date")); err == nil {
		now = date
	}
	return max(0, at.Sub(now))
}
