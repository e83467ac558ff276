package serve

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"strings"
	"unicode/utf8"

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
// Errors are "NAME:LINE: what is wrong" and never repeat a token.
func ParseTokenFile(name string, data []byte) (*TokenFile, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	bad := func(n *yaml.Node, format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", name, n.Line, fmt.Sprintf(format, args...))
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: empty tokens file: want a mapping with a tokens list", name)
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, bad(root, "want a mapping with a tokens list")
	}
	var list *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Value != "tokens" {
			return nil, bad(k, "unknown field %q (want tokens)", k.Value)
		}
		if list != nil {
			return nil, bad(k, "tokens given twice")
		}
		list = v
	}
	if list == nil {
		return nil, bad(root, "no tokens list")
	}
	if list.Kind != yaml.SequenceNode {
		return nil, bad(list, "tokens must be a list")
	}
	tf := &TokenFile{}
	seen := map[[sha256.Size]byte]int{}
	for _, item := range list.Content {
		t, err := parseToken(item, bad)
		if err != nil {
			return nil, err
		}
		if line, dup := seen[t.digest]; dup {
			return nil, bad(item, "the same token as the entry at line %d", line)
		}
		seen[t.digest] = item.Line
		tf.Tokens = append(tf.Tokens, t)
	}
	return tf, nil
}

func parseToken(item *yaml.Node, bad func(*yaml.Node, string, ...any) error) (Token, error) {
	var t Token
	if item.Kind != yaml.MappingNode {
		return t, bad(item, "a token entry must be a mapping")
	}
	var hasToken, hasDigest bool
	given := map[string]bool{}
	for i := 0; i+1 < len(item.Content); i += 2 {
		k, v := item.Content[i], item.Content[i+1]
		if given[k.Value] {
			return t, bad(k, "%s given twice", k.Value)
		}
		given[k.Value] = true
		if k.Value == "teams" {
			if v.Kind != yaml.SequenceNode {
				return t, bad(v, "teams must be a list of unit ids")
			}
			for _, u := range v.Content {
				if u.Kind != yaml.ScalarNode || !identifier(u.Value) {
					return t, bad(u, "a team must be a unit id")
				}
				t.Identity.Teams = append(t.Identity.Teams, u.Value)
			}
			continue
		}
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			return t, bad(v, "%s must be a string", k.Value)
		}
		switch k.Value {
		case "token":
			if utf8.RuneCountInString(v.Value) < MinTokenLength {
				return t, bad(v, "token is shorter than %d characters", MinTokenLength)
			}
			if strings.TrimSpace(v.Value) != v.Value || !identifier(v.Value) {
				return t, bad(v, "token has white space or control characters")
			}
			t.digest = sha256.Sum256([]byte(v.Value))
			hasToken = true
		case "sha256":
			b, err := hex.DecodeString(v.Value)
			if err != nil || len(b) != sha256.Size {
				return t, bad(v, "sha256 must be 64 hex digits")
			}
			copy(t.digest[:], b)
			if t.digest == sha256.Sum256(nil) {
				return t, bad(v, "sha256 is the digest of an empty token (was the token's variable empty when it was digested?)")
			}
			hasDigest = true
		case "user":
			if !identifier(v.Value) {
				return t, bad(v, "user must be a user id")
			}
			t.Identity.Viewer.User = v.Value
		case "role":
			r := Role(v.Value)
			if !r.valid() {
				return t, bad(v, "role must be reader, writer or admin, got %q", v.Value)
			}
			t.Identity.Role = r
		case "name":
			if !identifierOrSpace(v.Value) {
				return t, bad(v, "name has control characters")
			}
			t.Name = v.Value
		default:
			return t, bad(k, "unknown field %q (want token, sha256, user, role, teams or name)", k.Value)
		}
	}
	switch {
	case hasToken == hasDigest:
		return t, bad(item, "give one of token and sha256")
	case t.Identity.Role == "":
		return t, bad(item, "role is required (reader, writer or admin)")
	case t.Identity.Viewer.User == "" && len(t.Identity.Teams) == 0 && t.Identity.Role != Admin:
		return t, bad(item, "give a user or teams (or the admin role)")
	}
	t.Identity.Viewer.Admin = t.Identity.Role == Admin
	if t.Name == "" {
		t.Name = fmt.Sprintf("line %d", item.Line)
	}
	return t, nil
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
