package exampletest_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// declared returns the exported names a package declares outside its
// tests: functions, types, values, TYPE.METHOD and TYPE.FIELD.
func declared(t *testing.T, dir string) map[string]bool {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	names := map[string]bool{}
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				name := d.Name.Name
				if d.Recv != nil && len(d.Recv.List) == 1 {
					typ := d.Recv.List[0].Type
					if s, ok := typ.(*ast.StarExpr); ok {
						typ = s.X
					}
					if id, ok := typ.(*ast.Ident); ok {
						name = id.Name + "." + name
					}
				}
				names[name] = true
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						names[s.Name.Name] = true
						if st, ok := s.Type.(*ast.StructType); ok {
							for _, fld := range st.Fields.List {
								for _, n := range fld.Names {
									names[s.Name.Name+"."+n.Name] = true
								}
							}
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							names[n.Name] = true
						}
					}
				}
			}
		}
	}
	return names
}

// TestGoalsGoAPI checks that every name the "Go API" section of
// docs/goals.md gives under "Package `P`" is declared in package P, or in
// package goal (whose types the other items read: a row's Row.Chance), or,
// written P.NAME, in package P: a reader looks the name up where the page
// says it is.
func TestGoalsGoAPI(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	section := docsSection(t, "goals.md", "Go API")
	pkgs := map[string]map[string]bool{}
	decl := func(pkg string) map[string]bool {
		if pkgs[pkg] == nil {
			pkgs[pkg] = declared(t, filepath.Join(root, pkg))
		}
		return pkgs[pkg]
	}
	code := regexp.MustCompile("`([^`]+)`")
	pkgWord := regexp.MustCompile("(?i)package `([a-z]+)`")
	name := regexp.MustCompile(`^(?:\(\*)?([A-Za-z][A-Za-z0-9]*)\)?(?:\.([A-Z][A-Za-z0-9]*))?`)
	checked := 0
	for _, item := range strings.Split(section, "\n- ") {
		item = strings.TrimPrefix(item, "- ")
		if !strings.HasPrefix(item, "Package `") {
			continue
		}
		// An item may name more than one package: "Package `score`: …;
		// package `org`: …".
		pkg, rest := "", item
		for rest != "" {
			loc := pkgWord.FindStringSubmatchIndex(rest)
			chunk := rest
			if loc != nil && loc[0] == 0 {
				pkg = rest[loc[2]:loc[3]]
				rest = rest[loc[1]:]
				continue
			}
			if loc != nil {
				chunk, rest = rest[:loc[0]], rest[loc[0]:]
			} else {
				rest = ""
			}
			for _, m := range code.FindAllStringSubmatch(chunk, -1) {
				n := name.FindStringSubmatch(m[1])
				if n == nil {
					continue
				}
				in, id := pkg, n[1]
				if n[2] != "" {
					id += "." + n[2]
				}
				if q := n[1]; q[0] >= 'a' && q[0] <= 'z' {
					if n[2] == "" {
						continue // a key or a value, not a name
					}
					in, id = q, n[2]
				}
				checked++
				if !decl(in)[id] && !decl("goal")[id] {
					t.Errorf("docs/goals.md, Go API: %s (under package %s) is not declared there", m[1], in)
				}
			}
		}
	}
	if checked < 20 {
		t.Fatalf("%d names checked in the Go API section of docs/goals.md, want at least 20", checked)
	}
}
