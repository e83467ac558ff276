package deliver_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/goalkit/goalkit/deliver"
	"pgregory.net/rapid"
)

// punyDecode decodes a label's punycode (without "xn--") as RFC 3492's
// section 6.2 does, written from the RFC apart from the encoder.
func punyDecode(s string) ([]rune, bool) {
	const base, tmin, tmax, skew, damp = 36, 1, 26, 38, 700
	adaptBias := func(delta, points int, first bool) int {
		if first {
			delta = delta / damp
		} else {
			delta = delta / 2
		}
		delta += delta / points
		k := 0
		for delta > ((base-tmin)*tmax)/2 {
			delta /= base - tmin
			k += base
		}
		return k + (base-tmin+1)*delta/(delta+skew)
	}
	var out []rune
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		out = []rune(s[:i])
		s = s[i+1:]
	}
	n, i, bias := 0x80, 0, 72
	for len(s) > 0 {
		oldi, w := i, 1
		for k := base; ; k += base {
			if len(s) == 0 {
				return nil, false
			}
			var d int
			switch c := s[0]; {
			case 'a' <= c && c <= 'z':
				d = int(c - 'a')
			case '0' <= c && c <= '9':
				d = int(c-'0') + 26
			default:
				return nil, false
			}
			s = s[1:]
			i += d * w
			t := k - bias
			if t < tmin {
				t = tmin
			} else if t > tmax {
				t = tmax
			}
			if d < t {
				break
			}
			w *= base - t
		}
		bias = adaptBias(i-oldi, len(out)+1, oldi == 0)
		n += i / (len(out) + 1)
		i %= len(out) + 1
		out = append(out[:i], append([]rune{rune(n)}, out[i:]...)...)
		i++
	}
	return out, true
}

// The decoder reads the RFC's own samples and the known labels back.
func TestPunyDecodeSamples(t *testing.T) {
	for _, tc := range []struct{ code, label string }{
		{"e1afmkfd", "пример"},
		{"p1ai", "рф"},
		{"bcher-kva", "bücher"},
		{"ihqwcrb4cv8a8dqg056pqjye", "他们为什么不说中文"},
		{"b1abfaaepdrnnbgefbadotcwatmq2g4l", "почемужеонинеговорятпорусски"},
		{"ab-no82a", "a😀b"},
	} {
		if got, ok := punyDecode(tc.code); !ok || string(got) != tc.label {
			t.Errorf("%s: %q, want %q", tc.code, string(got), tc.label)
		}
	}
}

// A From address whose domain has a label not in ASCII gives a Message-ID
// whose label is "xn--" and the punycode that an independent decoder reads
// back as the label lower-cased: any runes, any order, basic or not.
func TestMessageIDPunycodeRoundTripProperty(t *testing.T) {
	char := rapid.OneOf(
		rapid.RuneFrom([]rune("abcxyzABZ019-")),
		rapid.RuneFrom(nil, unicode.Cyrillic, unicode.Greek, unicode.Latin, unicode.Han),
		rapid.Rune().Filter(func(r rune) bool { return r >= 0x80 }),
	)
	rapid.Check(t, func(t *rapid.T) {
		label := string(rapid.SliceOfN(char, 1, 8).Draw(t, "label"))
		lower := strings.ToLower(label)
		got := deliver.MessageIDHeader("k1", "goals@"+label+".example")
		enc, ok := strings.CutPrefix(got, "<k1@")
		enc, ok2 := strings.CutSuffix(enc, ".example>")
		if !ok || !ok2 {
			t.Fatalf("%q: Message-ID %q", label, got)
		}
		if !strings.HasPrefix(enc, "xn--") {
			// An ASCII domain is as it is; one whose label is ASCII once
			// lower-cased (the Kelvin sign's k) is lower-cased.
			want := lower
			if isASCIIString(label) {
				want = label
			}
			if enc != want || !isASCIIString(want) {
				t.Fatalf("%q: label %q, want xn-- or %q in ASCII", label, enc, want)
			}
			return
		}
		back, ok := punyDecode(strings.TrimPrefix(enc, "xn--"))
		if !ok || string(back) != lower {
			t.Fatalf("%q: %q decodes to %q, want %q", label, enc, string(back), lower)
		}
		if utf8.RuneCountInString(enc) > 63 {
			t.Fatalf("%q: %q past 63 characters", label, enc)
		}
	})
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
