package pdf_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/export/internal/poppler"
	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/export/pdf"
	"github.com/goalkit/goalkit/internal/golden"
)

// TestDepartmentCutBoards: the department summary of sample.Boards (kept
// in a golden file) says under top_revenue, cut to its top 2, "top 2
// shown", so that vera and boris are not taken for everyone; sales_total,
// whose top 4 keeps exactly the four it ranks (not cut), and conversion,
// without a top (dima unranked, "—"), say nothing more.
func TestDepartmentCutBoards(t *testing.T) {
	plan, rep := sample.Boards(t)
	var buf bytes.Buffer
	if err := pdf.Department(&buf, plan, rep, ""); err != nil {
		t.Fatal(err)
	}
	text := poppler.Text(t, buf.Bytes())
	golden.Check(t, filepath.Join("testdata", "department-top.golden.txt"), []byte(text), *update)
	want := map[string]string{
		"conversion":  "rank participant value\n1 vera 55.5556\n2 anna 50\n3 boris 37.5\n— dima —\n",
		"sales_total": "rank participant value\n1 vera 83.335\n2 boris 65.415\n3 anna 54\n4 dima 1\n",
		"top_revenue": "rank participant value\n1 vera 236 001.00 ₽\n2 boris 170 501.00 ₽\n\ntop 2 shown\n",
	}
	for board, table := range want {
		_, after, ok := strings.Cut(squeeze(text), "\nLeaderboard "+board+"\n")
		if !ok {
			t.Fatalf("no leaderboard %s:\n%s", board, text)
		}
		if !strings.HasPrefix(after[strings.Index(after, "rank participant"):], table) {
			t.Errorf("leaderboard %s: want its table\n%s\ngot\n%s", board, table, after)
		}
	}
	if n := strings.Count(text, "shown"); n != 1 {
		t.Errorf("%d lines say shown, want 1 (top_revenue's)", n)
	}
	if *keep != "" {
		if err := os.WriteFile(filepath.Join(*keep, "department-top.pdf"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(*keep, "department-top")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		poppler.Pages(t, buf.Bytes(), 80, dir)
	}
}
