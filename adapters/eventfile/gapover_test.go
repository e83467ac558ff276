package eventfile

import (
	"bytes"
	"testing"

	"pgregory.net/rapid"
)

// gapOver never misses a run of more than maxRecord bytes without a line
// feed, wherever the line feeds fall: overLong's quick answer ("no record
// is too long") is only given where a reading of every record would give it.
func TestGapOverFindsEveryLongRun(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(maxRecord-4, 3*maxRecord).Draw(t, "n")
		buf := bytes.Repeat([]byte{'x'}, n)
		for _, at := range rapid.SliceOfN(rapid.IntRange(0, n-1), 0, 6).Draw(t, "feeds") {
			buf[at] = '\n'
		}
		longest, run := 0, 0
		for _, b := range buf {
			if run++; b == '\n' {
				run = 0
			}
			longest = max(longest, run)
		}
		if longest > maxRecord && !gapOver(buf) {
			t.Fatalf("a run of %d bytes without a line feed in %d, not seen", longest, n)
		}
	})
}
