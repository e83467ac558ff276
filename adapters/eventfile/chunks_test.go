package eventfile

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// chunkReader reads data in reads of drawn sizes: from one byte up to
// max, now and then none (0, nil), and the last one sometimes with io.EOF.
type chunkReader struct {
	data []byte
	rnd  *rand.Rand
	max  int
}

func (r *chunkReader) Read(b []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	if r.rnd.IntN(8) == 0 {
		return 0, nil
	}
	n := copy(b, r.data[:min(len(r.data), 1+r.rnd.IntN(r.max))])
	r.data = r.data[n:]
	if len(r.data) == 0 && r.rnd.IntN(2) == 0 {
		return n, io.EOF
	}
	return n, nil
}

// The parallel reader gives the events of the serial one, with the same
// lines and in the same order, or the same error, for any cutting of the
// file: blocks of any size from 3 bytes (a byte order mark's) up, so that
// block ends fall inside quoted fields, between a CR and its LF, inside a
// UTF-8 character or a byte order mark, and the file read in reads of any
// size, none sometimes. The files are those of the references (bad lines,
// a byte order mark, CRLF, quoted line ends, blank lines, a last line
// without its end). The serial reader reads the file in reads of drawn
// sizes too, and gives what it gives reading the file whole.
func TestPropParallelAnyCutting(t *testing.T) {
	for _, f := range []Format{CSV, NDJSON} {
		t.Run(f.String(), func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				var in []byte
				if f == CSV {
					in = writeStdCSV(t, drawStdVersions(t, []string{"fewer", "more", "bare quote", "after quote", "not closed"}))
				} else {
					in = writeStdNDJSON(t, drawStdVersions(t, []string{"twice", "unknown", "wrong type", "after", "not closed"}))
				}
				rnd := rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "reads"), 1))
				readBy := func(r io.Reader) ([]string, string) {
					var out []string
					err := read(context.Background(), r, "f", f, typedOpt, func(line int64, e *kpi.Event) error {
						out = append(out, fmt.Sprintf("%d: %s", line, show(e)))
						return nil
					})
					return out, errText(err)
				}
				want, wantErr := readBy(strings.NewReader(string(in)))
				got, gotErr := readBy(&chunkReader{data: in, rnd: rnd, max: rapid.IntRange(1, 64).Draw(t, "serial reads")})
				if gotErr != wantErr || !slices.Equal(got, want) {
					t.Fatalf("serial, in reads of drawn sizes: got\n%s\n%s\nwant\n%s\n%s\nfile %q", strings.Join(got, "\n"), gotErr, strings.Join(want, "\n"), wantErr, in)
				}
				workers := rapid.IntRange(1, 4).Draw(t, "workers")
				block := rapid.OneOf(rapid.IntRange(3, 40), rapid.IntRange(41, 600)).Draw(t, "block")
				par, err := readParallelFrom(&chunkReader{data: in, rnd: rnd, max: rapid.IntRange(1, 700).Draw(t, "parallel reads")}, f, typedOpt, workers, block)
				if errText(err) != wantErr {
					t.Fatalf("%d workers, blocks of %d: error\n%v\nwant\n%s\nfile %q", workers, block, err, wantErr, in)
				}
				if err == nil && !slices.Equal(par, want) {
					t.Fatalf("%d workers, blocks of %d: got\n%s\nwant\n%s\nfile %q", workers, block, strings.Join(par, "\n"), strings.Join(want, "\n"), in)
				}
			})
		})
	}
}
