package exampletest_test

import (
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// fenced is a fenced block of a docs page.
var fenced = regexp.MustCompile("(?s)```.*?```")

// TestTestingPageNamesOptions checks that docs/testing.md names every
// field of goalkittest's CheckOptions and Shape, and explains in its text
// (not only in the synopsis) every flag of goalkit check declared beside
// the command: an option or flag added without a word on the page fails
// here.
func TestTestingPageNamesOptions(t *testing.T) {
	page := string(repoFile(t, "docs", "testing.md"))
	fields := declared(t, filepath.Join("..", "..", "..", "goalkittest"))
	checked := 0
	var names []string
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		typ, field, ok := strings.Cut(name, ".")
		if !ok || typ != "CheckOptions" && typ != "Shape" || field[0] < 'A' || field[0] > 'Z' {
			continue
		}
		checked++
		if !strings.Contains(page, "`"+field+"`") {
			t.Errorf("docs/testing.md does not name %s", name)
		}
	}
	if checked < 15 {
		t.Errorf("%d fields of CheckOptions and Shape checked, want at least 15", checked)
	}

	text := fenced.ReplaceAllString(page, "")
	flags := regexp.MustCompile(`fs\.[A-Za-z0-9]+\("([a-z-]+)"`).FindAllStringSubmatch(string(repoFile(t, "cmd", "goalkit", "check.go")), -1)
	if len(flags) < 4 {
		t.Fatalf("%d flags found in cmd/goalkit/check.go, want at least 4", len(flags))
	}
	for _, f := range flags {
		if !strings.Contains(text, "`-"+f[1]+"`") {
			t.Errorf("docs/testing.md does not explain goalkit check's flag -%s outside its synopsis", f[1])
		}
	}
}

// TestReadmeNamesCIRun checks that the README's set-up names every make
// command .ci/run runs, as it runs it: the README says what CI runs.
func TestReadmeNamesCIRun(t *testing.T) {
	readme := strings.Join(strings.Fields(string(repoFile(t, "README.md"))), " ")
	runs := 0
	for _, line := range strings.Split(string(repoFile(t, ".ci", "run")), "\n") {
		if !strings.HasPrefix(line, "make ") {
			continue
		}
		runs++
		if !strings.Contains(readme, "`"+strings.TrimSpace(line)+"`") {
			t.Errorf("README.md does not name %q, which .ci/run runs", line)
		}
	}
	if runs < 3 {
		t.Errorf(".ci/run runs %d make commands, want at least 3", runs)
	}
}
