package exampletest_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestExportPageNamesChartOptions checks that docs/export.md names every
// field of chart.Options and of its Words, as a host that draws a chart
// in Go sets them: a field added without a word on the page fails here.
func TestExportPageNamesChartOptions(t *testing.T) {
	fields := declared(t, filepath.Join("..", "..", "..", "export", "chart"))
	page := string(repoFile(t, "docs", "export.md"))
	var checked []string
	for name := range fields {
		typ, field, _ := strings.Cut(name, ".")
		if (typ == "Options" || typ == "Words") && field != "" && field[0] >= 'A' && field[0] <= 'Z' {
			checked = append(checked, name)
		}
	}
	slices.Sort(checked)
	if len(checked) < 10 {
		t.Fatalf("%d fields of chart.Options and chart.Words found (%v), want at least 10", len(checked), checked)
	}
	for _, name := range checked {
		_, field, _ := strings.Cut(name, ".")
		named := false
		for _, form := range []string{"chart.Options." + field, "`" + field + "`", "{" + field + ":", " " + field + ",", " " + field + "}"} {
			named = named || strings.Contains(page, form)
		}
		if !named {
			t.Errorf("docs/export.md does not name chart.%s", name)
		}
	}
}
