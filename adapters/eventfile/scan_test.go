package eventfile

import (
	"bytes"
	"testing"

	"pgregory.net/rapid"
)

// splitNaive is splitLine written plainly: the reference it is checked
// against.
func splitNaive(data []byte, quotes bool) (fs [][]byte, nl int, high, quoted bool) {
	line := data
	nl = bytes.IndexByte(data, '\n')
	if nl >= 0 {
		line = data[:nl]
	}
	if bytes.IndexByte(line, '"') >= 0 {
		return nil, -1, false, true
	}
	for _, c := range line {
		if c >= 0x80 {
			high = true
		}
	}
	return bytes.Split(line, []byte{','}), nl, high, false
}

func checkSplit(t interface{ Fatalf(string, ...any) }, data []byte, quotes bool) {
	var f fields
	// Fields left from a longer line must not show through.
	splitLine(bytes.Repeat([]byte{','}, 40), &f, false)
	nl, high, quoted := splitLine(data, &f, quotes)
	want, wnl, whigh, wquoted := splitNaive(data, quotes)
	if wquoted {
		if quotes && !quoted {
			t.Fatalf("%q: quote not reported", data)
		}
		if quoted || quotes {
			return
		}
		// Without quotes set, the caller knows there is none: a quote is
		// then an ordinary byte.
		want, wnl, whigh, _ = splitNaive(bytes.ReplaceAll(data, []byte{'"'}, []byte{'x'}), false)
		for i, w := range want {
			k := 0
			for _, p := range want[:i] {
				k += len(p) + 1
			}
			want[i] = data[k : k+len(w)]
		}
	}
	if quoted {
		t.Fatalf("%q: a quote reported where there is none", data)
	}
	if nl != wnl || high != whigh {
		t.Fatalf("%q: line end %d, high %v; want %d, %v", data, nl, high, wnl, whigh)
	}
	if f.n != len(want) {
		t.Fatalf("%q: %d fields, want %d", data, f.n, len(want))
	}
	for k, w := range want {
		if got := f.field(k); !bytes.Equal(got, w) {
			t.Fatalf("%q: field %d is %q, want %q", data, k, got, w)
		}
	}
}

func TestSplitLine(t *testing.T) {
	for _, s := range []string{
		"", "\n", ",", ",,,,,,,,,,,,,,,,,,\n", "a,b", "1,call,2024-12-31T21:00:03Z,898,,,,referral,1\nnext",
		"abcdefg,\n", "abcdefgh,ijklmnop,q\n,,,", "é,x\n", "a\"b,c\n", "a,b\n\"", "12345678\n,,,,,,,,",
	} {
		for _, q := range []bool{false, true} {
			checkSplit(t, []byte(s), q)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		data := rapid.SliceOfN(rapid.SampledFrom([]byte{',', ',', ',', '\n', 'a', 'b', '"', 0xc3, '\r'}), 0, 80).Draw(t, "data")
		checkSplit(t, data, rapid.Bool().Draw(t, "quotes"))
	})
}

func FuzzSplitLine(f *testing.F) {
	f.Add([]byte("1,call,2024-12-31T21:00:03Z,898,,,,referral,1\n"), false)
	f.Add([]byte(",,,,,,,,,,\"\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, quotes bool) { checkSplit(t, data, quotes) })
}
