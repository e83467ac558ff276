package sqlcore

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// BenchmarkBatchAdd measures an event version's row as Apply and Import
// make it (batch.add, before a chunk's statement is written): four events
// with amounts of two, one and no places and one of a positive exponent,
// without attributes, so that the amount's text is what the row costs
// most. The chunk is emptied after each event and never written.
func BenchmarkBatchAdd(b *testing.B) {
	at := time.Date(2025, 3, 14, 10, 0, 0, 0, time.UTC)
	var events []kpi.Event
	for i, a := range []decimal.Decimal{decimal.New(150000, -2), decimal.New(999, -1), decimal.New(42, 0), decimal.New(12, 3)} {
		events = append(events, kpi.Event{ID: string(rune('a' + i)), Kind: "deal.won", Time: at, Actor: "u1", Amount: decimal.NewNullDecimal(a), Currency: "USD"})
	}
	bt := &batch{s: &Store{d: SQLite, own: true}, last: map[string]int{}, types: map[[2]string]bool{}}
	for b.Loop() {
		for i := range events {
			if err := bt.add(&events[i]); err != nil {
				b.Fatal(err)
			}
			bt.rows = bt.rows[:0]
			clear(bt.last)
		}
	}
}
