package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
)

func TestLintCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"lint", "-plan", filepath.Join("testdata", "lint.yaml"),
		"-events", filepath.Join("testdata", "lint-history.ndjson"), "-as-of", "2025-03-10T12:00:00+03:00"}, &out, &errOut)
	want := `lint.yaml:12: warning: goals[0].filter: matched no event of the history (indicator leads: 2 event(s) of kinds lead.created from 2024-03-01 to 2025-03-31, none passes): source == "tv" matched 0 of 2 events of kinds lead.created; values seen: web
lint.yaml:15: error: goals[1].target: no target: set target, target_formula or target_by_period
1 error(s), 1 warning(s)
`
	if code != 1 || out.String() != want || errOut.String() != "goalkit lint: 1 error(s)\n" {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	out.Reset()
	errOut.Reset()
	code = run(context.Background(), []string{"lint", "-plan", filepath.Join("testdata", "lint.yaml"), "-format", "json", "-as-of", "2025-03-10T12:00:00+03:00"}, &out, &errOut)
	if code != 1 || !bytes.Contains(out.Bytes(), []byte(`"code": "no_target"`)) {
		t.Fatalf("json: exit %d\n%s%s", code, out.String(), errOut.String())
	}
}
