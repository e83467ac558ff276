package memory_test

import (
	"testing"

	"github.com/goalkit/goalkit/adapters/memory"
)

// "*" is the whole company's row in reports (org.Everyone): a unit of that
// id (or a membership naming it as user or unit) is refused where the
// directory is read, with its place, rather than failing every report
// later with "group id "*" is not allowed" and no place.
func TestParseDirectoryEveryone(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"unit", "{\"units\": [\n {\"id\": \"*\", \"head\": \"a\"}]}",
			`org.json:2: units[0]: unit id "*" is the whole company's row in reports`},
		{"member", "{\"units\": [{\"id\": \"u\"}],\n \"memberships\": [\n  {\"user\": \"*\", \"unit\": \"u\"}]}",
			`org.json:3: memberships[0]: user "*" is the whole company's row in reports`},
		{"membership's unit", "{\"units\": [{\"id\": \"u\"}],\n \"memberships\": [\n  {\"user\": \"a\", \"unit\": \"*\"}]}",
			`org.json:3: memberships[0]: unit "*" is the whole company's row in reports`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := memory.ParseDirectory("org.json", []byte(tt.in))
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got %v\nwant %s", err, tt.want)
			}
		})
	}
}
