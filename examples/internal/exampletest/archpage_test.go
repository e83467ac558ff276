package exampletest_test

import (
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestArchitectureNamesInternalPackages checks that docs/architecture.md
// names every package (a folder of Go files besides tests) under the root
// module's internal/: a package added without a row fails here.
func TestArchitectureNamesInternalPackages(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	page := string(repoFile(t, "docs", "architecture.md"))
	pkgs := map[string]bool{}
	err := filepath.WalkDir(filepath.Join(root, "internal"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.Contains(path, "testdata") {
			return err
		}
		dir, err := filepath.Rel(root, filepath.Dir(path))
		pkgs[filepath.ToSlash(dir)] = true
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 10 {
		t.Fatalf("%d packages found under internal/, want at least 10", len(pkgs))
	}
	for _, dir := range slices.Sorted(maps.Keys(pkgs)) {
		if !strings.Contains(page, "`"+dir+"`") {
			t.Errorf("docs/architecture.md does not name the package %s", dir)
		}
	}
}
