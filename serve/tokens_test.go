package serve

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/eventfile"
)

func TestParseTokenFile(t *testing.T) {
	tf, err := ReadTokenFile("testdata/tokens.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(tf.Tokens) != 6 {
		t.Fatalf("%d tokens", len(tf.Tokens))
	}
	auth := func(tok string) (Identity, error) {
		r := httptest.NewRequest("GET", "/", nil)
		if tok != "" {
			r.Header.Set("Authorization", "Bearer "+tok)
		}
		return tf.Authenticate(r)
	}
	cases := []struct {
		tok   string
		user  string
		role  Role
		admin bool
		teams string
	}{
		{adminToken, "", Admin, true, ""},
		{writerToken, "n1", Writer, false, ""},
		{kioskToken, "", Reader, false, "south"},
		{n3Token, "n3", Reader, false, ""},
	}
	for _, c := range cases {
		id, err := auth(c.tok)
		if err != nil || id.Viewer.User != c.user || id.Role != c.role || id.Viewer.Admin != c.admin || strings.Join(id.Teams, ",") != c.teams {
			t.Errorf("%s…: %+v %v", c.tok[:6], id, err)
		}
	}
	for _, tok := range []string{"", "admin-token-012345678", "admin-token-01234567890", " "} {
		if _, err := auth(tok); err != ErrUnauthenticated {
			t.Errorf("%q: %v", tok, err)
		}
	}
	// The cookie of browsers.
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", TokenCookie+"="+n3Token)
	if id, err := tf.Authenticate(r); err != nil || id.Viewer.User != "n3" {
		t.Errorf("cookie: %+v %v", id, err)
	}
}

func TestParseTokenFileErrors(t *testing.T) {
	sum := sha256.Sum256([]byte("x"))
	digest := hex.EncodeToString(sum[:])
	cases := []struct{ src, want string }{
		{"", "t.yaml: empty tokens file"},
		{"- a\n", "t.yaml:1: want a mapping"},
		{"tokenz: []\n", `t.yaml:1: unknown field "tokenz"`},
		{"tokens: {}\n", "t.yaml:1: tokens must be a list"},
		{"tokens:\n  - token: short\n    role: reader\n    user: a\n", "t.yaml:2: token is shorter than 16"},
		{"tokens:\n  - {role: reader, user: a}\n", "t.yaml:2: give one of token and sha256"},
		{"tokens:\n  - {token: abcdefghijklmnopq, sha256: " + digest + ", role: reader, user: a}\n", "t.yaml:2: give one of token and sha256"},
		{"tokens:\n  - {sha256: abc, role: reader, user: a}\n", "t.yaml:2: sha256 must be 64 hex digits"},
		{"tokens:\n  - {token: abcdefghijklmnopq, user: a}\n", "t.yaml:2: role is required"},
		{"tokens:\n  - {token: abcdefghijklmnopq, role: boss, user: a}\n", `t.yaml:2: role must be reader, writer or admin, got "boss"`},
		{"tokens:\n  - {token: abcdefghijklmnopq, role: reader}\n", "t.yaml:2: give a user or teams"},
		{"tokens:\n  - {token: abcdefghijklmnopq, role: reader, user: a, teams: north}\n", "t.yaml:2: teams must be a list"},
		{"tokens:\n  - {token: abcdefghijklmnopq, role: reader, user: a, colour: red}\n", `t.yaml:2: unknown field "colour"`},
		{"tokens:\n  - {token: abcdefghijklmnopq, role: reader, user: a}\n  - {token: abcdefghijklmnopq, role: admin}\n", "t.yaml:3: the same token as the entry at line 2"},
		{"tokens:\n  - {token: \"abcdefghijklmnop\\tq\", role: reader, user: a}\n", "t.yaml:2: token has white space or control characters"},
		{"tokens:\n  - {token: abcdefghijklmnopq, role: reader, user: a, user: b}\n", "t.yaml:2: user given twice"},
		// A second document is refused, not left out: its tokens would
		// be unauthenticated without a word.
		{"tokens:\n  - {token: abcdefghijklmnopq, role: admin}\n---\ntokens:\n  - {token: bcdefghijklmnopqr, role: reader, user: a}\n", "t.yaml:4: more than one document in the tokens file"},
		// With the problems of the first, in the order of the file.
		{"tokens:\n  - {token: short, role: admin}\n---\ntokens: []\n", "t.yaml:2: token is shorter than 16 characters\nt.yaml:4: more than one document in the tokens file"},
		// A syntax error on the line of the problem, as a plan's: the
		// library named the line before a tab of the indentation and the
		// line before an unclosed "{", as "yaml: line N".
		{"tokens:\n  - token: abcdefghijklmnopq\n    role: admin\n\tname: x\n", "t.yaml:4: a tab in the indentation"},
		{"tokens:\n  - {token: abcdefghijklmnopq, role: admin\n  - {token: bcdefghijklmnopqr}\n", `t.yaml:2: the mapping opened with "{" here is not closed`},
		{"tokens:\n  - {token: abcdefghijklmnopq, role: admin}\n  - token: 'abcdefghijklmnopqr\n", "t.yaml:3: the quoted text that starts here is never closed"},
		{"tokens:\n  - {token: abcdefghijklmnopq, role: admin}\n---\ntokens: [\n", "t.yaml:4: the file ends where a value is expected"},
	}
	for _, c := range cases {
		_, err := ParseTokenFile("t.yaml", []byte(c.src))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %s…", c.src, err, c.want)
			continue
		}
		if strings.Contains(err.Error(), "abcdefghijklmnop") {
			t.Errorf("%q: the error repeats the token: %v", c.src, err)
		}
	}
}

