//go:build !amd64 || purego

package eventfile

// splitLine is splitLineGo: there is no vector form for this architecture.
func splitLine(data []byte, f *fields, quotes bool) (nl int, high, quoted bool) {
	return splitLineGo(data, f, quotes)
}

// splitLines records nothing: lines are split one at a time (splitLine).
func splitLines(data []byte, ends, lines []int32) (nends, nlines int, high bool) {
	return 0, 0, false
}

// useSplitLines reports whether splitLines records anything.
const useSplitLines = false
