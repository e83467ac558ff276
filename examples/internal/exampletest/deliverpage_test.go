package exampletest_test

import (
	"regexp"
	"strings"
	"testing"
)

// TestDeliverPageNamesNotifyFlags checks that docs/deliver.md's section
// on the command line names every flag goalkit notify defines (the flags
// between its newFlags("notify", …) and their parsing in
// cmd/goalkit/notify.go, and those of the shared helpers it calls): a
// flag added to the command without a word on the page fails here.
func TestDeliverPageNamesNotifyFlags(t *testing.T) {
	section := docsSection(t, "deliver.md", "Command line")
	src := string(repoFile(t, "cmd", "goalkit", "notify.go"))
	_, defs, ok := strings.Cut(src, `newFlags("notify"`)
	if !ok {
		t.Fatal(`cmd/goalkit/notify.go has no newFlags("notify"`)
	}
	defs, _, ok = strings.Cut(defs, "parseFlags(")
	if !ok {
		t.Fatal("cmd/goalkit/notify.go does not parse goalkit notify's flags")
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
	if len(flags) < 8 {
		t.Fatalf("%d flags of goalkit notify found (%v), want at least 8", len(flags), flags)
	}
	named := regexp.MustCompile(`(^|[^a-z-])-([a-z][a-z-]*)`)
	on := map[string]bool{}
	for _, m := range named.FindAllStringSubmatch(section, -1) {
		on[m[2]] = true
	}
	for _, f := range flags {
		if !on[f] {
			t.Errorf("docs/deliver.md's command line does not name goalkit notify's flag -%s", f)
		}
	}
}
