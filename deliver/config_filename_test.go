package deliver_test

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit/deliver"
)

// A configuration file's name with a control character is written escaped
// in its problems (c\x1b[31m.yaml:1: …), as the project writes other text
// from outside for a terminal; it reached the terminal raw.
func TestParseConfigEscapesTheFileName(t *testing.T) {
	_, err := deliver.ParseConfig("c\x1b[31m.yaml", []byte("outbox: x.db\nnosuch: 1\n"))
	if err == nil {
		t.Fatal("a configuration with an unknown key was taken")
	}
	if msg := err.Error(); !strings.HasPrefix(msg, `c\x1b[31m.yaml:`) || strings.Contains(msg, "\x1b") {
		t.Errorf("the error %q does not write the file's name escaped", msg)
	}
}
