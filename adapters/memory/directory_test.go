package memory_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/internal/isodate/isodatetest"
	"github.com/goalkit/goalkit/org"
	"github.com/rickb777/date/v2"
)

func TestDirectory(t *testing.T) {
	ctx := context.Background()
	dir, err := memory.NewDirectory([]org.Unit{{ID: "north"}, {ID: "south"}}, []org.Membership{{User: "ann", Unit: "north"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		err  error
		want string
	}{
		{dir.AddUnit(org.Unit{ID: "north"}), "directory: unit north is already defined"},
		{dir.AddUnit(org.Unit{}), "directory: a unit needs an id"},
		{dir.AddMembership(org.Membership{User: "ann"}), "directory: a membership needs a user and a unit"},
		{dir.AddMembership(org.Membership{User: "ann", Unit: "south", From: date.New(2025, 3, 1), To: date.New(2025, 3, 1)}),
			"directory: membership of ann in south from 2025-03-01 to 2025-03-01 is empty"},
		{dir.Move("ann", "south", 0), "directory: a move needs a user, a unit and a date"},
		{dir.Move("ann", org.Everyone, date.New(2025, 3, 1)), `directory: unit "*" is the whole company's row in reports`},
		{dir.Move(org.Everyone, "south", date.New(2025, 3, 1)), `directory: user "*" is the whole company's row in reports`},
	} {
		if tt.err == nil || tt.err.Error() != tt.want {
			t.Errorf("got %v, want %s", tt.err, tt.want)
		}
	}
	if err := dir.Move("ann", "south", date.New(2025, 3, 15)); err != nil {
		t.Fatal(err)
	}
	if err := dir.Move("ann", "north", date.New(2025, 3, 10)); err == nil || err.Error() != "directory: ann already has a membership of south from 2025-03-15, not before the move on 2025-03-10" {
		t.Fatalf("a move back in time: %v", err)
	}
	ms, _ := dir.Memberships(ctx)
	if len(ms) != 2 || ms[0].To != date.New(2025, 3, 15) || ms[1].From != date.New(2025, 3, 15) || ms[1].To != 0 {
		t.Fatalf("memberships %+v", ms)
	}
	if _, err := memory.ReadDirectory(strings.NewReader(`{"units": [], "memberships": [], "heads": []}`)); err == nil ||
		err.Error() != `directory:1: heads: unknown key "heads"` {
		t.Fatalf("unknown key: %v", err)
	}
	if _, err := memory.ReadDirectory(strings.NewReader(`{"units": [{"id": "1"}], "memberships": [{"user": "7", "unit": "1"}], "users": [{"id": "7", "name": "Anna"}]}`)); err != nil {
		t.Fatalf("the output of goalkit directory: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := dir.Units(cancelled); err == nil {
		t.Fatal("no error from a cancelled context")
	}
}

// A person who moves mid-month belongs to the old unit until the day before
// the move and to the new one from the move on.
func ExampleDirectory_Move() {
	dir, _ := memory.ReadDirectory(strings.NewReader(`{
	  "units": [{"id": "north"}, {"id": "south"}],
	  "memberships": [{"user": "ann", "unit": "south"}]}`))
	_ = dir.Move("ann", "north", date.New(2025, time.May, 15))
	ms, _ := dir.Memberships(context.Background())
	bound := func(d date.Date, open string) string {
		if d == 0 {
			return open
		}
		return d.String()
	}
	for _, m := range ms {
		fmt.Printf("%s in %s: [%s, %s)\n", m.User, m.Unit, bound(m.From, "always"), bound(m.To, "further notice"))
	}
	// Output:
	// ann in south: [always, 2025-05-15)
	// ann in north: [2025-05-15, further notice)
}

// Every date of a directory file is read strictly: an impossible one is an
// error with the file, line and path, never moved onto a real date (the
// date library reads 2025-02-30 as 2025-03-02).
func TestParseDirectoryImpossibleDates(t *testing.T) {
	for _, c := range isodatetest.Impossible {
		t.Run(c.In, func(t *testing.T) {
			data := fmt.Sprintf(`{
  "units": [{"id": "north"}],
  "memberships": [
    {"user": "ann", "unit": "north", "from": "2024-01-01", "to": "%[1]s"},
    {"user": "bob", "unit": "north", "from": "%[1]s"}
  ]
}`, c.In)
			_, err := memory.ParseDirectory("org.json", []byte(data))
			q := fmt.Sprintf("%q is not a real date: %s", c.In, c.Why)
			want := "org.json:4: memberships[0].to: " + q + "\norg.json:5: memberships[1].from: " + q
			if err == nil || err.Error() != want {
				t.Fatalf("got\n%v\nwant\n%s", err, want)
			}
			_, err = memory.ReadDirectory(strings.NewReader(data))
			if want := strings.ReplaceAll(want, "org.json", "directory"); err == nil || err.Error() != want {
				t.Fatalf("ReadDirectory: got\n%v\nwant\n%s", err, want)
			}
		})
	}
}

// The other problems of a directory file name their line and path too.
func TestParseDirectoryErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"date form", `{"units": [], "memberships": [{"user": "a", "unit": "u", "from": "2025-3-1"}]}`,
			`org.json:1: memberships[0].from: want a date YYYY-MM-DD, got "2025-3-1"`},
		{"empty range", "{\"units\": [{\"id\": \"u\"}],\n \"memberships\": [\n  {\"user\": \"a\", \"unit\": \"u\", \"from\": \"2025-03-01\", \"to\": \"2025-03-01\"}]}",
			"org.json:3: memberships[0]: membership of a in u from 2025-03-01 to 2025-03-01 is empty"},
		{"duplicate unit", "{\"units\": [\n {\"id\": \"u\"},\n {\"id\": \"u\"}]}", "org.json:3: units[1]: unit u is already defined"},
		{"unknown key", "{\"units\": [{\"id\": \"u\", \"parnet\": \"x\"}]}", `org.json:1: units[0].parnet: unknown key "parnet" (did you mean "parent"?)`},
		{"syntax", "{\"units\": [{\"id\": \"u\"},\n", `org.json:1: the file ends where a value is expected`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := memory.ParseDirectory("org.json", []byte(tt.in))
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got %v\nwant %s", err, tt.want)
			}
		})
	}
	// What `goalkit directory` writes reads back, users and escapes of
	// other JSON encoders included.
	dir, err := memory.ParseDirectory("org.json", []byte(`{"units": [{"id": "1", "name": "Sales \/ North"}],
  "memberships": [{"user": "7", "unit": "1", "from": "2025-02-28"}],
  "users": [{"id": "7", "name": "Anna \ud83d\ude00", "position": null, "active": true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	us, _ := dir.Units(context.Background())
	ms, _ := dir.Memberships(context.Background())
	if len(us) != 1 || us[0].Name != "Sales / North" || len(ms) != 1 || ms[0].From != date.New(2025, 2, 28) {
		t.Fatalf("units %+v, memberships %+v", us, ms)
	}
}
