package memory_test

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/org"
	"github.com/rickb777/date/v2"
)

// An id of the directory with a control character or invalid UTF-8 is
// refused, naming it: kpi.Event.Validate refuses such an actor, so a
// membership of that user could never match an event, and a unit of that
// id would write the character into reports.
func TestDirectoryRefusesIDsThatAreNotIdentifiers(t *testing.T) {
	ok := org.Unit{ID: "u"}
	tests := []struct {
		name string
		unit org.Unit
		m    org.Membership
		want string
	}{
		{"user", ok, org.Membership{User: "a\x1b[31m", Unit: "u"},
			`directory: user "a\x1b[31m" has a control character (U+001B)`},
		{"user DEL", ok, org.Membership{User: "a\x7f", Unit: "u"},
			`directory: user "a\x7f" has a control character (U+007F)`},
		{"user C1", ok, org.Membership{User: "a\u0085", Unit: "u"},
			`directory: user "a\u0085" has a control character (U+0085)`},
		{"user not UTF-8", ok, org.Membership{User: "a\xff", Unit: "u"},
			`directory: user "a\xff" is not valid UTF-8`},
		{"membership's unit", org.Unit{ID: "u\n"}, org.Membership{User: "a", Unit: "u\n"},
			`directory: unit id "u\n" has a control character (U+000A)`},
		{"parent", org.Unit{ID: "u", Parent: "p\t"}, org.Membership{User: "a", Unit: "u"},
			`directory: parent "p\t" has a control character (U+0009)`},
		{"head", org.Unit{ID: "u", Head: "h\r"}, org.Membership{User: "a", Unit: "u"},
			`directory: head "h\r" has a control character (U+000D)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := memory.NewDirectory([]org.Unit{tt.unit}, []org.Membership{tt.m})
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got %v\nwant %s", err, tt.want)
			}
		})
	}

	d, err := memory.NewDirectory([]org.Unit{ok}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.AddMembership(org.Membership{User: "a", Unit: "u\x00"}); err == nil || err.Error() != `directory: unit "u\x00" has a control character (U+0000)` {
		t.Errorf("AddMembership of unit u\\x00: %v", err)
	}
	on := date.New(2026, 3, 1)
	if err := d.Move("a\x1b", "u", on); err == nil || err.Error() != `directory: user "a\x1b" has a control character (U+001B)` {
		t.Errorf("Move of user a\\x1b: %v", err)
	}
	if err := d.Move("a", "u\x1b", on); err == nil || err.Error() != `directory: unit "u\x1b" has a control character (U+001B)` {
		t.Errorf("Move to unit u\\x1b: %v", err)
	}
	ms, _ := d.Memberships(t.Context())
	if len(ms) != 0 {
		t.Errorf("refused memberships were kept: %v", ms)
	}
	// Printable ids in any script are identifiers.
	if err := d.AddMembership(org.Membership{User: "Анна Ш.", Unit: "u"}); err != nil {
		t.Error(err)
	}
}

// A directory file names the place of such an id.
func TestParseDirectoryControlCharacter(t *testing.T) {
	in := "{\"units\": [{\"id\": \"u\"}],\n \"memberships\": [\n  {\"user\": \"a\\u001b\", \"unit\": \"u\"}]}"
	_, err := memory.ParseDirectory("org.json", []byte(in))
	want := `org.json:3: memberships[0]: user "a\x1b" has a control character (U+001B)`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

// An id written in a directory's error is cut to 64 bytes and an ellipsis,
// as the engine's errors cut theirs: an id of 100 KB made an error of
// 100 KB (a repeated unit or user, an empty membership, a move, an id
// with a control character).
func TestDirectoryErrorsClipIDs(t *testing.T) {
	long := strings.Repeat("a", 100_000)
	cut := strings.Repeat("a", 64) + "…"
	d, err := memory.NewDirectory([]org.Unit{{ID: long}}, []org.Membership{{User: long, Unit: long, From: date.New(2025, 3, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"unit twice", d.AddUnit(org.Unit{ID: long}), "directory: unit " + cut + " is already defined"},
		{"empty membership", d.AddMembership(org.Membership{User: long, Unit: long, From: date.New(2025, 3, 1), To: date.New(2025, 3, 1)}),
			"directory: membership of " + cut + " in " + cut + " from 2025-03-01 to 2025-03-01 is empty"},
		{"move", d.Move(long, "u", date.New(2025, 2, 1)),
			"directory: " + cut + " already has a membership of " + cut + " from 2025-03-01, not before the move on 2025-02-01"},
		{"control character", d.AddUser(long+"\x1b", ""), `directory: user "` + cut + `" has a control character (U+001B)`},
		{"user twice", func() error { _ = d.AddUser(long, "A"); return d.AddUser(long, "B") }(), "directory: user " + cut + " is already defined"},
	} {
		if tc.err == nil || tc.err.Error() != tc.want {
			t.Errorf("%s: got %.200v, want %s", tc.name, tc.err, tc.want)
		}
	}
}
