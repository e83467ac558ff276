package yamlerr

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestJSONTextByteOrderMarkInAString reads JSON strings holding U+FEFF
// after many characters JSONText escapes: the YAML library took the raw
// mark there for something else and missed the end of the mapping ("did
// not find expected ',' or '}'"), where encoding/json reads the file.
func TestJSONTextByteOrderMarkInAString(t *testing.T) {
	for n := range 40 {
		x := strings.Repeat("\x7f", n) + "\ufeff\x7f\x7f"
		readsAsJSON(t, "{\n  \"name\": \""+x+"\",\n  \"names\": [\""+x+"\", \"x\"]\n}\n")
	}
}

// TestJSONTextLineSeparatorsInAString reads JSON strings holding a raw
// U+2028 or U+2029 after spaces: YAML takes either for a line
// break and folds the white space before it away ("a \u2029b" read as
// "a\u2029b"), where a JSON string holds every character as written.
func TestJSONTextLineSeparatorsInAString(t *testing.T) {
	for _, sep := range []string{"\u2028", "\u2029"} {
		for _, x := range []string{"a " + sep + "b", "a\\t " + sep + "b", sep + " ", "  " + sep + sep + "  x", "a" + sep} {
			readsAsJSON(t, "{\"name\": \""+x+"\", \"names\": [\""+x+"\"]}")
		}
	}
}

// readsAsJSON fails t unless the YAML reader reads JSONText(data), a
// mapping of a string name and a list of strings names, as encoding/json
// reads data.
func readsAsJSON(t *testing.T, data string) {
	t.Helper()
	var want, got struct {
		Name  string   `json:"name" yaml:"name"`
		Names []string `json:"names" yaml:"names"`
	}
	if err := json.Unmarshal([]byte(data), &want); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(JSONText([]byte(data)), &got); err != nil {
		t.Fatalf("%q: %v", data, err)
	}
	if got.Name != want.Name || !slices.Equal(got.Names, want.Names) {
		t.Fatalf("%q: got %q %q, want %q %q", data, got.Name, got.Names, want.Name, want.Names)
	}
}
