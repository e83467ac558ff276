package xlsx_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"html"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/export/xlsx"
	"github.com/xuri/excelize/v2"
)

// tb is what the functions that read a workbook need of a test:
// *testing.T or *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// write writes the report as a workbook and opens it again.
func write(t *testing.T, plan *goalkit.Plan, rep *goalkit.Report) (*excelize.File, []byte) {
	t.Helper()
	f, data := open(t, plan, rep)
	t.Cleanup(func() { f.Close() })
	return f, data
}

// open writes the report as a workbook and opens it again; the caller
// closes it.
func open(t tb, plan *goalkit.Plan, rep *goalkit.Report) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, plan, rep); err != nil {
		t.Fatal(err)
	}
	data := bytes.Clone(buf.Bytes())
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return f, data
}

// cellOf is what a test reads of a cell: its type, the value as stored,
// the value as Excel shows it, its number format and whether it is bold.
type cellOf struct {
	typ             excelize.CellType
	raw, shown, fmt string
	bold            bool
}

func readCell(t testing.TB, f *excelize.File, sheet, cell string) cellOf {
	t.Helper()
	var c cellOf
	var err error
	if c.typ, err = f.GetCellType(sheet, cell); err != nil {
		t.Fatal(err)
	}
	if c.raw, err = f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true}); err != nil {
		t.Fatal(err)
	}
	if c.typ == excelize.CellTypeUnset && c.raw != "" {
		c.typ = excelize.CellTypeNumber // a number cell has no type attribute
	}
	if c.shown, err = f.GetCellValue(sheet, cell); err != nil {
		t.Fatal(err)
	}
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt != nil {
		c.fmt = *st.CustomNumFmt
	}
	c.bold = st.Font != nil && st.Font.Bold
	return c
}

var typeNames = map[excelize.CellType]string{
	excelize.CellTypeUnset: "unset", excelize.CellTypeBool: "bool", excelize.CellTypeNumber: "number",
	excelize.CellTypeSharedString: "text", excelize.CellTypeInlineString: "inline", excelize.CellTypeFormula: "formula",
}

// structure describes a workbook for a golden file: each sheet's name,
// frozen panes and column widths, every cell with its type, stored and
// shown value and format, the notes, and each chart's series.
func structure(t testing.TB, f *excelize.File, data []byte) string {
	t.Helper()
	var b strings.Builder
	for _, sh := range f.GetSheetList() {
		fmt.Fprintf(&b, "sheet %q\n", sh)
		panes, err := f.GetPanes(sh)
		if err != nil {
			t.Fatal(err)
		}
		if panes.Freeze {
			fmt.Fprintf(&b, "  frozen above %s\n", panes.TopLeftCell)
		}
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		cols := 0
		for _, r := range rows {
			cols = max(cols, len(r))
		}
		b.WriteString("  widths")
		for c := 1; c <= cols; c++ {
			name, _ := excelize.ColumnNumberToName(c)
			w, err := f.GetColWidth(sh, name)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, " %s=%g", name, w)
		}
		b.WriteString("\n")
		for i, r := range rows {
			for j := range r {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				c := readCell(t, f, sh, cell)
				if c.raw == "" {
					continue
				}
				fmt.Fprintf(&b, "  %s %s %q", cell, typeNames[c.typ], c.raw)
				if c.shown != c.raw {
					fmt.Fprintf(&b, " shown %q", c.shown)
				}
				if c.fmt != "" {
					fmt.Fprintf(&b, " format %q", c.fmt)
				}
				if c.bold {
					b.WriteString(" bold")
				}
				b.WriteString("\n")
			}
		}
		comments, err := f.GetComments(sh)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range comments {
			fmt.Fprintf(&b, "  note %s: %s\n", c.Cell, noteText(c))
		}
	}
	for _, ch := range charts(t, data) {
		fmt.Fprintf(&b, "chart %s\n", ch)
	}
	return b.String()
}

// noteText is the text of a note.
func noteText(c excelize.Comment) string {
	var s strings.Builder
	s.WriteString(c.Text)
	for _, p := range c.Paragraph {
		s.WriteString(p.Text)
	}
	return s.String()
}

var (
	chartFormula = regexp.MustCompile(`<f>([^<]*)</f>`)
	chartKind    = regexp.MustCompile(`<(barChart|lineChart)><barDir val="(\w+)"`)
	chartTitle   = regexp.MustCompile(`<title>.*?<a:t>([^<]*)</a:t>`)
)

// charts describes each chart part of a workbook: its kind, title and the
// ranges its series read.
func charts(t testing.TB, data []byte) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/charts/chart") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		s := zf.Name + ":"
		if m := chartKind.FindSubmatch(body); m != nil {
			s += fmt.Sprintf(" %s %s", m[1], m[2])
		}
		if m := chartTitle.FindSubmatch(body); m != nil {
			s += fmt.Sprintf(" %q", m[1])
		}
		for _, m := range chartFormula.FindAllSubmatch(body, -1) {
			s += " " + html.UnescapeString(string(m[1]))
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}
