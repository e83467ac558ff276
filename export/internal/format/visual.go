package format

import (
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/bidi"
)

// Visual returns text in the order its characters are drawn from left to
// right, for the writers that set text glyph after glyph without the
// Unicode bidirectional algorithm (the PDF documents and the charts): the
// text is read as a left-to-right line, as the documents are, and ordered
// by the algorithm's rules for one level of embedding (UAX #9 without
// explicit embeddings and isolates): a run of right-to-left script (Hebrew,
// Arabic) is reversed, numbers in it keep their reading order, brackets in
// it are mirrored and a combining mark stays after the letter it marks.
// Text without a right-to-left character is returned as it is. Arabic
// letters are not joined: they print in their isolated forms.
func Visual(s string) string {
	return VisualLines([]string{s})[0]
}

// VisualLines is Visual for a paragraph broken into lines: each line in the
// order it is drawn. The classes of the characters are resolved over the
// whole paragraph, the lines joined by a space, and each line is then
// reordered by itself (UAX #9 rules L1 and L2 work line by line), so that
// a line that starts with a number after right-to-left text ends the
// previous line keeps it in that text, as a browser shows it.
func VisualLines(lines []string) []string {
	joined := strings.Join(lines, " ")
	if !hasRTL(joined) {
		return lines
	}
	rs := []rune(joined)
	orig := make([]bidi.Class, len(rs))
	for i, r := range rs {
		p, _ := bidi.LookupRune(r)
		orig[i] = p.Class()
	}
	cls := resolveWeak(orig)
	resolveBrackets(rs, cls)
	resolveNeutral(cls)
	lv := make([]int, len(rs))
	for i, c := range cls {
		switch c {
		case bidi.R:
			lv[i] = 1
		case bidi.EN, bidi.AN:
			lv[i] = 2
		}
	}
	out := make([]string, len(lines))
	at := 0
	for i, l := range lines {
		n := utf8.RuneCountInString(l)
		out[i] = reorder(rs[at:at+n], orig[at:at+n], slices.Clone(lv[at:at+n]))
		at += n + 1
	}
	return out
}

// reorder returns a line's characters in the order they are drawn, given
// their original classes and resolved levels.
func reorder(rs []rune, orig []bidi.Class, lv []int) string {
	// L1: whitespace at the end of the line is at the line's level.
	for i := len(rs) - 1; i >= 0 && (orig[i] == bidi.WS || orig[i] == bidi.S || orig[i] == bidi.B || orig[i] == bidi.BN); i-- {
		lv[i] = 0
	}
	// L3 in advance: a letter and its marks are reversed as one.
	type unit struct {
		runes []rune
		level int
	}
	var units []unit
	for i, r := range rs {
		if orig[i] == bidi.NSM && len(units) > 0 {
			units[len(units)-1].runes = append(units[len(units)-1].runes, r)
			continue
		}
		if lv[i]%2 == 1 {
			r = mirror(r)
		}
		units = append(units, unit{runes: []rune{r}, level: lv[i]})
	}
	// L2: from the highest level to 1, reverse every run at that level or
	// higher.
	for level := 2; level >= 1; level-- {
		for i := 0; i < len(units); {
			if units[i].level < level {
				i++
				continue
			}
			j := i
			for j < len(units) && units[j].level >= level {
				j++
			}
			slices.Reverse(units[i:j])
			i = j
		}
	}
	out := make([]rune, 0, len(rs))
	for _, u := range units {
		out = append(out, u.runes...)
	}
	return string(out)
}

// hasRTL reports whether s has a character of a right-to-left script.
func hasRTL(s string) bool {
	for i := 0; i < len(s); {
		p, n := bidi.LookupString(s[i:])
		if c := p.Class(); c == bidi.R || c == bidi.AL {
			return true
		}
		i += max(n, 1)
	}
	return false
}

// strong is the direction a resolved class counts as for neutrals (rule
// N1: numbers count as right to left), or ON for a neutral.
func strong(c bidi.Class) bidi.Class {
	switch c {
	case bidi.L:
		return bidi.L
	case bidi.R, bidi.EN, bidi.AN:
		return bidi.R
	}
	return bidi.ON
}

