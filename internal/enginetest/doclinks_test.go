package enginetest_test

import (
	"go/ast"
	"go/doc"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// module is the import path of the module these packages are in.
const module = "github.com/goalkit/goalkit"

// TestDocLinks checks that every doc link of the engine's packages, [Name],
// [Type.Method] or [pkg.Name] of a package of this module, names something
// the package declares: go doc prints a link it cannot resolve as plain
// text, and nothing else checks it. goal's package doc linked [Achievement]
// and [Rank], which are score's.
func TestDocLinks(t *testing.T) {
	dirs := []string{"kpi", "goal", "cascade", "score", "org", "period", "formula", "problem", "goalstats", "goalkittest", "adapters/memory"}
	internal, err := os.ReadDir("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range internal {
		if e.IsDir() {
			dirs = append(dirs, "internal/"+e.Name())
		}
	}
	decls := map[string]map[string]bool{}
	declsOf := func(dir string) map[string]bool {
		if d, ok := decls[dir]; ok {
			return d
		}
		d := map[string]bool{}
		values := func(vs []*doc.Value) {
			for _, v := range vs {
				for _, n := range v.Names {
					d[n] = true
				}
			}
		}
		funcs := func(prefix string, fs []*doc.Func) {
			for _, f := range fs {
				d[prefix+f.Name] = true
			}
		}
		pkg := docOf(t, dir)
		if pkg == nil {
			t.Fatalf("a doc link names package %s, which has no Go files", dir)
		}
		values(pkg.Consts)
		values(pkg.Vars)
		funcs("", pkg.Funcs)
		for _, ty := range pkg.Types {
			d[ty.Name] = true
			values(ty.Consts)
			values(ty.Vars)
			funcs("", ty.Funcs)
			funcs(ty.Name+".", ty.Methods)
			for _, spec := range ty.Decl.Specs {
				if st, ok := spec.(*ast.TypeSpec).Type.(*ast.StructType); ok {
					for _, fl := range st.Fields.List {
						for _, n := range fl.Names {
							d[ty.Name+"."+n.Name] = true
						}
					}
				}
			}
		}
		decls[dir] = d
		return d
	}
	for _, dir := range dirs {
		pkg := docOf(t, dir)
		if pkg == nil {
			continue
		}
		p := pkg.Parser()
		// Every link that reads as one of an exported name is taken, so
		// that one that resolves to nothing is seen: [r.Name] or [i] in a
		// comment are text.
		p.LookupSym = func(recv, name string) bool {
			return upper(name) && (recv == "" || upper(recv))
		}
		for _, text := range docTexts(pkg) {
			walkLinks(p.Parse(text), func(l *comment.DocLink) {
				target := dir
				if l.ImportPath != "" {
					rel, ok := strings.CutPrefix(l.ImportPath, module+"/")
					if !ok {
						return // outside the module: the standard library's, or a dependency's
					}
					target = rel
				}
				name := l.Name
				if l.Recv != "" {
					name = l.Recv + "." + l.Name
				}
				if name != "" && !declsOf(target)[name] {
					t.Errorf("%s: a doc comment links [%s], which %s does not declare", dir, linkText(l), target)
				}
			})
		}
	}
}

// docOf reads the package in dir (relative to the module's root), its
// unexported declarations too; nil where dir has no Go files.
func docOf(t *testing.T, dir string) *doc.Package {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "..", dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	fset := token.NewFileSet()
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return nil
	}
	pkg, err := doc.NewFromFiles(fset, files, module+"/"+dir, doc.AllDecls|doc.PreserveAST)
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}

// docTexts returns the doc comments of pkg: the package's, and those of
// its declarations and their fields.
func docTexts(pkg *doc.Package) []string {
	texts := []string{pkg.Doc}
	values := func(vs []*doc.Value) {
		for _, v := range vs {
			texts = append(texts, v.Doc)
		}
	}
	funcs := func(fs []*doc.Func) {
		for _, f := range fs {
			texts = append(texts, f.Doc)
		}
	}
	values(pkg.Consts)
	values(pkg.Vars)
	funcs(pkg.Funcs)
	for _, ty := range pkg.Types {
		texts = append(texts, ty.Doc)
		values(ty.Consts)
		values(ty.Vars)
		funcs(ty.Funcs)
		funcs(ty.Methods)
		ast.Inspect(ty.Decl, func(n ast.Node) bool {
			if f, ok := n.(*ast.Field); ok && f.Doc != nil {
				texts = append(texts, f.Doc.Text())
			}
			return true
		})
	}
	return texts
}

func upper(s string) bool {
	return s != "" && unicode.IsUpper([]rune(s)[0])
}

func linkText(l *comment.DocLink) string {
	s := l.Name
	if l.Recv != "" {
		s = l.Recv + "." + s
	}
	if l.ImportPath != "" {
		s = l.ImportPath + "." + s
	}
	return s
}

func walkLinks(d *comment.Doc, f func(*comment.DocLink)) {
	var text func([]comment.Text)
	text = func(ts []comment.Text) {
		for _, t := range ts {
			switch t := t.(type) {
			case *comment.DocLink:
				f(t)
			case *comment.Link:
				text(t.Text)
			}
		}
	}
	for _, b := range d.Content {
		switch b := b.(type) {
		case *comment.Paragraph:
			text(b.Text)
		case *comment.Heading:
			text(b.Text)
		case *comment.List:
			for _, it := range b.Items {
				for _, c := range it.Content {
					if p, ok := c.(*comment.Paragraph); ok {
						text(p.Text)
					}
				}
			}
		}
	}
}
