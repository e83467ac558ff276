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
// by the algorithm's rules (UAX #9 with isolates, without explicit
// embeddings and overrides): a run of right-to-left script (Hebrew,
// Arabic) is reversed, numbers in it keep their reading order, brackets in
// it are mirrored and a combining mark stays after the letter it marks;
// an isolate (Isolate) is laid out by itself and its marks are left out.
// Text without a right-to-left character is returned as it is, less the
// marks of isolates. Arabic letters are not joined: they print in their
// isolated forms.
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
	if !Directional(joined) {
		if !strings.ContainsFunc(joined, IsMark) {
			return lines
		}
		out := make([]string, len(lines))
		for i, l := range lines {
			out[i] = Unmarked(l)
		}
		return out
	}
	rs := []rune(joined)
	orig := make([]bidi.Class, len(rs))
	for i, r := range rs {
		p, _ := bidi.LookupRune(r)
		orig[i] = p.Class()
	}
	lv := make([]int, len(rs))
	resolve(rs, orig, 0, len(rs), 0, lv)
	out := make([]string, len(lines))
	at := 0
	for i, l := range lines {
		n := utf8.RuneCountInString(l)
		out[i] = reorder(rs[at:at+n], orig[at:at+n], slices.Clone(lv[at:at+n]))
		at += n + 1
	}
	return out
}

// The marks of an isolate: U+2066 LEFT-TO-RIGHT ISOLATE, U+2067
// RIGHT-TO-LEFT ISOLATE and U+2068 FIRST STRONG ISOLATE open one, U+2069
// POP DIRECTIONAL ISOLATE closes it.
const (
	rli = '\u2067'
	fsi = '\u2068'
	pdi = '\u2069'
)

// IsMark reports whether r is the mark of an isolate.
func IsMark(r rune) bool { return r >= '\u2066' && r <= pdi }

// Isolate returns s marked as an isolate (U+2068 … U+2069) for Visual and
// VisualLines: laid out by itself, in the direction of its first strong
// character, and one neutral character to the text around it, so that a
// right-to-left name does not take the text after it into its run
// ("Scorecard: name, 2025-03" keeps the period after the name), as <bdi>
// does in a page. Isolate marks in s are left out, so that it is one
// isolate whatever it holds.
func Isolate(s string) string {
	return string(fsi) + Unmarked(s) + string(pdi)
}

// CellIsolate is s for a cell that an application lays out by itself with
// the bidirectional algorithm (the workbook's): an isolate (Isolate) when
// the algorithm could move it or the text after it (a right-to-left
// character, an Arabic digit, a mark of direction: an isolate's, an
// embedding's, an override's), else s as it is, so that an id such as
// "e1" is written as the host wrote it. As Isolate does in the PDF, it
// keeps a right-to-left id from taking the text after it into its run, and
// an override in it from reversing the rest of the cell.
func CellIsolate(s string) string {
	for i := 0; i < len(s); {
		p, n := bidi.LookupString(s[i:])
		switch p.Class() {
		case bidi.R, bidi.AL, bidi.AN, bidi.LRE, bidi.RLE, bidi.LRO, bidi.RLO, bidi.PDF, bidi.LRI, bidi.RLI, bidi.FSI, bidi.PDI:
			return Isolate(s)
		}
		i += max(n, 1)
	}
	return s
}

// Unmarked returns s without isolate marks: its characters as they are
// drawn, for measuring it.
func Unmarked(s string) string {
	if !strings.ContainsFunc(s, IsMark) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if IsMark(r) {
			return -1
		}
		return r
	}, s)
}

// maxDepth is the deepest embedding level (UAX #9's max_depth): an isolate
// that would go deeper is laid out at the level of the text around it.
const maxDepth = 125

