package xlsx_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/export/xlsx"
	"github.com/xuri/excelize/v2"
	"pgregory.net/rapid"
)

// formulaLike draws text that a spreadsheet may take for a formula (it
// starts with =, +, -, @, a tab or a carriage return) or not, of any
// script, of the runes of class.
func formulaLike(class *rapid.Generator[rune], label string) *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		lead := rapid.SampledFrom([]string{"=", "+", "-", "@", "\t", "\r", "'", "=HYPERLINK(\"http://example.com\",\"x\")", "@SUM(A1:A2)", "=1+2", ""}).Draw(t, label+" lead")
		return lead + rapid.StringOfN(class, 1, 12, -1).Draw(t, label)
	})
}

// formula matches a formula in a sheet's XML.
var formula = regexp.MustCompile(`<f[ >/][^<]*`)

// guarded is text as a cell of the workbook holds it, worked out here as
// the documents say: a leading quote before text a spreadsheet would take
// for a formula.
func guarded(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// TestTextNeverAFormula: participants and names of any script, however
// formula-like (=1+2, @SUM(…), -1+2, a leading tab), are text cells in
// every sheet of the workbook, never formulas: each is the text itself,
// a quote before it when it would start a formula, in the Values sheet's
// participant and name columns and the goal's sheet's; no cell of any
// sheet has a formula or a text that would start one.
func TestTextNeverAFormula(t *testing.T) {
	// Ids of letters, marks, digits, punctuation, symbols and spaces (an
	// event's actor has no control character); names of any rune but the
	// control characters other than a tab, a line feed and a carriage
	// return, and the two non-characters U+FFFE and U+FFFF, which an XML
	// file cannot hold (the workbook library writes U+FFFD for them).
	idRunes := rapid.RuneFrom(nil, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Zs)
	nameRunes := rapid.Rune().Filter(func(r rune) bool {
		return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != 0xFFFE && r != 0xFFFF
	})
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 4).Draw(t, "actors")
		var actors []string
		names := map[string]string{}
		var events bytes.Buffer
		for i := range n {
			a := formulaLike(idRunes, "actor").Filter(func(s string) bool { return strings.TrimSpace(s) == s }).Draw(t, "actor")
			if _, dup := names[a]; dup {
				continue
			}
			actors = append(actors, a)
			names[a] = formulaLike(nameRunes, "name").Draw(t, "name")
			line, _ := json.Marshal(map[string]string{"id": fmt.Sprint("e", i), "kind": "deal.won", "time": "2025-03-03T11:25:00Z", "actor": a, "amount": fmt.Sprint(i + 1)})
			events.Write(append(line, '\n'))
		}
		users, _ := json.Marshal(actors)
		plan := fmt.Sprintf(`{"timezone": "UTC",
  "indicators": [{"id": "revenue", "kinds": ["deal.won"], "aggregate": "sum", "value": "amount"}],
  "report": {"grain": "month", "from": "2025-03-01", "to": "2025-04-01"},
  "goals": [{"id": "g", "name": "=1+2", "indicator": "revenue", "target": 100, "period": {"from": "2025-03-01", "every": "month"}, "participants": {"users": %s}}]}`, users)
		p, rep, err := sample.Evaluate([]byte(plan), events.Bytes(), time.Date(2025, 3, 20, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := xlsx.Write(&buf, p, rep, xlsx.WithNames(names)); err != nil {
			t.Fatal(err)
		}
		// No sheet has a formula: an element <f> in its XML.
		z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		for _, zf := range z.File {
			if !strings.HasPrefix(zf.Name, "xl/worksheets/") {
				continue
			}
			r, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			x, err := io.ReadAll(r)
			r.Close()
			if err != nil {
				t.Fatal(err)
			}
			if formula.Match(x) {
				t.Fatalf("%s holds a formula: %s", zf.Name, formula.Find(x))
			}
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		seen := map[string]map[string]bool{}
		for _, sheet := range f.GetSheetList() {
			rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			header := map[string]int{}
			for i, h := range append(rows, nil)[0] {
				header[h] = i
			}
			table := true // the rows of the header's table, up to the first blank row
			for r, row := range rows {
				table = table && len(row) > 0
				for c, v := range row {
					if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
						cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
						if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
							t.Fatalf("%s!%s: the text %q would start a formula", sheet, cell, v)
						}
					}
				}
				pc, ok1 := header["participant"]
				nc, ok2 := header["name"]
				if r == 0 || !table || !ok1 || !ok2 || pc >= len(row) {
					continue
				}
				for _, a := range actors {
					if row[pc] != guarded(a) {
						continue
					}
					if got := append(row, make([]string, nc+1)...)[nc]; got != guarded(names[a]) {
						t.Fatalf("%s row %d: participant %q named %q, want %q", sheet, r+1, row[pc], got, guarded(names[a]))
					}
					if seen[sheet] == nil {
						seen[sheet] = map[string]bool{}
					}
					seen[sheet][a] = true
				}
			}
		}
		for _, sheet := range []string{"Values", "=1+2"} {
			for _, a := range actors {
				if !seen[sheet][a] {
					t.Fatalf("the sheet %s has no row of %q as %q (sheets %q)", sheet, a, guarded(a), f.GetSheetList())
				}
			}
		}
	})
}
