package exampletest

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/goalkit/goalkit/internal/golden"
)

// CheckTableAndJSON compares what run writes as a table with
// testdata/table.golden and what it writes as JSON with
// testdata/report.golden.json; with update it rewrites them.
func CheckTableAndJSON(t *testing.T, update bool, run func(ctx context.Context, w io.Writer, asJSON bool) error) {
	for _, tt := range []struct {
		file   string
		asJSON bool
	}{{"table.golden", false}, {"report.golden.json", true}} {
		t.Run(tt.file, func(t *testing.T) {
			golden.CheckOutput(t, filepath.Join("testdata", tt.file), update, func(w io.Writer) error {
				return run(context.Background(), w, tt.asJSON)
			})
		})
	}
}
