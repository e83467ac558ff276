package serve

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/goalkit/goalkit/internal/yamlerr"

	"go.yaml.in/yaml/v3"
)

// MinTokenLength is the least length of a token written in a tokens file.
const MinTokenLength = 16

// Token is one entry of a tokens file: a bearer token (kept only as its
// SHA-256 digest) and the identity it stands for.
type Token struct {
	// Name labels the entry in logs; default "line N".
	Name     string
	Identity Identity
	digest   [sha256.Size]byte
}

// TokenFile is the built-in Authenticator over a tokens file: a request's
// "Authorization: Bearer TOKEN" is compared, in constant time, with every
// entry's digest.
type TokenFile struct {
	Tokens []Token
}

// ReadTokenFile reads and parses a tokens file.
func ReadTokenFile(path string) (*TokenFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseTokenFile(path, data)
}

// ParseTokenFile parses a tokens file (YAML; see docs/serve.md):
//
//	tokens:
//	  - token: 9c1f…            # the bearer token, at least 16 characters, or
//	    sha256: 5e88…           # the hex SHA-256 of the token instead
//	    user: anna              # the viewer's user id
//	    role: reader            # reader, writer or admin
//	    teams: [north]          # units whose rows this token may see too
//	    name: anna's laptop     # a label for logs (optional)
//
// The error lists every problem, one a line in the order of the file, each
// "NAME:LINE: what is wrong", and never repeats a token.
func ParseTokenFile(name string, data []byte) (*TokenFile, error) {
	data = yamlerr.JSONText(data) // a JSON file as encoding/json reads it
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		return nil, syntaxError(name, data, err)
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: empty tokens file: want a mapping with a tokens list", name)
	}
	p := &tokenProblems{name: name}
	tf := p.parseFile(doc.Content[0])
	// A second document (two files joined) is refused, not left out: its
	// tokens would be refused later without a word. It is one problem
	// more, after those of the first.
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		if err != nil {
			return nil, syntaxError(name, data, err)
		}
		at := &extra
		if len(extra.Content) > 0 {
			at = extra.Content[0]
		}
		p.add(at, "more than one document in the tokens file")
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return tf, nil
}

// syntaxError is a syntax error of the YAML library in a tokens file as
// "NAME:LINE: what is wrong", on the line of the problem: the library
// names the line of the construct it was reading, or the line before (a
// tab in the indentation of line 4 at line 3).
func syntaxError(name string, data []byte, err error) error {
	line, msg := yamlerr.Locate(data, err)
	return fmt.Errorf("%s:%d: %s", name, line, msg)
}

// tokenProblems collects the problems of a tokens file.
type tokenProblems struct {
	name string
	list []tokenProblem
}

type tokenProblem struct {
	line int
	msg  string
}

func (p *tokenProblems) add(n *yaml.Node, format string, args ...any) {
	p.list = append(p.list, tokenProblem{n.Line, fmt.Sprintf(format, args...)})
}

// err is every problem, sorted by line (a line's in the order found), or nil.
func (p *tokenProblems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	sort.SliceStable(p.list, func(i, j int) bool { return p.list[i].line < p.list[j].line })
	errs := make([]error, len(p.list))
	for i, q := range p.list {
		errs[i] = fmt.Errorf("%s:%d: %s", p.name, q.line, q.msg)
	}
	return errors.Join(errs...)
}

func (p *tokenProblems) parseFile(root *yaml.Node) *TokenFile {
	if root.Kind != yaml.MappingNode {
		p.add(root, "want a mapping with a tokens list")
		return nil
	}
	var list *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch {
		case k.Value != "tokens":
			p.add(k, "unknown field %q (want tokens)", k.Value)
		case list != nil:
			p.add(k, "tokens given twice")
		default:
			list = v
		}
	}
	if list == nil {
		if len(p.list) == 0 {
			p.add(root, "no tokens list")
		}
		return nil
	}
	if list.Kind != yaml.SequenceNode {
		p.add(list, "tokens must be a list")
		return nil
	}
	tf := &TokenFile{}
	seen := map[[sha256.Size]byte]int{}
	for _, item := range list.Content {
		t, ok := p.parseToken(item)
		if t.digest != ([sha256.Size]byte{}) {
			if line, dup := seen[t.digest]; dup {
				p.add(item, "the same token as the entry at line %d", line)
				ok = false
			} else {
				seen[t.digest] = item.Line
			}
		}
		if ok {
			tf.Tokens = append(tf.Tokens, t)
		}
	}
	return tf
}