func TestProxyAuth(t *testing.T) {
	if _, err := NewProxyAuth("short"); err == nil {
		t.Error("a short secret is accepted")
	}
	p, err := NewProxyAuth("proxy-secret-0123456789")
	if err != nil {
		t.Fatal(err)
	}
	req := func(secret string, h ...string) (Identity, error) {
		r := httptest.NewRequest("GET", "/", nil)
		if secret != "" {
			r.Header.Set(ProxySecretHeader, secret)
		}
		for i := 0; i+1 < len(h); i += 2 {
			r.Header.Set(h[i], h[i+1])
		}
		return p.Authenticate(r)
	}
	if id, err := req("proxy-secret-0123456789", ProxyUserHeader, "anna", ProxyTeamsHeader, "north, south"); err != nil ||
		id.Viewer.User != "anna" || id.Role != Reader || strings.Join(id.Teams, "|") != "north|south" {
		t.Errorf("reader: %+v %v", id, err)
	}
	if id, err := req("proxy-secret-0123456789", ProxyRoleHeader, "admin"); err != nil || !id.Viewer.Admin {
		t.Errorf("admin: %+v %v", id, err)
	}
	for _, bad := range [][]string{
		{"", ProxyUserHeader, "anna"},
		{"proxy-secret-012345678X", ProxyUserHeader, "anna"},
		{"proxy-secret-0123456789", ProxyUserHeader, "anna", ProxyRoleHeader, "root"},
		{"proxy-secret-0123456789"},
		{"proxy-secret-0123456789", ProxyUserHeader, "anna\x01"},
	} {
		if _, err := req(bad[0], bad[1:]...); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzParseTokenFile(f *testing.F) {
	f.Add([]byte("tokens:\n  - {token: abcdefghijklmnopq, role: reader, user: a, teams: [north]}\n"))
	f.Add([]byte("tokens:\n  - sha256: 325a1664f144557a90393a71afe664b5e4424e9f115609fa7e9e89036c06d9c6\n    role: admin\n"))
	f.Add([]byte("tokens: [{token: abcdefghijklmnopq, role: writer, user: \"\"}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tf, err := ParseTokenFile("f.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.yaml") {
				t.Fatalf("error without the file's name: %v", err)
			}
			return
		}
		for _, tok := range tf.Tokens {
			id := tok.Identity
			if !id.Role.valid() || id.Viewer.Admin != (id.Role == Admin) {
				t.Fatalf("bad identity %+v", id)
			}
			if id.Viewer.User == "" && len(id.Teams) == 0 && !id.Viewer.Admin {
				t.Fatalf("an identity of no one: %+v", id)
			}
		}
	})
}

// The ingestion body parser: a body is refused with lines in the body, or
// gives events that pass their own check.
func FuzzParseEvents(f *testing.F) {
	f.Add([]byte(`[{"id":"a","kind":"k","time":"2025-03-01T10:00:00Z","actor":"x","amount":"1.5"}]`), true)
	f.Add([]byte("{\"id\":\"a\",\"kind\":\"k\",\"time\":\"2025-03-01T10:00:00Z\",\"actor\":\"x\"}\n{\"id\":\"a\",\"deleted\":true}\n"), false)
	f.Add([]byte("[\n{\"id\":1}\n,\n{\"id\":\"b\"}]"), true)
	f.Add([]byte("[] []"), true)
	f.Fuzz(func(t *testing.T, body []byte, array bool) {
		events, err := parseEvents(context.Background(), body, array, eventfile.NDJSON, nil)
		if err != nil {
			be, ok := err.(*badBody)
			if !ok {
				t.Fatalf("not a badBody: %v", err)
			}
			lines := 1 + strings.Count(string(body), "\n")
			for _, l := range be.Lines {
				if l.Line < 1 || l.Line > lines {
					t.Fatalf("line %d of a body of %d lines: %v", l.Line, lines, err)
				}
				if l.Element < 0 || (!array && l.Element != 0) {
					t.Fatalf("element %d of a body (array %v): %v", l.Element, array, err)
				}
			}
			return
		}
		for i := range events {
			if err := events[i].Validate(); err != nil {
				t.Fatalf("event %d: %v", i, err)
			}
		}
	})
}
