// Package suggest finds the likely intended name behind a typo, for the
// "did you mean" of every error message that names something unknown.
package suggest

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Closest returns the candidate closest to name if it is close enough to be a
// likely typo: the same word in another case, or at most 1 edit for names of
// up to 4 characters and 2 edits for longer ones, and fewer edits than either
// name has letters (a one-letter name suggests nothing); "" otherwise. Ties go
// to the candidate that sorts first, so the answer does not depend on order.
func Closest(name string, candidates []string) string {
	best, bestD := "", 1<<30
	limit := 2
	if utf8.RuneCountInString(name) <= 4 {
		limit = 1
	}
	for _, c := range candidates {
		if c == name {
			continue
		}
		d := Distance(name, c)
		if strings.EqualFold(c, name) {
			d = 0
		} else if d >= utf8.RuneCountInString(name) || d >= utf8.RuneCountInString(c) {
			continue
		}
		if d <= limit && (d < bestD || d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	return best
}

// Distance is the Levenshtein distance between a and b, in runes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Hint returns " (did you mean X?)" for the candidate closest to name
// (Closest), or "" when none is close: the end of every message that names
// an unknown name.
func Hint(name string, candidates []string) string {
	if c := Closest(name, candidates); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	return ""
}

// Unknown says that name is not one of candidates: `unknown WHAT "name"`,
// with Hint.
func Unknown(what, name string, candidates []string) string {
	return fmt.Sprintf("unknown %s %q%s", what, name, Hint(name, candidates))
}
