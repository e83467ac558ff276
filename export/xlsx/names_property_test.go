package xlsx_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/export/xlsx"
	"github.com/goalkit/goalkit/goal"
	"github.com/xuri/excelize/v2"
	"pgregory.net/rapid"
)

// TestNamesKeepTheColumns: for random plans and event streams (reports
// without daily series), the
// workbook with names is the workbook without them, cell for cell, with a
// column "name" after the last of each sheet with a participant column;
// each row's name is the one the namer gives its participant, else the
// participant column's text. Hosts read the columns by their places.
func TestNamesKeepTheColumns(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		plan, rep := sample.Random(t)
		// A name for some ids (those whose last byte is odd: u1, not u2),
		// by kind: "U:" for a unit, "P:" for a person.
		unnamed := func(id string) bool { return id == "" || id[len(id)-1]%2 == 0 }
		namer := func(kind goal.ParticipantKind, id string) (string, bool) {
			if unnamed(id) {
				return "", false
			}
			if kind == goal.Team {
				return "U:" + id, true
			}
			return "P:" + id, true
		}
		plain, _ := open(t, plan, rep)
		defer plain.Close()
		var buf bytes.Buffer
		if err := xlsx.Write(&buf, plan, rep, xlsx.WithNamer(namer)); err != nil {
			t.Fatal(err)
		}
		named, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		defer named.Close()
		if !slices.Equal(plain.GetSheetList(), named.GetSheetList()) {
			t.Fatalf("sheets %q, with names %q", plain.GetSheetList(), named.GetSheetList())
		}
		for _, sheet := range plain.GetSheetList() {
			want, err := plain.GetRows(sheet, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			got, err := named.GetRows(sheet, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("sheet %s: %d rows, with names %d", sheet, len(want), len(got))
			}
			part := slices.Index(want[0], "participant")
			width := len(want[0])
			if part >= 0 && (len(got[0]) != width+1 || got[0][width] != "name") {
				t.Fatalf("sheet %s: header %q, want %q and name", sheet, got[0], want[0])
			}
			for i := range want {
				w := append(slices.Clone(want[i]), make([]string, width+1)...)[:width+1]
				g := append(slices.Clone(got[i]), make([]string, width+1)...)[:width+1]
				if part < 0 {
					// A sheet without participants is the same, but the
					// Report sheet's warnings, which name theirs.
					if sheet != "Report" && !slices.Equal(g, w) {
						t.Fatalf("sheet %s row %d: %q, with names %q", sheet, i+1, w, g)
					}
					continue
				}
				if i == 0 {
					continue // the header, checked above
				}
				if !slices.Equal(g[:width], w[:width]) {
					t.Fatalf("sheet %s row %d: %q, with names %q", sheet, i+1, w[:width], g[:width])
				}
				id := w[part]
				switch {
				case id == "*" || id == "Company":
					// Everyone: "*" on the Values sheet, as WriteCSV
					// writes it, "Company" on the others, and "Company"
					// by name, as the dashboard names it.
					if g[width] != "Company" {
						t.Fatalf("sheet %s row %d: %q named %q", sheet, i+1, id, g[width])
					}
				case unnamed(id):
					if g[width] != id {
						t.Fatalf("sheet %s row %d: %q named %q", sheet, i+1, id, g[width])
					}
				case g[width] != "U:"+id && g[width] != "P:"+id:
					t.Fatalf("sheet %s row %d: %q named %q", sheet, i+1, id, g[width])
				}
			}
		}
	})
}
