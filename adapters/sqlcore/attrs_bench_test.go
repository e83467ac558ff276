package sqlcore

import (
	"testing"

	"github.com/shopspring/decimal"
)

// BenchmarkEncodeAttrs measures the JSON of an event's attributes as Apply
// and Import write it: two decimals with places, an int and a string.
func BenchmarkEncodeAttrs(b *testing.B) {
	attrs := map[string]any{"price": decimal.New(123450, -2), "n": decimal.New(7, -1), "pipeline": int64(2), "source": "web"}
	for b.Loop() {
		if _, err := encodeAttrs(attrs); err != nil {
			b.Fatal(err)
		}
	}
}
