package enginetest

import (
	"math"

	"pgregory.net/rapid"
)

// Exponent draws a decimal's exponent anywhere in 32 bits, as a host that
// raises decimal.MaxDecodeExponent may pass one: near 0 (-30..30), at
// either end (40 from math.MinInt32 or math.MaxInt32) or anywhere, for
// the properties of arithmetic on numbers far apart in exponent (forecast's
// and goal's).
func Exponent() *rapid.Generator[int32] {
	return rapid.OneOf(
		rapid.Int32Range(-30, 30),
		rapid.Int32Range(math.MinInt32, math.MinInt32+40),
		rapid.Int32Range(math.MaxInt32-40, math.MaxInt32),
		rapid.Int32(),
	)
}
