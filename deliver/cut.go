package deliver

import (
	"strings"
	"unicode"
	"unicode/utf16"
)

// cut returns s when it fits in n UTF-16 code units, else its longest
// start that fits with a final "…": the cut falls between user-perceived
// characters (clusterBoundary), never between the code points of one
// unless the first character alone is past the limit, and at no place
// where splits reports that it would split one of the channel's escapes
// ("\u20…" would read as neither the character nor its escape). UTF-16
// code units are Telegram's count, and never fewer than a count of code
// points (Slack's characters), so a text cut to a limit counted either
// way fits.
func cut(s string, n int, splits func(s string, i int) bool) string {
	if len(s) <= n {
		// A code point is never more UTF-16 units than UTF-8 bytes.
		return s
	}
	units := 0
	for _, r := range s {
		units += utf16.RuneLen(r)
	}
	if units <= n {
		return s
	}
	// at is the last place to cut, between characters; between is the
	// last between code points, where the text is cut when its first
	// character alone is past the limit (a letter under thousands of
	// combining marks), rather than sending "…" alone.
	at, between, units, ri := 0, 0, 0, 0
	var prev rune
	for i, r := range s {
		if i > 0 && !splits(s, i) {
			between = i
			if clusterBoundary(prev, r, ri) {
				at = i
			}
		}
		if units += utf16.RuneLen(r); units > n-1 {
			break
		}
		if isRegionalIndicator(r) {
			ri++
		} else {
			ri = 0
		}
		prev = r
	}
	if at == 0 {
		at = between
	}
	return s[:at] + "…"
}

// clusterBoundary reports whether a text may be cut between the code
// points prev and r without splitting a user-perceived character, ri being
// how many regional indicators run up to prev (prev included). It follows
// the rules of Unicode's extended grapheme clusters (UAX #29) for what a
// sales message holds:
//   - CR LF is one character; a cut may fall before and after any other
//     control character;
//   - a combining mark (category M: an accent, a keycap's U+20E3, a vowel
//     sign), a variation selector, an emoji modifier (skin tone), a tag
//     (a subdivision flag's) and the zero-width joiner belong to what
//     precedes them;
//   - what follows a zero-width joiner belongs to it (an emoji ZWJ
//     sequence such as 👨‍👩‍👧 is one character);
//   - regional indicators pair from the start of their run (🇷🇺🇰🇿 is two
//     flags).
//
// It does not handle Hangul syllables written as conjoining jamo, prepended
// concatenation marks, Indic conjuncts (a virama joining consonants), nor
// spacing marks outside category Mc: a cut may fall inside one of them,
// always between code points. Its Unicode is Go's unicode package's.
func clusterBoundary(prev, r rune, ri int) bool {
	switch {
	case prev == '\r' && r == '\n':
		return false
	case unicode.IsControl(prev) || unicode.IsControl(r):
		return true
	case clusterExtend(r), prev == zwj:
		return false
	case isRegionalIndicator(prev) && isRegionalIndicator(r):
		return ri%2 == 0
	}
	return true
}

// zwj is the zero-width joiner, U+200D.
const zwj = '\u200d'

// clusterExtend reports whether r belongs to the character before it: a
// combining mark, the zero-width joiner, a variation selector, an emoji
// modifier or a tag.
func clusterExtend(r rune) bool {
	return unicode.Is(unicode.M, r) || r == zwj ||
		r >= 0xfe00 && r <= 0xfe0f || r >= 0xe0100 && r <= 0xe01ef || // variation selectors
		r >= 0x1f3fb && r <= 0x1f3ff || // emoji modifiers
		r >= 0xe0020 && r <= 0xe007f // tags
}

func isRegionalIndicator(r rune) bool { return r >= 0x1f1e6 && r <= 0x1f1ff }

// splitsEscape reports whether a cut of s at i splits a name's escape (see
// escapeStart).
func splitsEscape(s string, i int) bool { return escapeStart(s, i) != i }

// splitsSlack reports whether a cut of a Slack text at i splits a name's
// escape, an entity of slackEscaper ("&amp;", "&lt;", "&gt;") or a mark
// of slackMarks between its zero-width spaces (a lone "*" could end a
// bold).
func splitsSlack(s string, i int) bool {
	if splitsEscape(s, i) {
		return true
	}
	for j := max(0, i-len("\u200b*\u200b")+1); j < i; j++ {
		for _, tok := range slackTokens {
			if j+len(tok) > i && strings.HasPrefix(s[j:], tok) {
				return true
			}
		}
	}
	return false
}

// slackTokens are what slackEscaper and slackMarks write for one
// character, which a cut keeps whole.
var slackTokens = []string{"&amp;", "&lt;", "&gt;", "\u200b*\u200b", "\u200b_\u200b", "\u200b~\u200b", "\u200b`\u200b"}
