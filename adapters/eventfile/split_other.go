//go:build !amd64 || purego

package eventfile

// splitLine is splitLineGo: there is no vector form for this architecture.
func splitLine(data []byte, f *fields, quotes bool) (nl int, high, quoted bool) {
	return splitLineGo(data, f, quotes)
}
