package xlsx_test

import (
	"bytes"
	"testing"

	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/export/pdf"
	"github.com/goalkit/goalkit/export/xlsx"
)

// A nil option, which the types allow (an option chosen by a condition
// left unset), is no option: the workbook and the documents are written as
// without it. Each called it and panicked.
func TestNilOptionIsNone(t *testing.T) {
	plan, rep := sample.SharedID(t)
	var want, got bytes.Buffer
	if err := xlsx.Write(&want, plan, rep); err != nil {
		t.Fatal(err)
	}
	if err := xlsx.Write(&got, plan, rep, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Error("the workbook with a nil option differs from the one without")
	}
	want.Reset()
	got.Reset()
	if err := pdf.Department(&want, plan, rep, ""); err != nil {
		t.Fatal(err)
	}
	if err := pdf.Department(&got, plan, rep, "", nil, pdf.WithNamer(nil)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Error("the document with a nil option differs from the one without")
	}
}
