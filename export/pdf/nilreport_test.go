package pdf_test

import (
	"bytes"
	"runtime/debug"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/export/pdf"
	"github.com/goalkit/goalkit/export/xlsx"
	"github.com/goalkit/goalkit/goal"
)

// A nil plan or report is refused, saying which; a zero Report is a
// report with no period, refused as such by the PDFs and written as an
// empty workbook, and a goal's report of a report of goals alone is
// written. Each panicked on a nil pointer. A host's report with a nil goal
// row, cascade tree or root is refused naming it (as the dashboard does);
// every export panicked on it.
func TestExportsOfNilAndEmptyReports(t *testing.T) {
	plan, rep := sample.Report(t)
	goals := &goalkit.Report{AsOf: rep.AsOf, Goals: rep.Goals}
	// A host's reports with a hole its filtering left: a nil goal row, a
	// nil cascade tree, a tree of a nil root.
	nilRow := *rep
	rows := *rep.Goals
	rows.Rows = append([]*goal.Row{rows.Rows[0], nil}, rows.Rows[1:]...)
	nilRow.Goals = &rows
	nilTree := *rep
	nilTree.Cascade = &cascade.Result{Trees: []*cascade.Tree{rep.Cascade.Trees[0], nil}}
	nilRoot := *rep
	rootless := *rep.Cascade.Trees[0]
	rootless.Root = nil
	nilRoot.Cascade = &cascade.Result{Trees: []*cascade.Tree{&rootless}}
	for _, c := range []struct {
		name  string
		write func(*bytes.Buffer) error
		want  string
	}{
		{"xlsx, no plan", func(w *bytes.Buffer) error { return xlsx.Write(w, nil, rep) }, "xlsx: no plan given (nil)"},
		{"xlsx, no report", func(w *bytes.Buffer) error { return xlsx.Write(w, plan, nil) }, "xlsx: no report given (nil)"},
		{"xlsx, zero report", func(w *bytes.Buffer) error { return xlsx.Write(w, plan, &goalkit.Report{}) }, ""},
		{"department, no plan", func(w *bytes.Buffer) error { return pdf.Department(w, nil, rep, "") }, "pdf: no plan given (nil)"},
		{"department, neither", func(w *bytes.Buffer) error { return pdf.Department(w, nil, nil, "") }, "pdf: no plan and no report given (nil)"},
		{"department, zero report", func(w *bytes.Buffer) error { return pdf.Department(w, plan, &goalkit.Report{}, "") }, "pdf: the report has no period"},
		{"person, no report", func(w *bytes.Buffer) error { return pdf.Person(w, plan, nil, "anna", "") }, "pdf: no report given (nil)"},
		{"person, zero report", func(w *bytes.Buffer) error { return pdf.Person(w, plan, &goalkit.Report{}, "anna", "") }, "pdf: the report has no period"},
		{"goal, no plan", func(w *bytes.Buffer) error { return pdf.Goal(w, nil, rep, "revenue_plan", "") }, "pdf: no plan given (nil)"},
		{"goal, goals only", func(w *bytes.Buffer) error { return pdf.Goal(w, plan, goals, "revenue_plan", "") }, ""},
		{"xlsx, a nil goal row", func(w *bytes.Buffer) error { return xlsx.Write(w, plan, &nilRow) }, "xlsx: goalkit: the report's goals.rows[1] is nil"},
		{"xlsx, a nil cascade tree", func(w *bytes.Buffer) error { return xlsx.Write(w, plan, &nilTree) }, "xlsx: goalkit: the report's cascade.trees[1] is nil"},
		{"department, a nil goal row", func(w *bytes.Buffer) error { return pdf.Department(w, plan, &nilRow, "") }, "pdf: goalkit: the report's goals.rows[1] is nil"},
		{"department, a nil cascade root", func(w *bytes.Buffer) error { return pdf.Department(w, plan, &nilRoot, "") }, "pdf: goalkit: the report's cascade.trees[0].root is nil"},
		{"person, a nil goal row", func(w *bytes.Buffer) error { return pdf.Person(w, plan, &nilRow, "anna", "") }, "pdf: goalkit: the report's goals.rows[1] is nil"},
		{"goal, a nil goal row", func(w *bytes.Buffer) error { return pdf.Goal(w, plan, &nilRow, "revenue_plan", "") }, "pdf: goalkit: the report's goals.rows[1] is nil"},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("panic: %v\n%s", r, debug.Stack())
				}
			}()
			var buf bytes.Buffer
			err := c.write(&buf)
			switch {
			case c.want == "" && err != nil:
				t.Fatal(err)
			case c.want == "" && buf.Len() == 0:
				t.Fatal("nothing written")
			case c.want != "" && (err == nil || err.Error() != c.want):
				t.Fatalf("got %v, want %s", err, c.want)
			}
		})
	}
}
