package memory_test

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit/adapters/memory"
)

// A unit's name is a string in a directory file, as a user's is: true, a
// number or a date unquoted is refused, naming the line, where it was read
// as its text (a department named "true" in every report). Its id, parent
// and head are ids, which YAML writes as numbers naturally: id: 5 is "5".
func TestDirectoryUnitNamesAreStrings(t *testing.T) {
	dir, err := memory.ParseDirectory("org.yaml", []byte("units:\n  - id: 5\n    name: Sales\n  - id: 6\n    parent: 5\n    name: \"12\"\n  - id: 7\n    name: yes\n  - id: 8\n    name: ~\nmemberships: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	units, err := dir.Units(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, u := range units {
		names[u.ID] = u.Name
		if u.ID == "6" && u.Parent != "5" {
			t.Errorf("unit 6's parent: %q, want 5", u.Parent)
		}
	}
	for id, want := range map[string]string{"5": "Sales", "6": "12", "7": "yes", "8": ""} {
		if got, ok := names[id]; !ok || got != want {
			t.Errorf("unit %s's name: %q (there: %v), want %q", id, got, ok, want)
		}
	}
	for _, tt := range []struct{ name, file, want string }{
		{"yaml", "units:\n  - id: 5\n    name: true\n  - id: 6\n    name: 12\n  - id: 7\n    name: 2024-01-01\nmemberships: []\n",
			"org.yaml:3: units[0].name: want a string, got the boolean true (write it in quotes if it is the name)\n" +
				"org.yaml:5: units[1].name: want a string, got the number 12 (write it in quotes if it is the name)\n" +
				"org.yaml:7: units[2].name: want a string, got \"2024-01-01\" unquoted, which YAML reads as timestamp (write it in quotes if it is the name)"},
		{"json", "{\"units\": [{\"id\": 5,\n \"name\": -1.5e3}], \"memberships\": []}",
			"org.yaml:2: units[0].name: want a string, got the number -1.5e3 (write it in quotes if it is the name)"},
	} {
		if _, err := memory.ParseDirectory("org.yaml", []byte(tt.file)); err == nil || err.Error() != tt.want {
			t.Errorf("%s: got %v\nwant %s", tt.name, err, tt.want)
		}
	}
}
