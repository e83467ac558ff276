package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/adapters/mapping"
	"github.com/goalkit/goalkit/kpi"
)

// mappingUsage is the usage of -mapping of a command with -source;
// mappingFileUsage of one without.
const (
	mappingUsage     = "mapping file (YAML or JSON): read -events as a table (CSV) through it, or its table from -source"
	mappingFileUsage = "mapping file (YAML or JSON): read -events as a table (CSV) through it"
)

// compileMapping compiles the mapping file at path and checks that the
// attributes it gives have the types the plan declares (attrs): an
// attribute of another type would compare and sum nothing.
func compileMapping(path string, attrs map[string]kpi.AttrType) (*mapping.Mapper, error) {
	m, err := mapping.CompileFile(path)
	if err != nil {
		return nil, err
	}
	var bad []string
	for name, t := range m.Attributes() {
		if d, ok := attrs[name]; ok && d != t {
			bad = append(bad, fmt.Sprintf("attribute %q: the plan declares %s, the mapping gives %s", name, d, t))
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return nil, fmt.Errorf("%s: %s", path, strings.Join(bad, "; "))
	}
	return m, nil
}

// loadTable loads the CSV table at path into dst through m, all of it or,
// if any row is bad, nothing.
func loadTable(ctx context.Context, dst eventfile.Store, m *mapping.Mapper, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return m.LoadCSV(ctx, dst, f, path, mapping.Options{})
}
