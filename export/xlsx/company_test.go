package xlsx_test

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/export/xlsx"
	"github.com/goalkit/goalkit/goal"
	"github.com/xuri/excelize/v2"
)

// TestEveryoneIsCompany: the workbook names everyone together ("*") as
// the dashboard and the documents do, "Company", on every sheet: in the
// column participant, in the column name and in the heads of a goal's
// daily series; only the Values sheet's column participant keeps the id
// "*", as WriteCSV writes it. The workbook said "everyone (*)".
func TestEveryoneIsCompany(t *testing.T) {
	plan, rep := sample.Report(t)
	var buf bytes.Buffer
	namer := func(goal.ParticipantKind, string) (string, bool) { return "", false }
	if err := xlsx.Write(&buf, plan, rep, xlsx.WithNamer(namer)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The sample's company goal, "Выручка компании", its cascade's nodes
	// (March and the six weeks that meet it, W09 to W14) and the values'
	// rows of everyone (five indicators in March).
	everyone := map[string]int{}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			for j, cell := range row {
				if strings.Contains(cell, "everyone") {
					t.Errorf("%s row %d column %d: %q", sheet, i+1, j+1, cell)
				}
			}
		}
		participant, name := slices.Index(rows[0], "participant"), slices.Index(rows[0], "name")
		if participant < 0 {
			continue
		}
		for _, row := range rows[1:] {
			switch {
			case len(row) <= name || row[name] != "Company":
			case sheet == "Values" && row[participant] == "*", sheet != "Values" && row[participant] == "Company":
				everyone[sheet]++
			default:
				t.Errorf("%s: %q is named Company", sheet, row)
			}
		}
	}
	if want := map[string]int{"Выручка компании": 1, "Cascades": 7, "Values": 5}; !maps.Equal(everyone, want) {
		t.Errorf("rows of everyone named Company: %v, want %v", everyone, want)
	}
	for cell, want := range map[string]string{"B2": "Company", "B4": "Company, 2025-03: plan", "C4": "Company, 2025-03: actual"} {
		if got, err := f.GetCellValue("Выручка компании", cell); err != nil || got != want {
			t.Errorf("Выручка компании!%s = %q (%v), want %q", cell, got, err, want)
		}
	}
}
