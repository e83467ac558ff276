package exampletest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// DocsBlock returns the first fenced block of the docs page (docs/PAGE,
// read from an example's directory) that opens with fence ("```json") and
// whose text starts with opening, from opening to the closing fence.
func DocsBlock(t testing.TB, page, fence, opening string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", page))
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(data), fence+"\n"+opening)
	if !ok {
		t.Fatalf("docs/%s shows no block %s starting %q", page, fence, opening)
	}
	block, _, _ = strings.Cut(opening+block, "```")
	return block
}
