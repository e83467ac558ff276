package memory_test

import (
	"testing"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/org"
)

// A directory file's users name people: what `goalkit directory bitrix24`
// writes (id, name, active, position, departments) gives each user's name,
// apart from a unit of the same id (department 1 and user 1); the file's
// users were kept as raw JSON, and no one could ask a person's name.
func TestDirectoryUserNames(t *testing.T) {
	dir, err := memory.ParseDirectory("org.json", []byte(`{"units": [{"id": "1", "name": "Company"}],
  "memberships": [{"user": "1", "unit": "1"}, {"user": "7", "unit": "1"}],
  "users": [
    {"id": "1", "name": "Ivan Petrov", "active": true, "position": "CEO", "departments": ["1"]},
    {"id": "7", "active": false},
    {"id": 9, "name": null},
    {"id": "12", "name": "Anna"},
    {"id": "14", "name": "true"}
  ]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		id, name string
		ok       bool
	}{
		{"1", "Ivan Petrov", true}, // not the unit's "Company"
		{"7", "", false},           // a user without a name
		{"9", "", false},           // a null name; a number as id reads as its text
		{"12", "Anna", true},
		{"13", "", false},    // no such user
		{"14", "true", true}, // a name of the text true, quoted
		{"*", "", false},
	} {
		if name, ok := dir.UserName(tt.id); name != tt.name || ok != tt.ok {
			t.Errorf("UserName(%q) = %q, %v; want %q, %v", tt.id, name, ok, tt.name, tt.ok)
		}
	}
	if err := dir.AddUser("12", "Anna Again"); err == nil || err.Error() != "directory: user 12 is already defined" {
		t.Errorf("a second user 12: %v", err)
	}
	if err := dir.AddUser("13", "Boris"); err != nil {
		t.Fatal(err)
	}
	if name, ok := dir.UserName("13"); name != "Boris" || !ok {
		t.Errorf("UserName(13) after AddUser = %q, %v", name, ok)
	}
	// A user in Go, of a directory made without users.
	d, err := memory.NewDirectory([]org.Unit{{ID: "u"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := d.UserName("a"); ok {
		t.Error("a directory without users names a user")
	}
	if err := d.AddUser("a", "Alice"); err != nil {
		t.Fatal(err)
	}
	if name, ok := d.UserName("a"); name != "Alice" || !ok {
		t.Errorf("UserName(a) = %q, %v", name, ok)
	}
}

// A user the file's "users" cannot hold is refused, naming the file, line
// and path: no id (a name of no one), an id or name that is not text, a
// repeated id, "*" and an id with a control character.
func TestDirectoryRefusesBadUsers(t *testing.T) {
	for _, tt := range []struct{ name, users, want string }{
		{"no id", `[{"name": "Anna"}]`, `org.json:3: users[0]: a user needs an id`},
		{"null id", `[{"id": null, "name": "Anna"}]`, `org.json:3: users[0]: a user needs an id`},
		{"id a list", `[{"id": ["7"]}]`, `org.json:3: users[0].id: want a string, got a list`},
		{"name a mapping", "[{\"id\": \"7\",\n \"name\": {\"first\": \"Anna\"}}]", `org.json:4: users[0].name: want a string, got a mapping`},
		{"repeated", "[{\"id\": \"7\", \"name\": \"Anna\"},\n {\"id\": \"7\", \"name\": \"Boris\"}]", `org.json:4: users[1]: user 7 is already defined`},
		{"everyone", `[{"id": "*", "name": "All"}]`, `org.json:3: users[0]: user "*" is the whole company's row in reports`},
		{"control", `[{"id": "a\u001b", "name": "A"}]`, `org.json:3: users[0]: user "a\x1b" has a control character (U+001B)`},
		{"not an object", `["7"]`, `org.json:3: users[0]: want a mapping, got a scalar`},
		// A name is a string in the file: true or a number was read as
		// the text "true" or "12", a person named so in every report.
		{"name true", `[{"id": "7", "name": true}]`, `org.json:3: users[0].name: want a string, got the boolean true (write it in quotes if it is the name)`},
		{"name a number", "[{\"id\": \"7\", \"name\": \"Anna\"},\n {\"id\": \"8\", \"name\": 12}]", `org.json:4: users[1].name: want a string, got the number 12 (write it in quotes if it is the name)`},
		{"name a decimal", `[{"id": "7", "name": -1.5e3}]`, `org.json:3: users[0].name: want a string, got the number -1.5e3 (write it in quotes if it is the name)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := memory.ParseDirectory("org.json", []byte("{\"units\": [{\"id\": \"1\"}],\n \"memberships\": [],\n \"users\": "+tt.users+"}"))
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got %v\nwant %s", err, tt.want)
			}
		})
	}
}

// In YAML a name is a string unless YAML reads it as another type: yes and
// an unquoted word are names, true, a number or a date are refused, naming
// the line; quoted, they are names.
func TestDirectoryYAMLUserNames(t *testing.T) {
	const head = "units:\n  - id: \"1\"\nmemberships: []\nusers:\n"
	dir, err := memory.ParseDirectory("org.yaml", []byte(head+"  - id: 7\n    name: yes\n  - id: 8\n    name: Anna Petrova\n  - id: 9\n    name: \"12\"\n  - id: 10\n    name: 'true'\n  - id: 11\n    name: ~\n"))
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"7": "yes", "8": "Anna Petrova", "9": "12", "10": "true", "11": ""} {
		if got, _ := dir.UserName(id); got != want {
			t.Errorf("UserName(%s) = %q, want %q", id, got, want)
		}
	}
	_, err = memory.ParseDirectory("org.yaml", []byte(head+"  - id: 7\n    name: true\n  - id: 8\n    name: Anna\n  - id: 9\n    name: 0x1F\n  - id: 10\n    name: 2024-01-01\n"))
	want := "org.yaml:6: users[0].name: want a string, got the boolean true (write it in quotes if it is the name)\n" +
		"org.yaml:10: users[2].name: want a string, got the number 0x1F (write it in quotes if it is the name)\n" +
		"org.yaml:12: users[3].name: want a string, got \"2024-01-01\" unquoted, which YAML reads as timestamp (write it in quotes if it is the name)"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}
