package goal

import (
	"cmp"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// RankEntry is one participant of a ranking.
type RankEntry struct {
	Participant string
	// Achievement is the uncapped achievement (direction already applied).
	Achievement decimal.NullDecimal
	// Met: the target is met. A met entry without an achievement (a
	// lower-is-better goal at zero) ranks above every other.
	Met bool
}

// Rank ranks entries by achievement, best first, and returns for each entry
// its rank and the order to list them in. Ties share a rank and the next rank
// skips ("1, 2, 2, 4"); tied entries are listed by participant id, so the
// order does not depend on the order of the input. Entries with nothing to
// rank (no target, no value) get rank 0 and are listed last.
func Rank(entries []RankEntry) (ranks []int, order []int) {
	order = make([]int, len(entries))
	for i := range order {
		order[i] = i
	}
	const (
		top = iota
		defined
		none
	)
	class := func(e RankEntry) int {
		switch {
		case e.Achievement.Valid:
			return defined
		case e.Met:
			return top
		}
		return none
	}
	compare := func(a, b RankEntry) int {
		ca, cb := class(a), class(b)
		if c := cmp.Compare(ca, cb); c != 0 {
			return c
		}
		if ca == defined {
			return b.Achievement.Decimal.Cmp(a.Achievement.Decimal)
		}
		return 0
	}
	slices.SortStableFunc(order, func(i, j int) int {
		if c := compare(entries[i], entries[j]); c != 0 {
			return c
		}
		return strings.Compare(entries[i].Participant, entries[j].Participant)
	})
	ranks = make([]int, len(entries))
	for k, i := range order {
		if class(entries[i]) == none {
			continue
		}
		if k > 0 && compare(entries[order[k-1]], entries[i]) == 0 {
			ranks[i] = ranks[order[k-1]]
		} else {
			ranks[i] = k + 1
		}
	}
	return ranks, order
}