// resolveWeak applies the weak rules W1 to W7 to the classes of a line
// whose start and end count as left to right, and returns the classes:
// L, R, EN, AN or a neutral (WS, S, B, ON).
func resolveWeak(orig []bidi.Class) []bidi.Class {
	cls := make([]bidi.Class, len(orig))
	for i, c := range orig {
		switch c {
		case bidi.L, bidi.R, bidi.AL, bidi.EN, bidi.ES, bidi.ET, bidi.AN, bidi.CS, bidi.WS, bidi.S, bidi.B:
		case bidi.NSM: // W1: a mark takes the class of what it marks
			c = bidi.ON
			if i > 0 {
				c = cls[i-1]
			}
		default:
			c = bidi.ON
		}
		cls[i] = c
	}
	last := bidi.L // the last strong class, from the start of the line
	for i, c := range cls {
		switch c {
		case bidi.L, bidi.R, bidi.AL:
			last = c
		case bidi.EN:
			if last == bidi.AL { // W2
				cls[i] = bidi.AN
			}
		}
	}
	for i, c := range cls {
		if c == bidi.AL { // W3
			cls[i] = bidi.R
		}
	}
	for i := 1; i+1 < len(cls); i++ { // W4
		a, c, b := cls[i-1], cls[i], cls[i+1]
		if a == b && ((c == bidi.ES && a == bidi.EN) || (c == bidi.CS && (a == bidi.EN || a == bidi.AN))) {
			cls[i] = a
		}
	}
	for i := 0; i < len(cls); { // W5: terminators next to a number
		if cls[i] != bidi.ET {
			i++
			continue
		}
		j := i
		for j < len(cls) && cls[j] == bidi.ET {
			j++
		}
		if (i > 0 && cls[i-1] == bidi.EN) || (j < len(cls) && cls[j] == bidi.EN) {
			for k := i; k < j; k++ {
				cls[k] = bidi.EN
			}
		}
		i = j
	}
	for i, c := range cls { // W6
		if c == bidi.ES || c == bidi.ET || c == bidi.CS {
			cls[i] = bidi.ON
		}
	}
	last = bidi.L
	for i, c := range cls { // W7
		switch c {
		case bidi.L, bidi.R:
			last = c
		case bidi.EN:
			if last == bidi.L {
				cls[i] = bidi.L
			}
		}
	}
	return cls
}

// resolveBrackets applies rule N0 to the pairs of brackets of a line
// embedded left to right: a pair around a left-to-right character is left
// to right; a pair around right-to-left ones only is right to left when
// what comes before it is, else left to right.
func resolveBrackets(rs []rune, cls []bidi.Class) {
	type open struct {
		at    int
		close rune
	}
	var stack []open
	for i, r := range rs {
		if cls[i] != bidi.ON {
			continue
		}
		if c, ok := pairs[r]; ok {
			stack = append(stack, open{i, c})
			continue
		}
		for k := len(stack) - 1; k >= 0; k-- {
			if stack[k].close != r {
				continue
			}
			o := stack[k].at
			stack = stack[:k]
			inside := bidi.ON
			for _, c := range cls[o+1 : i] {
				if s := strong(c); s == bidi.L {
					inside = bidi.L
					break
				} else if s == bidi.R {
					inside = bidi.R
				}
			}
			if inside == bidi.ON {
				break
			}
			dir := bidi.L
			if inside == bidi.R {
				before := bidi.L
				for j := o - 1; j >= 0; j-- {
					if s := strong(cls[j]); s != bidi.ON {
						before = s
						break
					}
				}
				dir = before
			}
			cls[o], cls[i] = dir, dir
			break
		}
	}
}

// resolveNeutral applies rules N1 and N2: a run of neutrals between two
// characters of the same direction takes it, any other the line's (left to
// right).
func resolveNeutral(cls []bidi.Class) {
	for i := 0; i < len(cls); {
		if strong(cls[i]) != bidi.ON {
			i++
			continue
		}
		j := i
		for j < len(cls) && strong(cls[j]) == bidi.ON {
			j++
		}
		before, after := bidi.L, bidi.L
		if i > 0 {
			before = strong(cls[i-1])
		}
		if j < len(cls) {
			after = strong(cls[j])
		}
		dir := bidi.L
		if before == after {
			dir = before
		}
		for k := i; k < j; k++ {
			cls[k] = dir
		}
		i = j
	}
}

// pairs are the opening brackets of rule N0 and their closing ones.
var pairs = map[rune]rune{'(': ')', '[': ']', '{': '}'}

// mirrored are the characters drawn as their mirror image in right-to-left
// text (rule L4).
var mirrored = map[rune]rune{'(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<', '«': '»', '»': '«', '‹': '›', '›': '‹'}

func mirror(r rune) rune {
	if m, ok := mirrored[r]; ok {
		return m
	}
	return r
}
