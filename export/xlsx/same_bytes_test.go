package xlsx_test

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"

	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/export/xlsx"
)

// The same report writes the same workbook, byte for byte, every time: a
// workbook kept under version control or checked by its digest does not
// change when nothing did. excelize listed the image types of the charts'
// drawings in [Content_Types].xml in a map's order, different from run to
// run.
func TestSameReportSameBytes(t *testing.T) {
	plan, rep := sample.Report(t)
	var first []byte
	for run := range 20 {
		var buf bytes.Buffer
		if err := xlsx.Write(&buf, plan, rep); err != nil {
			t.Fatal(err)
		}
		if run == 0 {
			first = buf.Bytes()
			continue
		}
		if !bytes.Equal(buf.Bytes(), first) {
			t.Fatalf("run %d wrote other bytes; the parts that differ: %v", run, differing(t, first, buf.Bytes()))
		}
	}
}

// differing names the parts of two workbooks whose contents differ.
func differing(t *testing.T, a, b []byte) []string {
	read := func(data []byte) map[string]string {
		z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, f := range z.File {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(r)
			out[f.Name] = string(body)
		}
		return out
	}
	pa, pb := read(a), read(b)
	var names []string
	for name, body := range pa {
		if pb[name] != body {
			names = append(names, name)
		}
	}
	return names
}
