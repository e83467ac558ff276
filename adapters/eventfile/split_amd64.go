//go:build amd64 && !purego

package eventfile

// hasAVX2 reports whether the processor has AVX2 (with POPCNT and BMI1,
// which every processor with AVX2 has) and the operating system keeps its
// registers.
func hasAVX2() bool

// splitAVX2 splits the line at the start of data as splitLineGo does, 32
// bytes at a time, writing the end of each field to ends. It returns the
// number of fields, the index of the line's '\n' and its state: splitHigh,
// splitQuoted (n and nl are then 0 and -1) or splitGaveUp, when data is
// shorter than 32 bytes, the line does not end within data or it has more
// fields than ends holds (then nothing it wrote is to be used).
//
//go:noescape
func splitAVX2(data []byte, ends []int32, quotes bool) (n, nl, state int)

const (
	splitHigh = 1 << iota
	splitQuoted
	splitGaveUp
)

var useAVX2 = hasAVX2()

// useSplitLines reports whether splitLines records anything.
var useSplitLines = useAVX2

// splitLine is splitLineGo, with AVX2 where the processor has it.
func splitLine(data []byte, f *fields, quotes bool) (nl int, high, quoted bool) {
	if useAVX2 && len(data) >= 32 {
		if len(f.ends) < 33 {
			f.ends = make([]int32, 33)
		}
		n, nl, state := splitAVX2(data, f.ends[1:], quotes)
		if state&splitGaveUp == 0 {
			f.base, f.n, f.ends[0] = data, n, -1
			return nl, state&splitHigh != 0, state&splitQuoted != 0
		}
	}
	return splitLineGo(data, f, quotes)
}

// splitLinesAVX2 records the offsets of the separators (',' and '\n') at
// the start of data in ends, and those of the line ends ('\n') among them
// in lines, 32 bytes at a time, and returns how many of each it recorded
// and whether the bytes it read hold one ≥ 0x80. It stops before 32 bytes
// that data does not hold in full, or that could hold more separators or
// line ends than ends or lines have room for; it may write to ends and
// lines past the numbers it returns.
//
//go:noescape
func splitLinesAVX2(data []byte, ends, lines []int32) (nends, nlines int, high bool)

// splitLines is splitLinesAVX2 where the processor has AVX2; elsewhere it
// records nothing.
func splitLines(data []byte, ends, lines []int32) (nends, nlines int, high bool) {
	if !useAVX2 {
		return 0, 0, false
	}
	return splitLinesAVX2(data, ends, lines)
}
