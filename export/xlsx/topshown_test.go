package xlsx_test

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/internal/golden"
)

// TestLeaderboardsCutToTheirTop: the Leaderboards sheet of sample.Boards
// (kept in a golden file with its charts) ends top_revenue, cut to its top
// 2, with a row of its own that says "top 2 shown" in the rank column, so
// that vera and boris are not taken for everyone; its chart draws the two
// standings, not that row. sales_total, whose top 4 keeps exactly the
// four it ranks (not cut), and conversion, without a top (dima
// unranked), have no such row.
func TestLeaderboardsCutToTheirTop(t *testing.T) {
	plan, rep := sample.Boards(t)
	f, data := write(t, plan, rep)
	var keep []string
	in := false
	for _, line := range strings.Split(structure(t, f, data), "\n") {
		if strings.HasPrefix(line, "sheet ") {
			in = line == `sheet "Leaderboards"`
		}
		if in && !strings.HasPrefix(line, "chart ") || strings.Contains(line, "'Leaderboards'!") {
			keep = append(keep, line)
		}
	}
	golden.Check(t, "testdata/top.golden", []byte(strings.Join(keep, "\n")+"\n"), *update)
	rows, err := f.GetRows("Leaderboards")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows[1:] {
		got = append(got, strings.Join(r, " "))
	}
	want := []string{
		"conversion 2025-03 1 vera 55.5555555555556",
		"conversion 2025-03 2 anna 50",
		"conversion 2025-03 3 boris 37.5",
		"conversion 2025-03  dima",
		"sales_total 2025-03 1 vera 83.335",
		"sales_total 2025-03 2 boris 65.415",
		"sales_total 2025-03 3 anna 54",
		"sales_total 2025-03 4 dima 1",
		"top_revenue 2025-03 1 vera 236,001.00 ₽",
		"top_revenue 2025-03 2 boris 170,501.00 ₽",
		"top_revenue 2025-03 top 2 shown",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Leaderboards:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
