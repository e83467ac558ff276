package planfile

import (
	"testing"
)

// Every valid JSON file reads as it does with encoding/json, the escapes
// YAML lacks included.
func TestJSONEscapes(t *testing.T) {
	var v struct {
		Name  string   `json:"name"`
		Names []string `json:"names"`
	}
	data := []byte("{\n  \"name\": \"Deals \\/ won \\ud83d\\ude00 \\\\/ \\u0410\",\n" +
		"  \"names\": [\"\\ud83d\", \"\\ude00\\u0041\", \"\\ud83d\\u0041\", \"a\\\"\\/\", \"\U0001F600\"]\n}\n")
	if _, err := Decode("f.json", data, &v); err != nil {
		t.Fatal(err)
	}
	want := []string{"\uFFFD", "\uFFFDA", "\uFFFDA", "a\"/", "\U0001F600"}
	if v.Name != "Deals / won \U0001F600 \\/ А" || len(v.Names) != len(want) {
		t.Fatalf("got %q %q", v.Name, v.Names)
	}
	for i := range want {
		if v.Names[i] != want[i] {
			t.Errorf("names[%d] = %q, want %q", i, v.Names[i], want[i])
		}
	}
	// Not JSON: left to YAML, which refuses the escape on its line.
	_, err := Decode("f.yaml", []byte("a: 1\nname: \"x\\/y\"\nnames: [a, b\n"), &v)
	if err == nil || err.Error() != "f.yaml:2: found unknown escape character" {
		t.Fatalf("got %v", err)
	}
}
