package exampletest_test

import (
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestMappingPageNamesCommands checks that docs/mapping.md's section on
// the command line names every goalkit command that defines -mapping (in
// cmd/goalkit, a command's flags follow its newFlags("NAME", …)): a
// command given the flag without a word on the page fails here.
func TestMappingPageNamesCommands(t *testing.T) {
	section := docsSection(t, "mapping.md", "From the command line")
	start := regexp.MustCompile(`newFlags\("([a-z-]+)"`)
	var commands []string
	for _, src := range sources(t, filepath.Join("cmd", "goalkit")) {
		at := start.FindAllSubmatchIndex(src, -1)
		for i, m := range at {
			end := len(src)
			if i+1 < len(at) {
				end = at[i+1][0]
			}
			body := string(src[m[1]:end])
			if strings.Contains(body, "defineMapping(") || strings.Contains(body, `"mapping"`) {
				commands = append(commands, string(src[m[2]:m[3]]))
			}
		}
	}
	sort.Strings(commands)
	if len(commands) < 3 {
		t.Fatalf("%d commands of cmd/goalkit define -mapping (%v), want at least 3", len(commands), commands)
	}
	for _, c := range commands {
		if !strings.Contains(section, "`"+c+"`") && !strings.Contains(section, "`goalkit "+c+"`") {
			t.Errorf("docs/mapping.md's command line does not name goalkit %s, which takes -mapping", c)
		}
	}
}
