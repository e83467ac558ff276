package deliver

import (
	"strings"
	"unicode/utf8"
)

// asciiDomain returns the domain as a Message-ID may hold it: as it is when
// it is ASCII, else lower-cased with each non-ASCII label in its punycode
// form (RFC 3492) after "xn--", as IDNA writes it. It returns "" when the
// result is not a dot-atom of atext (RFC 5322) or a domain literal, or has
// a label past 63 characters. It does not apply IDNA's normalisation
// (NFC) and mapping beyond lower case: a Message-ID need only be ASCII and
// unique, not the domain's registered name.
func asciiDomain(domain string) string {
	if len(domain) > 2 && domain[0] == '[' && domain[len(domain)-1] == ']' {
		for i := 1; i < len(domain)-1; i++ {
			if c := domain[i]; c < '!' || c > '~' || c == '[' || c == ']' || c == '\\' {
				return ""
			}
		}
		return domain
	}
	if !isASCII(domain) {
		labels := strings.Split(strings.ToLower(domain), ".")
		for i, l := range labels {
			switch {
			case utf8.RuneCountInString(l) > 63:
				// Its punycode is longer still (a character at least
				// each), and the count keeps punycode's numbers small.
				return ""
			case !isASCII(l):
				labels[i] = "xn--" + punycode(l)
			}
		}
		domain = strings.Join(labels, ".")
	}
	for l := range strings.SplitSeq(domain, ".") {
		if l == "" || len(l) > 63 || strings.ContainsFunc(l, func(r rune) bool { return !atext(r) }) {
			return ""
		}
	}
	return domain
}

// asciiAddress returns the address with its domain in its ASCII form
// (asciiDomain) when the domain is not ASCII and has one; otherwise the
// address as it is.
func asciiAddress(addr string) string {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 || isASCII(addr[i+1:]) {
		return addr
	}
	if d := asciiDomain(addr[i+1:]); d != "" {
		return addr[:i+1] + d
	}
	return addr
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// atext reports whether r is one of RFC 5322's atext characters.
func atext(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", r)
}

// punycode returns the label's punycode encoding (RFC 3492, section 6.3),
// without the "xn--" prefix.
func punycode(label string) string {
	const (
		base, tmin, tmax = 36, 1, 26
	)
	rs := []rune(label)
	var out []byte
	for _, r := range rs {
		if r < 0x80 {
			out = append(out, byte(r))
		}
	}
	b := len(out)
	h := b
	if b > 0 {
		out = append(out, '-')
	}
	digit := func(d int) byte {
		if d < 26 {
			return byte('a' + d)
		}
		return byte('0' + d - 26)
	}
	n, delta, bias := 0x80, 0, 72
	for h < len(rs) {
		m := rune(0x7fffffff)
		for _, r := range rs {
			if int(r) >= n && r < m {
				m = r
			}
		}
		// A label is at most 63 runes below 0x110000 (asciiDomain): delta
		// stays far from overflowing an int.
		delta += (int(m) - n) * (h + 1)
		n = int(m)
		for _, r := range rs {
			if int(r) < n {
				delta++
			}
			if int(r) != n {
				continue
			}
			q := delta
			for k := base; ; k += base {
				t := min(max(k-bias, tmin), tmax)
				if q < t {
					break
				}
				out = append(out, digit(t+(q-t)%(base-t)))
				q = (q - t) / (base - t)
			}
			out = append(out, digit(q))
			bias = adapt(delta, h+1, h == b)
			delta = 0
			h++
		}
		delta++
		n++
	}
	return string(out)
}

// adapt is RFC 3492's bias adaptation (section 6.1).
func adapt(delta, points int, first bool) int {
	if first {
		delta /= 700
	} else {
		delta /= 2
	}
	delta += delta / points
	k := 0
	for delta > (36-1)*26/2 {
		delta /= 36 - 1
		k += 36
	}
	return k + 36*delta/(delta+38)
}
