package deliver

import (
	"math/rand/v2"
	"time"
)

// Backoff returns how long to wait after the n-th failed attempt (n ≥ 1):
// base·2^(n-1), at most max, of which the second half is jitter — the wait
// is d/2 plus r·d/2 for r in [0, 1) — so that receivers coming back from an
// outage are not hit by every sender at once. An r outside [0, 1] (a
// host's WithRand) is held to it, and NaN is 0: the wait is never below
// d/2 nor above d.
func Backoff(n int, base, max time.Duration, r float64) time.Duration {
	switch {
	case !(r >= 0): // NaN too
		r = 0
	case r > 1:
		r = 1
	}
	d := base
	for i := 1; i < n && d < max; i++ {
		if d > max/2 { // doubled, past max (and past a Duration's range)
			d = max
			break
		}
		d *= 2
	}
	if d > max || d <= 0 {
		d = max
	}
	// r·(d/2) in floating point rounds to 53 bits: past 2^53 ns (104
	// days) it can round above d/2, and the wait past d and max.
	return d/2 + min(time.Duration(r*float64(d/2)), d/2)
}

// jitter is the source of Backoff's r.
func jitter() float64 { return rand.Float64() }
