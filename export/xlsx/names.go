package xlsx

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
)

// maxName is the most characters Excel allows in a sheet's name, counted
// as Excel counts them: in UTF-16 units, two for a character outside the
// Basic Multilingual Plane (an emoji).
const maxName = 31

// sections are the names of the sheets of the report's sections, folded.
// A goal's sheet never takes one, even when the report has no such section:
// a goal named "Values" gets "Values (2)", and the sheet named Values is
// always the values'.
var sections = map[string]bool{fold("Report"): true, fold("Scorecards"): true, fold("Bonuses"): true, fold("Leaderboards"): true, fold("Cascades"): true, fold("Values"): true}

// fold is the key under which Excel and excelize (strings.EqualFold) tell
// sheet names apart, ignoring case by Unicode's simple folding: each
// character as the least of the characters it folds with, so that
// "ΠΩΛΗΣΕΙΣ" and "πωλησεις" (a final sigma), or "K" and the Kelvin sign,
// are one name, which lower-casing does not see.
func fold(name string) string {
	return strings.Map(func(r rune) rune {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		return least
	}, name)
}

// sheetName returns a name for a sheet from want: the characters Excel
// refuses in a name ([ ] : * ? / \) replaced by "_", no apostrophe at either
// end, at most 31 characters as Excel counts them (units), and different from every name taken (" (2)",
// " (3)"… added) and, for a goal's sheet, from the sections' names.
func (b *book) sheetName(want string, goal bool) string {
	base := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) || r < ' ' {
			return '_'
		}
		return r
	}, want)
	base = strings.Trim(base, "' ")
	if base == "" {
		base = "Sheet"
	}
	for n := 1; ; n++ {
		suffix := ""
		if n > 1 {
			suffix = fmt.Sprintf(" (%d)", n)
		}
		name := truncate(base, maxName-units(suffix)) + suffix
		if key := fold(name); !b.names[key] && key != fold("History") && !(goal && sections[key]) {
			b.names[key] = true
			return name
		}
	}
}

// units is the length of s in UTF-16 units, as Excel counts a name's.
func units(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// truncate returns the characters of s that fit in n UTF-16 units, without
// trailing spaces or apostrophes (a sheet's name cannot end with one).
func truncate(s string, n int) string {
	if units(s) <= n {
		return s
	}
	used := 0
	for i, r := range s {
		if used += utf16.RuneLen(r); used > n {
			return strings.TrimRight(s[:i], " '")
		}
	}
	return s
}

// ref is a reference to a range of a sheet for a formula or a chart:
// 'name'!$A$2:$B$5, with the name's apostrophes doubled.
func ref(sheet string, col1, row1, col2, row2 int) string {
	return fmt.Sprintf("'%s'!%s:%s", strings.ReplaceAll(sheet, "'", "''"), abs(col1, row1), abs(col2, row2))
}

// abs is an absolute cell reference: $A$2.
func abs(col, row int) string {
	return "$" + colName(col) + "$" + fmt.Sprint(row)
}

// colName is the name of a column, 1 for A.
func colName(col int) string {
	s := ""
	for col > 0 {
		col--
		s = string(rune('A'+col%26)) + s
		col /= 26
	}
	return s
}
