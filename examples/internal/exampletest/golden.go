package exampletest

import (
	"context"
	"flag"
	"io"
	"path/filepath"
	"testing"

	"github.com/goalkit/goalkit/internal/golden"
)

// update is the -update flag of every example's tests: the golden files
// are rewritten rather than compared with.
var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// CheckOutput compares what write writes with the golden file at path;
// with -update it rewrites it.
func CheckOutput(t *testing.T, path string, write func(io.Writer) error) {
	t.Helper()
	golden.CheckOutput(t, path, *update, write)
}

// CheckTableAndJSON compares what run writes as a table with
// testdata/table.golden and what it writes as JSON with
// testdata/report.golden.json; with -update it rewrites them.
func CheckTableAndJSON(t *testing.T, run func(ctx context.Context, w io.Writer, asJSON bool) error) {
	for _, tt := range []struct {
		file   string
		asJSON bool
	}{{"table.golden", false}, {"report.golden.json", true}} {
		t.Run(tt.file, func(t *testing.T) {
			CheckOutput(t, filepath.Join("testdata", tt.file), func(w io.Writer) error {
				return run(context.Background(), w, tt.asJSON)
			})
		})
	}
}