// parseToken reads one entry, adding each of its problems; ok is false if
// it had any. A field given but wrong is not reported again as missing.
func (p *tokenProblems) parseToken(item *yaml.Node) (t Token, ok bool) {
	if item.Kind != yaml.MappingNode {
		p.add(item, "a token entry must be a mapping")
		return t, false
	}
	before := len(p.list)
	given := map[string]bool{}
	for i := 0; i+1 < len(item.Content); i += 2 {
		k, v := item.Content[i], item.Content[i+1]
		if given[k.Value] {
			p.add(k, "%s given twice", k.Value)
			continue
		}
		given[k.Value] = true
		if k.Value == "teams" {
			if v.Kind != yaml.SequenceNode {
				p.add(v, "teams must be a list of unit ids")
				continue
			}
			for _, u := range v.Content {
				if u.Kind != yaml.ScalarNode || !identifier(u.Value) {
					p.add(u, "a team must be a unit id")
					continue
				}
				t.Identity.Teams = append(t.Identity.Teams, u.Value)
			}
			continue
		}
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			p.add(v, "%s must be a string", k.Value)
			continue
		}
		p.tokenField(&t, k, v)
	}
	switch {
	case given["token"] == given["sha256"]:
		p.add(item, "give one of token and sha256")
	case !given["role"]:
		p.add(item, "role is required (reader, writer or admin)")
	case !given["user"] && !given["teams"] && t.Identity.Role != Admin && t.Identity.Role != "":
		p.add(item, "give a user or teams (or the admin role)")
	}
	if len(p.list) > before {
		return t, false
	}
	t.Identity.Viewer.Admin = t.Identity.Role == Admin
	if t.Name == "" {
		t.Name = fmt.Sprintf("line %d", item.Line)
	}
	return t, true
}

// tokenField reads one scalar field of an entry into t.
func (p *tokenProblems) tokenField(t *Token, k, v *yaml.Node) {
	switch k.Value {
	case "token":
		if utf8.RuneCountInString(v.Value) < MinTokenLength {
			p.add(v, "token is shorter than %d characters", MinTokenLength)
			return
		}
		if strings.TrimSpace(v.Value) != v.Value || !identifier(v.Value) {
			p.add(v, "token has white space or control characters")
			return
		}
		t.digest = sha256.Sum256([]byte(v.Value))
	case "sha256":
		b, err := hex.DecodeString(v.Value)
		if err != nil || len(b) != sha256.Size {
			p.add(v, "sha256 must be 64 hex digits")
			return
		}
		var d [sha256.Size]byte
		copy(d[:], b)
		if d == sha256.Sum256(nil) {
			p.add(v, "sha256 is the digest of an empty token (was the token's variable empty when it was digested?)")
			return
		}
		t.digest = d
	case "user":
		if !identifier(v.Value) {
			p.add(v, "user must be a user id")
			return
		}
		t.Identity.Viewer.User = v.Value
	case "role":
		r := Role(v.Value)
		if !r.valid() {
			p.add(v, "role must be reader, writer or admin, got %q", v.Value)
			return
		}
		t.Identity.Role = r
	case "name":
		if !identifierOrSpace(v.Value) {
			p.add(v, "name has control characters")
			return
		}
		t.Name = v.Value
	default:
		p.add(k, "unknown field %q (want token, sha256, user, role, teams or name)", k.Value)
	}
}

// identifier reports whether s is a non-empty identifier: valid UTF-8 with
// neither white space at its ends nor control characters.
func identifier(s string) bool {
	return s != "" && strings.TrimSpace(s) == s && identifierOrSpace(s)
}

func identifierOrSpace(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) {
			return false
		}
	}
	return true
}

// Authenticate implements Authenticator: every entry is compared, whatever
// matched before, so the time taken says nothing about which matched.
func (tf *TokenFile) Authenticate(r *http.Request) (Identity, error) {
	tok, ok := bearer(r)
	if !ok {
		return Identity{}, ErrUnauthenticated
	}
	d := sha256.Sum256([]byte(tok))
	found := -1
	for i := range tf.Tokens {
		if digestEqual(&d, &tf.Tokens[i].digest) && found < 0 {
			found = i
		}
	}
	if found < 0 {
		return Identity{}, ErrUnauthenticated
	}
	return tf.Tokens[found].Identity, nil
}
