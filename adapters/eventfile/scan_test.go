package eventfile

import (
	"bytes"
	"slices"
	"strings"
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

// splitters are the forms of splitLine to check: the portable one, and
// those of this architecture that the processor runs (split_*_test.go).
var splitters = []struct {
	name  string
	split func([]byte, *fields, bool) (int, bool, bool)
}{{"go", splitLineGo}}

func checkSplit(t interface{ Fatalf(string, ...any) }, data []byte, quotes bool) {
	for _, s := range splitters {
		checkSplitWith(t, s.name, s.split, data, quotes)
	}
}

func checkSplitWith(t interface{ Fatalf(string, ...any) }, name string, split func([]byte, *fields, bool) (int, bool, bool), data []byte, quotes bool) {
	var f fields
	// Fields left from a longer line must not show through.
	split(bytes.Repeat([]byte{','}, 40), &f, false)
	nl, high, quoted := split(data, &f, quotes)
	want, wnl, whigh, wquoted := splitNaive(data, quotes)
	if wquoted {
		if quotes && !quoted {
			t.Fatalf("%s: %q: quote not reported", name, data)
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
		t.Fatalf("%s: %q: a quote reported where there is none", name, data)
	}
	if nl != wnl || high != whigh {
		t.Fatalf("%s: %q: line end %d, high %v; want %d, %v", name, data, nl, high, wnl, whigh)
	}
	if f.n != len(want) {
		t.Fatalf("%s: %q: %d fields, want %d", name, data, f.n, len(want))
	}
	for k, w := range want {
		if got := f.field(k); !bytes.Equal(got, w) {
			t.Fatalf("%s: %q: field %d is %q, want %q", name, data, k, got, w)
		}
	}
}

func TestSplitLine(t *testing.T) {
	for _, s := range []string{
		"", "\n", ",", ",,,,,,,,,,,,,,,,,,\n", "a,b", "1,call,2024-12-31T21:00:03Z,898,,,,referral,1\nnext",
		"abcdefg,\n", "abcdefgh,ijklmnop,q\n,,,", "é,x\n", "a\"b,c\n", "a,b\n\"", "12345678\n,,,,,,,,",
		// Lines about 32 bytes long, and one of more than 32 fields.
		"1234567890123456789012345678901\n,", "12345678901234567890123456789012\n", "123456789012345678901234567890123\n",
		"1234567890123456789012345678901,\n", "é234567890123456789012345678901\"\n",
		strings.Repeat(",", 70) + "\n" + strings.Repeat("x", 40),
		"1,call,2024-12-31T21:00:03Z,898,,,,referral,1\n2,email,2024-12-31T21:00:06Z,1020,,,,event,2\n",
	} {
		for _, q := range []bool{false, true} {
			checkSplit(t, []byte(s), q)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		data := rapid.SliceOfN(rapid.SampledFrom([]byte{',', ',', ',', '\n', 'a', 'b', 'a', 'b', 'a', 'b', '"', 0xc3, '\r'}), 0, 200).Draw(t, "data")
		checkSplit(t, data, rapid.Bool().Draw(t, "quotes"))
	})
}

func FuzzSplitLine(f *testing.F) {
	f.Add([]byte("1,call,2024-12-31T21:00:03Z,898,,,,referral,1\n"), false)
	f.Add([]byte(",,,,,,,,,,\"\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, quotes bool) { checkSplit(t, data, quotes) })
}

// checkSplitLines checks what splitLines records at the start of data
// against a plain search: the first separators and line ends of data, in
// order, every separator before the last line end recorded, no byte ≥
// 0x80 before it unless high says so, and progress wherever the 32 bytes
// that hold the first line end fit in data, ends and lines.
func checkSplitLines(t interface{ Fatalf(string, ...any) }, data []byte, nEnds, nLines int) {
	ends, lines := make([]int32, nEnds), make([]int32, nLines)
	ne, nl, high := splitLines(data, ends, lines)
	if !useSplitLines {
		if ne != 0 || nl != 0 {
			t.Fatalf("%q: splitLines recorded %d, %d without the instructions for it", data, ne, nl)
		}
		return
	}
	var seps, lfs []int32
	for i, c := range data {
		switch c {
		case ',':
			seps = append(seps, int32(i))
		case '\n':
			seps = append(seps, int32(i))
			lfs = append(lfs, int32(i))
		}
	}
	if ne > len(seps) || nl > len(lfs) || ne > nEnds || nl > nLines {
		t.Fatalf("%q: %d separators and %d line ends recorded, of %d and %d", data, ne, nl, len(seps), len(lfs))
	}
	if !slices.Equal(ends[:ne], seps[:ne]) || !slices.Equal(lines[:nl], lfs[:nl]) {
		t.Fatalf("%q: recorded %v and %v", data, ends[:ne], lines[:nl])
	}
	if nl > 0 {
		last := lines[nl-1]
		if k := slices.Index(seps, last); k >= ne {
			t.Fatalf("%q: line end %d recorded, not as separator %d", data, last, k)
		}
		if !high && slices.ContainsFunc(data[:last], func(c byte) bool { return c >= 0x80 }) {
			t.Fatalf("%q: a byte ≥ 0x80 before %d not reported", data, last)
		}
	}
	// The first 32 bytes fit wherever data and the room allow.
	if len(lfs) > 0 && lfs[0] < 32 && len(data) >= 32 && nEnds >= 32 && nLines >= 32 && nl == 0 {
		t.Fatalf("%q: no line recorded (room for %d and %d)", data, nEnds, nLines)
	}
}

func TestSplitLines(t *testing.T) {
	for _, s := range []string{
		"", "\n", strings.Repeat("1,call,2024-12-31T21:00:03Z,898,,,,referral,1\n", 20),
		strings.Repeat(",", 100) + "\n" + strings.Repeat("\n", 70), "é" + strings.Repeat("a,", 40) + "\n",
	} {
		for _, room := range []int{0, 32, 40, 64, 4096} {
			checkSplitLines(t, []byte(s), room, room)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		data := rapid.SliceOfN(rapid.SampledFrom([]byte{',', ',', '\n', 'a', 'b', 'a', 'b', 'a', 'b', 0xc3, '\r', '"'}), 0, 400).Draw(t, "data")
		// Mostly room for a few vectors, so that the rooms' limits are met.
		room := rapid.OneOf(rapid.IntRange(0, 300), rapid.IntRange(32, 100))
		checkSplitLines(t, data, room.Draw(t, "ends"), room.Draw(t, "lines"))
	})
}

func FuzzSplitLines(f *testing.F) {
	f.Add([]byte(strings.Repeat("1,call,2024-12-31T21:00:03Z,898,,,,referral,1\n", 3)), 64, 40)
	f.Add([]byte("ab\xc3,"+strings.Repeat("a", 40)+"\n"+strings.Repeat("b", 40)), 64, 64)
	f.Fuzz(func(t *testing.T, data []byte, nEnds, nLines int) {
		checkSplitLines(t, data, max(0, min(nEnds, 1<<12)), max(0, min(nLines, 1<<12)))
	})
}
