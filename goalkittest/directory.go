package goalkittest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/goalkit/goalkit/adapters/memory"
)

// ReadDirectory reads an organisation from its JSON file, as goalkit
// directory writes it, for a test's fixture; a problem fails the test with
// the error, which names the file's line.
func ReadDirectory(t testing.TB, path string) *memory.Directory {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := memory.ParseDirectory(filepath.Base(path), data)
	if err != nil {
		t.Fatal(err)
	}
	return dir
}