// resolve sets lv to the resolved levels of rs[from:to], a run of text at
// the embedding level level (0 for the line, 1 for a right-to-left
// isolate, 2 for a left-to-right one in it…): the isolates in it are left
// out of its sequence but for their marks, which count as neutrals, and
// resolved by themselves one level or two deeper (rules X5a to X5c, X6a,
// W1 to W7, N0 to N2, I1 and I2).
func resolve(rs []rune, orig []bidi.Class, from, to, level int, lv []int) {
	var seq []int
	type child struct {
		from, to int
		class    bidi.Class
	}
	var children []child
	for i := from; i < to; i++ {
		seq = append(seq, i)
		c := orig[i]
		if c != bidi.LRI && c != bidi.RLI && c != bidi.FSI {
			continue
		}
		end, depth := i+1, 1
		for ; end < to; end++ {
			switch orig[end] {
			case bidi.LRI, bidi.RLI, bidi.FSI:
				depth++
			case bidi.PDI:
				depth--
			}
			if depth == 0 {
				break
			}
		}
		children = append(children, child{i + 1, end, c})
		i = end - 1 // the closing mark, if any, is the next of the sequence
	}
	dir := bidi.L
	if level%2 == 1 {
		dir = bidi.R
	}
	sr := make([]rune, len(seq))
	so := make([]bidi.Class, len(seq))
	for k, i := range seq {
		sr[k], so[k] = rs[i], orig[i]
	}
	cls := resolveWeak(so, dir)
	resolveBrackets(sr, cls, dir)
	resolveNeutral(cls, dir)
	for k, i := range seq {
		lv[i] = level
		switch c := cls[k]; {
		case level%2 == 0 && c == bidi.R, level%2 == 1 && c != bidi.R:
			lv[i] = level + 1
		case level%2 == 0 && (c == bidi.EN || c == bidi.AN):
			lv[i] = level + 2
		}
	}
	for _, ch := range children {
		rtl := ch.class == bidi.RLI || ch.class == bidi.FSI && firstStrong(orig[ch.from:ch.to]) == bidi.R
		next := level + 1
		if rtl == (next%2 == 0) {
			next++
		}
		if next > maxDepth {
			next = level
		}
		resolve(rs, orig, ch.from, ch.to, next, lv)
	}
}

// firstStrong is the direction of the first strong character of cs outside
// the isolates in it (rules P2 and P3): L when there is none.
func firstStrong(cs []bidi.Class) bidi.Class {
	depth := 0
	for _, c := range cs {
		switch {
		case c == bidi.LRI || c == bidi.RLI || c == bidi.FSI:
			depth++
		case c == bidi.PDI && depth > 0:
			depth--
		case depth > 0:
		case c == bidi.L:
			return bidi.L
		case c == bidi.R || c == bidi.AL:
			return bidi.R
		}
	}
	return bidi.L
}

// reorder returns a line's characters in the order they are drawn, given
// their original classes and resolved levels.
func reorder(rs []rune, orig []bidi.Class, lv []int) string {
	// L1: whitespace at the end of the line is at the line's level.
	for i := len(rs) - 1; i >= 0 && (orig[i] == bidi.WS || orig[i] == bidi.S || orig[i] == bidi.B || orig[i] == bidi.BN || IsMark(rs[i])); i-- {
		lv[i] = 0
	}
	// L3 in advance: a letter and its marks are reversed as one.
	type unit struct {
		runes []rune
		level int
	}
	var units []unit
	top := 0
	for i, r := range rs {
		if IsMark(r) {
			continue // the marks of isolates are not drawn
		}
		top = max(top, lv[i])
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
	for level := top; level >= 1; level-- {
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

// Directional reports whether the bidirectional algorithm moves anything
// in s: whether it has a right-to-left character or a right-to-left
// isolate. Without, Visual gives s back less the marks of isolates.
func Directional(s string) bool {
	return hasRTL(s) || strings.ContainsRune(s, rli)
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

// resolveWeak applies the weak rules W1 to W7 to the classes of a
// sequence whose start and end count as dir (L or R), and returns the
// classes: L, R, EN, AN or a neutral (WS, S, B, ON).
func resolveWeak(orig []bidi.Class, dir bidi.Class) []bidi.Class {
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
	last = dir
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

// resolveBrackets applies rule N0 to the pairs of brackets of a sequence
// embedded in the direction dir (L or R): a pair around a character of
// that direction takes it; a pair around characters of the other one only
// takes the other when what comes before it is of the other, else dir.
func resolveBrackets(rs []rune, cls []bidi.Class, dir bidi.Class) {
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
				if s := strong(c); s == dir {
					inside = dir
					break
				} else if s != bidi.ON {
					inside = s
				}
			}
			if inside == bidi.ON {
				break
			}
			pair := dir
			if inside != dir {
				before := dir
				for j := o - 1; j >= 0; j-- {
					if s := strong(cls[j]); s != bidi.ON {
						before = s
						break
					}
				}
				pair = before
			}
			cls[o], cls[i] = pair, pair
			break
		}
	}
}

// resolveNeutral applies rules N1 and N2: a run of neutrals between two
// characters of the same direction takes it, any other the sequence's,
// dir (L or R), whose start and end count as dir.
func resolveNeutral(cls []bidi.Class, dir bidi.Class) {
	for i := 0; i < len(cls); {
		if strong(cls[i]) != bidi.ON {
			i++
			continue
		}
		j := i
		for j < len(cls) && strong(cls[j]) == bidi.ON {
			j++
		}
		before, after := dir, dir
		if i > 0 {
			before = strong(cls[i-1])
		}
		if j < len(cls) {
			after = strong(cls[j])
		}
		run := dir
		if before == after {
			run = before
		}
		for k := i; k < j; k++ {
			cls[k] = run
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
