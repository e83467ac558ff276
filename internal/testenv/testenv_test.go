package testenv_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/internal/testenv"
)

// recorder is a testing.TB that records a skip or a failure instead of
// ending the test.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper() {}

func (r *recorder) Skipf(format string, args ...any) { r.skipped = fmt.Sprintf(format, args...) }

func (r *recorder) Fatalf(format string, args ...any) { r.failed = fmt.Sprintf(format, args...) }

func TestProgram(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "second-choice")
	if err := os.WriteFile(prog, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	for _, tt := range []struct {
		ci                    string
		names                 []string
		want, skipped, failed string
	}{
		{"", []string{"first-choice", "second-choice"}, prog, "", ""},
		{"1", []string{"second-choice"}, prog, "", ""},
		{"", []string{"first-choice", "third-choice"}, "", "first-choice or third-choice is not installed (scripts/ci-deps.sh installs it)", ""},
		{"1", []string{"first-choice"}, "", "", "first-choice is not installed (GOALKIT_CI=1: every test must run; scripts/ci-deps.sh installs it)"},
	} {
		t.Run(strings.Join(tt.names, ",")+" ci="+tt.ci, func(t *testing.T) {
			t.Setenv("GOALKIT_CI", tt.ci)
			r := &recorder{TB: t}
			got := testenv.Program(r, tt.names...)
			if got != tt.want || r.skipped != tt.skipped || r.failed != tt.failed {
				t.Errorf("Program = %q, skipped %q, failed %q; want %q, %q, %q", got, r.skipped, r.failed, tt.want, tt.skipped, tt.failed)
			}
		})
	}
}

func TestArtifactsKeptUnderTheVariable(t *testing.T) {
	root := t.TempDir()
	t.Setenv("GOALKIT_ARTIFACTS", root)
	dir := testenv.Artifacts(t)
	if want := filepath.Join(root, t.Name()); dir != want {
		t.Fatalf("Artifacts = %q, want %q", dir, want)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Fatalf("%s: not a directory (%v)", dir, err)
	}
}
