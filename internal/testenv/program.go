package testenv

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Program returns the path of the first of names found on the PATH.
// Without any, the test is skipped; under GOALKIT_CI=1 it fails instead.
func Program(t testing.TB, names ...string) string {
	t.Helper()
	for _, name := range names {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	missing := strings.Join(names, " or ") + " is not installed"
	if os.Getenv("GOALKIT_CI") == "1" {
		t.Fatalf("%s (GOALKIT_CI=1: every test must run; scripts/ci-deps.sh installs it)", missing)
		return ""
	}
	t.Skipf("%s (scripts/ci-deps.sh installs it)", missing)
	return ""
}

// Chromium returns the path of the headless browser the tests render
// pages with, as Program does.
func Chromium(t testing.TB) string {
	t.Helper()
	return Program(t, "chromium", "chromium-browser", "google-chrome")
}
