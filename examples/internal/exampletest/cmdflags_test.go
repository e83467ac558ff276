package exampletest_test

import (
	"regexp"
	"strings"
	"testing"
)

// commandFlags returns the names of the flags goalkit's command defines in
// cmd/goalkit/FILE: those between its newFlags("COMMAND", …) and their
// parsing, with those of the shared helpers it calls there (in.define:
// -plan, -events, -as-of; in.defineMapping: -mapping).
func commandFlags(t *testing.T, file, command string) []string {
	t.Helper()
	src := string(repoFile(t, "cmd", "goalkit", file))
	_, defs, ok := strings.Cut(src, `newFlags("`+command+`"`)
	if !ok {
		t.Fatalf("cmd/goalkit/%s has no newFlags(%q", file, command)
	}
	defs, _, ok = strings.Cut(defs, "parseFlags(")
	if !ok {
		t.Fatalf("cmd/goalkit/%s does not parse goalkit %s's flags", file, command)
	}
	var flags []string
	for _, m := range regexp.MustCompile(`(?:fs\.[A-Za-z]+\(|defineInstant\(fs, )"([a-z-]+)"`).FindAllStringSubmatch(defs, -1) {
		flags = append(flags, m[1])
	}
	if strings.Contains(defs, "in.define(fs") {
		flags = append(flags, "plan", "events", "as-of")
	}
	if strings.Contains(defs, "in.defineMapping(fs") {
		flags = append(flags, "mapping")
	}
	return flags
}

// namedFlags returns the flags (-name) a text names.
func namedFlags(text string) map[string]bool {
	on := map[string]bool{}
	for _, m := range regexp.MustCompile(`(^|[^a-z-])-([a-z][a-z-]*)`).FindAllStringSubmatch(text, -1) {
		on[m[2]] = true
	}
	return on
}
