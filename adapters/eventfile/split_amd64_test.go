//go:build amd64 && !purego

package eventfile

import "testing"

func init() {
	if useAVX2 {
		splitters = append(splitters, struct {
			name  string
			split func([]byte, *fields, bool) (int, bool, bool)
		}{"avx2", splitLine})
	}
}

// TestSplitLineAVX2Used fails where the processor has AVX2 but splitLine
// does not use it, so the vector form is checked wherever it can be.
func TestSplitLineAVX2Used(t *testing.T) {
	if !useAVX2 {
		t.Skip("the processor has no AVX2: splitLine is the portable form")
	}
	var f fields
	data := []byte("1,call,2024-12-31T21:00:03Z,898,,,,referral,1\n")
	n, nl, state := splitAVX2(data, make([]int32, 32), false)
	if state != 0 || nl != len(data)-1 || n != 9 {
		t.Fatalf("splitAVX2: %d fields, line end %d, state %d", n, nl, state)
	}
	if nl, _, _ := splitLine(data, &f, false); nl != len(data)-1 || f.n != 9 {
		t.Fatalf("splitLine: %d fields, line end %d", f.n, nl)
	}
}
