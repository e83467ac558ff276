package pdf_test

import (
	"bytes"
	"testing"

	"github.com/goalkit/goalkit/export/internal/sample"
)

// The same report gives the same PDF bytes, run after run: fpdf writes
// images in the order of their widths and those of the same width in a
// map's order, and the goal's report (six charts of one width) or the
// person's scorecard (two) came out different in about half of the runs.
func TestDocumentsSameBytes(t *testing.T) {
	plan, rep := sample.Report(t)
	for _, doc := range documents {
		t.Run(doc.name, func(t *testing.T) {
			var first []byte
			for i := range 12 {
				var buf bytes.Buffer
				if err := doc.write(&buf, plan, rep); err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					first = buf.Bytes()
				} else if !bytes.Equal(buf.Bytes(), first) {
					t.Fatalf("run %d wrote other bytes than the first", i+1)
				}
			}
		})
	}
}
