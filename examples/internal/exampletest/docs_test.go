package exampletest_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
)

// yamlBlock is a fenced YAML block of a docs page.
var yamlBlock = regexp.MustCompile("(?s)```yaml\n(.*?)```")

// TestDocsPlansCompile compiles every whole plan the docs pages show (a
// YAML block with the top-level keys timezone and indicators), as a reader
// who copies one into plan.yaml runs it: a key the page's plan leaves out
// or misspells is a compile error there.
func TestDocsPlansCompile(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join("..", "..", "..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	plans := 0
	for _, page := range pages {
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range yamlBlock.FindAllSubmatchIndex(data, -1) {
			block := string(data[m[2]:m[3]])
			if !strings.HasPrefix(block, "timezone:") && !strings.Contains(block, "\ntimezone:") ||
				!strings.Contains(block, "\nindicators:") {
				continue
			}
			plans++
			line := 1 + strings.Count(string(data[:m[2]]), "\n")
			name := filepath.Base(page) + ":" + strconv.Itoa(line)
			def, err := goalkit.ParseDefinition(name, []byte(block))
			if err == nil {
				_, err = goalkit.Compile(def)
			}
			if err != nil {
				t.Errorf("the plan of %s does not compile:\n%v", name, err)
			}
		}
	}
	if plans == 0 {
		t.Error("no whole plan found in the docs pages")
	}
}

// docsSection returns the text of the section "## heading" of the docs
// page name, up to the next section of its level.
func docsSection(t *testing.T, name, heading string) string {
	t.Helper()
	page := string(repoFile(t, "docs", name))
	i := strings.Index(page, "\n## "+heading+"\n")
	if i < 0 {
		t.Fatalf("docs/%s has no section %s", name, heading)
	}
	section := page[i+len("\n## "+heading+"\n"):]
	if j := strings.Index(section, "\n## "); j >= 0 {
		section = section[:j]
	}
	return section
}

// repoFile reads the file of the repository at the path of elems.
func repoFile(t *testing.T, elems ...string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(append([]string{"..", "..", ".."}, elems...)...))
	if err != nil {
		t.Fatal(err)
	}
	return data
}
