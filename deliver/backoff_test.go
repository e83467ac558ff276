package deliver_test

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/deliver"
)

// The n-th wait is base·2^(n-1), capped at max, of which the jitter r takes
// off up to half: r = 0 waits half of it, r → 1 all of it.
func TestBackoff(t *testing.T) {
	for _, tc := range []struct {
		n    int
		r    float64
		want time.Duration
	}{
		{1, 0, 15 * time.Second},
		{1, 0.5, 22500 * time.Millisecond},
		{1, 0.999999, 29999985 * time.Microsecond},
		{2, 0, 30 * time.Second},
		{4, 0, 2 * time.Minute},
		{7, 0, 16 * time.Minute},
		{8, 0, 30 * time.Minute},   // 30s·2^7 = 64m, capped at 1h
		{8, 0.5, 45 * time.Minute}, // the cap with the jitter at its middle
		{100, 0, 30 * time.Minute},
	} {
		if got := deliver.Backoff(tc.n, 30*time.Second, time.Hour, tc.r); got != tc.want {
			t.Errorf("Backoff(%d, r=%v) = %v, want %v", tc.n, tc.r, got, tc.want)
		}
	}
}
