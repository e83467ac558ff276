package xlsx_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/export/pdf"
	"github.com/goalkit/goalkit/export/xlsx"
	"github.com/xuri/excelize/v2"
)

// One option names participants in the documents and the workbook.
var _ xlsx.Option = pdf.WithNamer(nil)

// TestWorkbookNamesParticipantsByKind: with WithNamer every table of
// participants has a column "name" last, where department 1 and user 1,
// of one id, each have their own name, and the participant column keeps
// the id; the leaderboards' chart is drawn by the names. The workbook
// showed participants by id only, while the documents named them.
func TestWorkbookNamesParticipantsByKind(t *testing.T) {
	plan, rep := sample.SharedID(t)
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, plan, rep, xlsx.WithNamer(sample.KindNames)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// By hand, from the plan: what each row is, by the text of its first
	// column (a board, scorecard, bonus or goal's period, an indicator)
	// and its participant's id; "*" is everyone.
	type key struct{ first, participant string }
	for _, tt := range []struct {
		sheet string
		want  map[key]string
	}{
		{"Leaderboards", map[key]string{{"units", "1"}: "Head office", {"units", "2"}: "Sales", {"people_board", "1"}: "Ivan Admin", {"people_board", "7"}: "Vera Lee"}},
		{"Scorecards", map[key]string{{"teams", "1"}: "Head office", {"people", "1"}: "Ivan Admin", {"people", "7"}: "Vera Lee"}},
		{"Bonuses", map[key]string{{"team_bonus", "1"}: "Head office"}},
		{"Department deals", map[key]string{{"2025-03", "1"}: "Head office"}},
		{"My deals", map[key]string{{"2025-03", "1"}: "Ivan Admin"}},
		{"Both deals", map[key]string{{"2025-03", "1"}: "Head office", {"2025-03", "7"}: "Vera Lee"}},
		// Department 1's row of the values is user 1's (a warning says so),
		// department 2's is the group's.
		{"Values", map[key]string{{"won", "1"}: "Ivan Admin", {"won", "7"}: "Vera Lee", {"won", "2"}: "Sales", {"won", "*"}: "Company"}},
	} {
		rows, err := f.GetRows(tt.sheet)
		if err != nil {
			t.Fatalf("sheet %s: %v", tt.sheet, err)
		}
		head := rows[0]
		part, name := slices.Index(head, "participant"), slices.Index(head, "name")
		if part < 0 || name != len(head)-1 {
			t.Fatalf("sheet %s: the header has no participant, or no name last: %q", tt.sheet, head)
		}
		seen := map[key]string{}
		for _, row := range rows[1:] {
			if len(row) <= name || row[0] == "" || row[0] == "date" {
				continue // the daily series under a goal's table
			}
			k := key{row[0], row[part]}
			if _, ok := tt.want[k]; ok {
				if prev, ok := seen[k]; ok && prev != row[name] {
					t.Errorf("sheet %s: %v named %q and %q", tt.sheet, k, prev, row[name])
				}
				seen[k] = row[name]
			}
		}
		for k, want := range tt.want {
			if seen[k] != want {
				t.Errorf("sheet %s: %v is named %q, want %q", tt.sheet, k, seen[k], want)
			}
		}
	}
	// The warning that department 1's row is user 1's names the unit.
	report, err := f.GetRows("Report")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, row := range report {
		if len(row) > 1 && row[0] == "warning" && strings.Contains(row[1], `group "1" has no row`) {
			found = true
			// It has no indicator and no period: it names the unit
			// alone, as the report's table writer does.
			if want := `Head office: group "1" has no row: "1" is also an actor, whose row it is`; row[1] != want {
				t.Errorf("the warning of department 1 is %q, want %q", row[1], want)
			}
		}
	}
	if !found {
		t.Errorf("the Report sheet has no warning of department 1: %q", report)
	}
	// The leaderboards' chart draws the names (column G), not the ids (D).
	all := strings.Join(charts(t, buf.Bytes()), "\n")
	if !strings.Contains(all, `"units, 2025-03" 'Leaderboards'!$A$2:$A$2 'Leaderboards'!$G$2:$G$3 `) || strings.Contains(all, "'Leaderboards'!$D$") {
		t.Errorf("the leaderboards' chart is not drawn by the names of column G:\n%s", all)
	}

	// Without names the workbook has no name column.
	buf.Reset()
	if err := xlsx.Write(&buf, plan, rep); err != nil {
		t.Fatal(err)
	}
	g, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	for _, sheet := range []string{"Leaderboards", "Values", "Both deals"} {
		rows, err := g.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(rows[0], "name") {
			t.Errorf("sheet %s has a name column without names: %q", sheet, rows[0])
		}
	}
}
