package eventfile_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/adapters/memory"
)

// An event file's name with a control character is written escaped in the
// error of a bad line (ev\x1b[31m.ndjson:1: …), as the project writes
// other text from outside for a terminal; it reached the terminal raw.
func TestBadLineEscapesTheFileName(t *testing.T) {
	err := eventfile.Load(context.Background(), memory.New(time.UTC), strings.NewReader("{\"id\":\n"), "ev\x1b[31m.ndjson", eventfile.Options{})
	if err == nil {
		t.Fatal("a bad line was taken")
	}
	if msg := err.Error(); !strings.HasPrefix(msg, `ev\x1b[31m.ndjson:1:`) || strings.Contains(msg, "\x1b") {
		t.Errorf("the error %q does not write the file's name escaped", msg)
	}
}
