package colstore

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestAmountTextOfTheFinalEvents: the same final events read back with
// the same amount text, whatever came before them (versions since
// corrected or retracted, with amounts of the final events, so of the same
// places: a table's scale is never lowered) and however
// they were applied (in another order, one at a time or a prefix and then
// chunks merged): an amount too big for int64 at the table's scale like
// the others ("92233720368547757.000", never "92233720368547757" beside
// "0.125"). Its value is the final version's.
func TestAmountTextOfTheFinalEvents(t *testing.T) {
	amounts := []string{"", "5", "1.25", "0.125", "92233720368547757", "92233720368547757.00", "-92233720368547757",
		"9223372036854775807", "1.0000000001", "922337203685477580.7"}
	rapid.Check(t, func(t *rapid.T) {
		nIDs := rapid.IntRange(1, 6).Draw(t, "ids")
		finals := make([]Input, nIDs)
		var pool []decimal.NullDecimal
		for k := range finals {
			finals[k] = Input{ID: fmt.Sprint(k + 1), Kind: rapid.SampledFrom([]string{"deal", "call"}).Draw(t, "kind"), Time: t0, Actor: "a"}
			if a := rapid.SampledFrom(amounts).Draw(t, "amount"); a != "" {
				finals[k].Amount = amount(a)
			}
			if rapid.IntRange(0, 5).Draw(t, "retracted") == 0 {
				finals[k] = Input{ID: finals[k].ID, Deleted: true}
			} else if finals[k].Amount.Valid {
				pool = append(pool, finals[k].Amount)
			}
		}
		pool = append(pool, decimal.NullDecimal{})
		// The final events alone, id after id, one at a time.
		want := New(time.UTC)
		for _, in := range finals {
			if !in.Deleted {
				if err := want.Apply(&in); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Each id's history before its final version, ids interleaved.
		perID := make([][]Input, nIDs)
		for k, f := range finals {
			for range rapid.IntRange(0, 3).Draw(t, "before") {
				if rapid.IntRange(0, 3).Draw(t, "retract") == 0 {
					perID[k] = append(perID[k], Input{ID: f.ID, Deleted: true})
					continue
				}
				perID[k] = append(perID[k], Input{ID: f.ID, Kind: rapid.SampledFrom([]string{"deal", "call", "meeting"}).Draw(t, "kind"),
					Time: t0.Add(time.Hour), Actor: "b", Amount: rapid.SampledFrom(pool).Draw(t, "amount")})
			}
			perID[k] = append(perID[k], f)
		}
		var mixed []Input
		next := make([]int, nIDs)
		for left := nIDs; left > 0; {
			k := rapid.IntRange(0, nIDs-1).Draw(t, "which")
			for next[k] == len(perID[k]) {
				k = (k + 1) % nIDs
			}
			mixed = append(mixed, perID[k][next[k]])
			if next[k]++; next[k] == len(perID[k]) {
				left--
			}
		}
		got := New(time.UTC)
		cut := rapid.IntRange(0, len(mixed)).Draw(t, "prefix")
		for _, in := range mixed[:cut] {
			if err := got.Apply(&in); err != nil {
				t.Fatal(err)
			}
		}
		var chunks []*Table
		for from := cut; from < len(mixed); {
			to := rapid.IntRange(from+1, len(mixed)).Draw(t, "cut")
			c := NewChunk(time.UTC)
			for _, in := range mixed[from:to] {
				if err := c.Apply(&in); err != nil {
					t.Fatal(err)
				}
			}
			chunks = append(chunks, c)
			from = to
		}
		if err := got.Merge(chunks, 1); err != nil {
			t.Fatal(err)
		}
		for _, f := range finals {
			text := func(tab *Table) string {
				s, row, ok := tab.Lookup(f.ID)
				if !ok || !s.Alive(row) {
					if !f.Deleted {
						t.Fatalf("id %s: not found", f.ID)
					}
					return "(none)"
				}
				var r Row
				tab.Read(s, row, &r)
				if r.Amount.Valid != f.Amount.Valid || r.Amount.Valid && !r.Amount.Decimal.Equal(f.Amount.Decimal) {
					t.Fatalf("id %s: amount %v, the final version's is %v", f.ID, r.Amount, f.Amount)
				}
				// Its digits and places, as the writers read them
				// (String cuts trailing zeros).
				return r.Amount.Decimal.StringFixed(max(0, -r.Amount.Decimal.Exponent()))
			}
			if g, w := text(got), text(want); g != w {
				t.Fatalf("id %s: amount read back as %s after its history, as %s from the final events alone", f.ID, g, w)
			}
		}
	})
}
