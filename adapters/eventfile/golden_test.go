package eventfile

import (
	"bytes"
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
			in, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			events, err := loadEvents(t, bytes.NewReader(in), name, sampleOpt)
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
			in, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			_, err = loadEvents(t, bytes.NewReader(in), name, sampleOpt)
			checkGolden(t, name+".golden", []byte(errText(err)+"\n"))
		})
	}
}
