package formula_test

import (
	"os"
	"strings"
	"testing"
)

// Every row of a table in docs/formulas.md belongs to a table: a line
// starting with "|" follows a table's header, its separator or another
// row. Rows after a paragraph are shown as text, not as functions: the
// days(), workdays() and elapsed() rows once followed the paragraph on
// running formulas.
func TestDocsTableRowsInTables(t *testing.T) {
	data, err := os.ReadFile("../docs/formulas.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	fenced := false
	for i, line := range lines {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
		}
		if fenced || !strings.HasPrefix(line, "|") {
			continue
		}
		header := i+1 < len(lines) && strings.HasPrefix(lines[i+1], "| ---")
		if !header && (i == 0 || !strings.HasPrefix(lines[i-1], "|")) {
			t.Errorf("docs/formulas.md:%d: a table row outside a table: %s", i+1, line)
		}
	}
}
