package serve

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/goalkit/goalkit/goal"
)

// Role is what a viewer may do: read (reader), also ingest events and close
// periods (writer), and also see every row (admin).
type Role string

// The roles, weakest first.
const (
	Reader Role = "reader"
	Writer Role = "writer"
	Admin  Role = "admin"
)

// allows reports whether the role grants at least what want grants.
func (r Role) allows(want Role) bool { return r.rank() >= want.rank() }

func (r Role) rank() int {
	switch r {
	case Reader:
		return 1
	case Writer:
		return 2
	case Admin:
		return 3
	}
	return 0
}

// valid reports whether r is one of the roles.
func (r Role) valid() bool { return r.rank() > 0 }

// Identity is who makes a request: the viewer the visibility policy judges,
// the role, and the teams (units of the directory) whose rows the identity
// may see as their head may, beside what the policy grants the viewer.
type Identity struct {
	Viewer goal.Viewer
	Role   Role
	Teams  []string
}

// An Authenticator tells who makes a request. It returns ErrUnauthenticated
// (or an error wrapping it) when the request carries no valid credentials;
// any other error is the authenticator's own failure. Hosts plug in their
// own (sessions, OIDC); TokenFile and ProxyAuth are built in.
type Authenticator interface {
	Authenticate(r *http.Request) (Identity, error)
}

// AuthenticatorFunc adapts a function to the Authenticator interface.
type AuthenticatorFunc func(r *http.Request) (Identity, error)

// Authenticate calls f.
func (f AuthenticatorFunc) Authenticate(r *http.Request) (Identity, error) { return f(r) }

// ErrUnauthenticated is the error of a request without valid credentials.
var ErrUnauthenticated = errors.New("unauthenticated")

// TokenCookie is the cookie that carries a bearer token for browsers
// (pages and their event stream cannot send an Authorization header); the
// dashboard sets it from an access_token query parameter. Its value is the
// token with "%" and every byte a cookie cannot hold (non-ASCII, '"', ';',
// '\', ',', controls) percent-encoded: a token of the usual characters
// is itself.
const TokenCookie = "goalkit_token"

// cookieValue is a token as TokenCookie holds it: a cookie cannot hold
// every byte a token may have (the tokens file takes any text without
// white space or control characters), and net/http dropped those it
// cannot, so that the cookie held another token and the link's page
// answered 401.
func cookieValue(tok string) string {
	var b strings.Builder
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if c <= 0x20 || c >= 0x7f || c == '"' || c == ';' || c == '\\' || c == ',' || c == '%' {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// bearer returns the token of an "Authorization: Bearer TOKEN" header, or
// else of the TokenCookie cookie; a header whose token is empty (or white
// space) carries none.
func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(h) > len(prefix) && strings.EqualFold(h[:len(prefix)], prefix) {
		tok := strings.TrimSpace(h[len(prefix):])
		return tok, tok != ""
	}
	if c, err := r.Cookie(TokenCookie); err == nil && c.Value != "" {
		tok := c.Value
		if strings.Contains(tok, "%") {
			if u, err := url.PathUnescape(tok); err == nil {
				tok = u
			}
		}
		return tok, true
	}
	return "", false
}

// digestEqual compares the digest of a presented secret with a known one in
// constant time: both sides are SHA-256 digests, so the time taken depends
// on neither the secret's length nor its content.
func digestEqual(a, b *[sha256.Size]byte) bool {
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// adminViewer is the viewer of Open.
var adminViewer = goal.Viewer{User: "admin", Admin: true}
