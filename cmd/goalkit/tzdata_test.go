package main

import (
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestEmbedsZoneDatabase checks that the command carries the IANA zone
// database: in a container without zone files (scratch, distroless) every
// plan names a zone, and without the embedded copy each was refused.
func TestEmbedsZoneDatabase(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); path == "time/tzdata" {
				return
			}
		}
	}
	t.Fatal(`the command does not import "time/tzdata": without zone files on the machine every named zone of a plan is refused`)
}
