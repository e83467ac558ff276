package eventfile

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/goalkit/goalkit/internal/golden"
	"github.com/goalkit/goalkit/kpi"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

var sampleOpt = Options{Attributes: map[string]kpi.AttrType{
	"source": kpi.AttrString, "pipeline": kpi.AttrInt, "duration": kpi.AttrInt,
}}

// golden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got, *update)
}

// The samples load to their golden resolved events, written as NDJSON, and
// the bad files fail with their golden messages.
func TestGolden(t *testing.T) {
	for _, name := range []string{"sample.csv", "sample.ndjson"} {
		t.Run(name, func(t *testing.T) {
			events, err := LoadFile(context.Background(), filepath.Join("testdata", name), sampleOpt)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			w := NewWriter(&buf, NDJSON, []string{"source", "pipeline"})
			for i := range events {
				if err := w.Write(&events[i]); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, name+".golden", buf.Bytes())
		})
	}
	for _, name := range []string{"bad.csv", "bad.ndjson"} {
		t.Run(name, func(t *testing.T) {
			f, _ := FormatOf(name)
			in, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Load(context.Background(), bytes.NewReader(in), name, f, sampleOpt)
			checkGolden(t, name+".golden", []byte(errText(err)+"\n"))
		})
	}
}
