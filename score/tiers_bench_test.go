package score

import (
	"testing"

	"github.com/shopspring/decimal"
)

// BenchmarkTiersAmount pays three bands (from 0, 100 000 and 500 000) for
// four bases of two places, as a commission on revenue pays each card.
func BenchmarkTiersAmount(b *testing.B) {
	tr, err := NewTiers([]TierDef{{From: dec("0"), Rate: dec("0.03")}, {From: dec("100000"), Rate: dec("0.05")}, {From: dec("500000"), Rate: dec("0.08")}})
	if err != nil {
		b.Fatal(err)
	}
	xs := []decimal.Decimal{dec("85000.50"), dec("250000.00"), dec("612345.67"), dec("0")}
	for b.Loop() {
		for _, x := range xs {
			tr.Amount(x)
		}
	}
}
