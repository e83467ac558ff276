package serve

import (
	"testing"
)

// A tokens file with several problems is refused with every one of them,
// one a line, each naming the file and its line, in the order of the file;
// a field that is wrong is not reported again as missing.
func TestParseTokenFileEveryProblem(t *testing.T) {
	src := "tokens:\n" +
		"  - {token: short, role: reader, user: a}\n" + // 2
		"  - {token: abcdefghijklmnopq, role: boss, user: b, colour: red}\n" + // 3
		"  - {token: abcdefghijklmnopr, role: reader}\n" + // 4
		"  - {token: abcdefghijklmnopq, role: admin}\n" + // 5
		"  - {sha256: abc, role: reader, user: c, user: d}\n" + // 6
		"  - 7\n" + // 7
		"  - {token: abcdefghijklmnops, role: reader, user: e}\n" // 8: fine
	want := "t.yaml:2: token is shorter than 16 characters\n" +
		"t.yaml:3: role must be reader, writer or admin, got \"boss\"\n" +
		"t.yaml:3: unknown field \"colour\" (want token, sha256, user, role, teams or name)\n" +
		"t.yaml:4: give a user or teams (or the admin role)\n" +
		"t.yaml:5: the same token as the entry at line 3\n" +
		"t.yaml:6: sha256 must be 64 hex digits\n" +
		"t.yaml:6: user given twice\n" +
		"t.yaml:7: a token entry must be a mapping"
	_, err := ParseTokenFile("t.yaml", []byte(src))
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	// Problems of the file's top level are all reported too.
	_, err = ParseTokenFile("t.yaml", []byte("tokenz: []\nusers: []\ntokens: []\n"))
	want = "t.yaml:1: unknown field \"tokenz\" (want tokens)\nt.yaml:2: unknown field \"users\" (want tokens)"
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
}
