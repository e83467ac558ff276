package exampletest_test

import (
	"path/filepath"
	"regexp"
	"testing"
)

// packageDirs are the folders of the packages the pages name by their
// package name, from the repository's root.
var packageDirs = map[string]string{
	"goalkit": ".", "goal": "goal", "kpi": "kpi", "forecast": "forecast",
	"org": "org", "score": "score", "period": "period", "cascade": "cascade",
	"formula": "formula", "goalstats": "goalstats", "problem": "problem",
	"scaleout": "scaleout", "memory": "adapters/memory",
	"mapping": "adapters/mapping", "eventfile": "adapters/eventfile",
	"serve": "serve", "dashboard": "dashboard", "deliver": "deliver",
	"xlsx": "export/xlsx", "pdf": "export/pdf", "chart": "export/chart",
}

// TestPagesNameDeclaredIdentifiers checks that every `pkg.Name` (and
// `pkg.Type.Member`) that the pages on the service, the dashboard,
// delivery, the exports, forecasts, mappings and the scale-out write in
// code is declared by that package: a name moved or renamed without the
// page fails here.
func TestPagesNameDeclaredIdentifiers(t *testing.T) {
	ref := regexp.MustCompile("`([a-z]+)\\.([A-Z][A-Za-z0-9]*(?:\\.[A-Z][A-Za-z0-9]*)?)")
	decls := map[string]map[string]bool{}
	checked := 0
	for _, page := range []string{"architecture.md", "dashboard.md", "deliver.md", "export.md", "forecast.md", "mapping.md", "scale-out.md", "serve.md"} {
		for _, m := range ref.FindAllStringSubmatch(string(repoFile(t, "docs", page)), -1) {
			dir, ok := packageDirs[m[1]]
			if !ok {
				continue
			}
			if decls[dir] == nil {
				decls[dir] = declared(t, filepath.Join("..", "..", "..", dir))
			}
			checked++
			if !decls[dir][m[2]] {
				t.Errorf("docs/%s names %s.%s, which package %s does not declare", page, m[1], m[2], dir)
			}
		}
	}
	if checked < 100 {
		t.Errorf("%d names checked, want at least 100", checked)
	}
}
