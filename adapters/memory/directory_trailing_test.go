package memory_test

import (
	"testing"

	"github.com/goalkit/goalkit/adapters/memory"
)

// A directory file is one document: a second JSON object, a second YAML
// document or text after the first is refused with its place, never
// dropped (an organisation's second half silently missing would move
// people out of their units).
func TestParseDirectoryOneDocument(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"second object", "{\"units\": [{\"id\": \"1\"}], \"memberships\": []}\n{\"units\": [{\"id\": \"2\"}], \"memberships\": []}\n",
			"org.json:2: text after the end of the document: a file holds one document"},
		{"second object same line", `{"units": [], "memberships": []} {"units": [{"id": "2"}]}`,
			"org.json:1: text after the end of the document: a file holds one document"},
		{"text after the object", "{\"units\": [], \"memberships\": []}\nx\n",
			"org.json:2: text after the end of the document: a file holds one document"},
		{"second yaml document", "units:\n  - id: \"1\"\n---\nunits:\n  - id: \"2\"\n",
			"org.json:3: more than one document in the file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := memory.ParseDirectory("org.json", []byte(tt.in))
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %v, want %s", err, tt.want)
			}
		})
	}
}
