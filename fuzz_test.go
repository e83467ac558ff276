package goalkit_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/internal/planfile"
	"github.com/goalkit/goalkit/problem"
)

// FuzzParseDefinition feeds arbitrary bytes to the plan reader and the
// compiler: they may refuse them, with the errors they document, but never
// panic.
func FuzzParseDefinition(f *testing.F) {
	for _, p := range []string{"testdata/boundary/plan.yaml", "examples/quickstart/plan.yaml", "goalkittest/workload.yaml", "examples/cascade/plan.yaml", "examples/goalstats/plan.yaml", "examples/analytics/plan.yaml"} {
		if b, err := os.ReadFile(filepath.FromSlash(p)); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"timezone": "UTC", "indicators": [{"id": "a", "formula": "a"}], "report": {"grain": "day", "from": "2025-01-01", "to": "2025-01-02"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return // larger plans only repeat what smaller ones find, slower
		}
		def, err := goalkit.ParseDefinition("plan.yaml", data)
		if err != nil {
			var pe planfile.Errors
			if !errors.As(err, &pe) {
				t.Fatalf("error of an unexpected type %T: %v", err, err)
			}
			return
		}
		if _, err := goalkit.Compile(def); err != nil {
			var ce *problem.Error
			if !errors.As(err, &ce) {
				t.Fatalf("compile error of an unexpected type %T: %v", err, err)
			}
		}
	})
}
