//go:build amd64 && !purego

package eventfile

// hasAVX2 reports whether the processor has AVX2 and the operating system
// keeps its registers.
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

// splitLine is splitLineGo, with AVX2 where the processor has it.
func splitLine(data []byte, f *fields, quotes bool) (nl int, high, quoted bool) {
	if useAVX2 && len(data) >= 32 {
		if len(f.ends) < 32 {
			f.ends = make([]int32, 32)
		}
		n, nl, state := splitAVX2(data, f.ends, quotes)
		if state&splitGaveUp == 0 {
			f.base, f.n = data, n
			return nl, state&splitHigh != 0, state&splitQuoted != 0
		}
	}
	return splitLineGo(data, f, quotes)
}
