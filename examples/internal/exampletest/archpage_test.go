package exampletest_test

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
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

// TestArchitectureNamesAdapterImports checks docs/architecture.md's rule
// that no core package imports an adapter: each root-module package (not
// adapters/, cmd/, examples/, internal/) that imports one outside its
// tests is named, with that adapter, in the paragraph above the map.
func TestArchitectureNamesAdapterImports(t *testing.T) {
	intro, _, _ := strings.Cut(docsSection(t, "architecture.md", "Packages"), "```")
	intro = strings.Join(strings.Fields(intro), " ")
	root := filepath.Join("..", "..", "..")
	adapter := regexp.MustCompile(`"github.com/goalkit/goalkit/(adapters/[a-z0-9]+)"`)
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	dirs := []string{"."}
	for _, e := range entries {
		switch name := e.Name(); {
		case !e.IsDir(), strings.HasPrefix(name, "."), name == "adapters", name == "cmd", name == "examples", name == "internal", name == "testdata", name == "scripts", name == "docs":
		default:
			dirs = append(dirs, name)
		}
	}
	for _, dir := range dirs {
		if _, err := os.Stat(filepath.Join(root, dir, "go.mod")); err == nil && dir != "." {
			continue // a module of its own: not a core package
		}
		for name, src := range sources(t, dir) {
			for _, m := range adapter.FindAllStringSubmatch(string(src), -1) {
				if dir == "." || !strings.Contains(intro, "`"+dir) || !strings.Contains(intro, "`"+m[1]+"`") {
					t.Errorf("%s imports %s, which docs/architecture.md's rule of packages does not name", name, m[1])
				}
			}
		}
	}
}

// sources returns the Go files of the repository's folder dir, outside its
// tests, by their paths from the repository's root.
func sources(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "..", "..", dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Join(dir, filepath.Base(path))] = data
	}
	return out
}
