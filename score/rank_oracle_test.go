package score

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestRankMatchesCountProperty: each ranked standing's rank is one more
// than the number of standings strictly better, compared here in big.Rat
// (a Best standing above every value, values by their direction; equal
// values written with other exponents tie); an unranked one has rank 0 and
// comes after every ranked one; the rows are the input's, each once.
func TestRankMatchesCountProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		lower := rapid.Bool().Draw(t, "lower")
		n := rapid.IntRange(0, 12).Draw(t, "n")
		in := make([]Standing, n)
		for i := range in {
			s := Standing{Participant: fmt.Sprintf("p%02d", rapid.IntRange(0, 99).Draw(t, "id"))}
			switch rapid.IntRange(0, 5).Draw(t, "kind") {
			case 0:
				s.Best = true
			case 1:
			default:
				// Few values, often equal, written with other exponents.
				v := decimal.New(int64(rapid.IntRange(-3, 3).Draw(t, "v")), 0)
				s.Value = decimal.NewNullDecimal(v.Shift(0).Round(int32(rapid.IntRange(0, 3).Draw(t, "places"))))
			}
			in[i] = s
		}
		// key is a standing's place in the order: Best 2, a value 1 (then
		// the value, negated when lower is better), none 0.
		better := func(a, b Standing) bool { // a strictly better than b
			ka, kb := class3(a), class3(b)
			if ka != kb {
				return ka > kb
			}
			if ka != 1 {
				return false
			}
			c := a.Value.Decimal.Rat().Cmp(b.Value.Decimal.Rat())
			if lower {
				c = -c
			}
			return c > 0
		}
		out := Rank(in, lower)
		if len(out) != len(in) {
			t.Fatalf("%d standings of %d", len(out), len(in))
		}
		seen := map[string]int{}
		for _, s := range in {
			seen[s.Participant]++
		}
		unranked := false
		for i, s := range out {
			seen[s.Participant]--
			if class3(s) == 0 {
				unranked = true
				if s.Rank != 0 {
					t.Fatalf("row %d (%s, no value) has rank %d", i, s.Participant, s.Rank)
				}
				continue
			}
			if unranked {
				t.Fatalf("row %d (%s) is ranked after an unranked one", i, s.Participant)
			}
			want := 1
			for _, o := range in {
				if better(o, s) {
					want++
				}
			}
			if s.Rank != want {
				t.Fatalf("row %d (%s, %v, best %v): rank %d, want %d", i, s.Participant, s.Value, s.Best, s.Rank, want)
			}
			if i > 0 && out[i-1].Rank > s.Rank {
				t.Fatalf("row %d rank %d after rank %d", i, s.Rank, out[i-1].Rank)
			}
		}
		for p, c := range seen {
			if c != 0 {
				t.Fatalf("participant %s: %d rows more in than out", p, c)
			}
		}
	})
}

// class3 is 2 for a Best standing without a value, 1 for a value, 0 for
// neither.
func class3(s Standing) int {
	switch {
	case s.Value.Valid:
		return 1
	case s.Best:
		return 2
	}
	return 0
}
