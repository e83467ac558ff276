package serve

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// The headers of the trusted-proxy mode.
const (
	ProxySecretHeader = "X-Goalkit-Proxy-Secret"
	ProxyUserHeader   = "X-Goalkit-User"
	ProxyRoleHeader   = "X-Goalkit-Role"
	ProxyTeamsHeader  = "X-Goalkit-Teams"
)

// ProxyAuth is the built-in Authenticator behind a trusted reverse proxy
// that authenticates users itself: the proxy sends the shared secret in
// X-Goalkit-Proxy-Secret and the identity in X-Goalkit-User,
// X-Goalkit-Role (reader, writer or admin; default reader) and
// X-Goalkit-Teams (unit ids, comma-separated). A request without the
// secret, or with another, is unauthenticated whatever the other headers
// say, so a client that reaches the server past the proxy cannot claim an
// identity; so is one with any of these headers more than once.
type ProxyAuth struct {
	digest [sha256.Size]byte
}

// NewProxyAuth returns the proxy mode with the shared secret (at least
// MinTokenLength characters).
func NewProxyAuth(secret string) (*ProxyAuth, error) {
	if len(secret) < MinTokenLength {
		return nil, fmt.Errorf("the proxy's shared secret must have at least %d characters", MinTokenLength)
	}
	return &ProxyAuth{digest: sha256.Sum256([]byte(secret))}, nil
}

// errBadIdentity is a proxy request whose identity headers are malformed.
var errBadIdentity = errors.New("malformed identity headers")

// Authenticate implements Authenticator. A header of the mode given more
// than once is refused: a proxy that adds its headers to those a client
// sent, rather than replacing them, passes the client's value first.
func (p *ProxyAuth) Authenticate(r *http.Request) (Identity, error) {
	for _, h := range []string{ProxySecretHeader, ProxyUserHeader, ProxyRoleHeader, ProxyTeamsHeader} {
		if len(r.Header.Values(h)) > 1 {
			return Identity{}, fmt.Errorf("%w: %w: %s given %d times", ErrUnauthenticated, errBadIdentity, h, len(r.Header.Values(h)))
		}
	}
	d := sha256.Sum256([]byte(r.Header.Get(ProxySecretHeader)))
	if !digestEqual(&d, &p.digest) {
		return Identity{}, ErrUnauthenticated
	}
	id := Identity{Role: Reader}
	id.Viewer.User = r.Header.Get(ProxyUserHeader)
	if role := r.Header.Get(ProxyRoleHeader); role != "" {
		id.Role = Role(role)
	}
	if t := r.Header.Get(ProxyTeamsHeader); t != "" {
		for u := range strings.SplitSeq(t, ",") {
			u = strings.TrimSpace(u)
			if !identifier(u) {
				return Identity{}, fmt.Errorf("%w: %w: %s %q: a unit id is empty or has control characters", ErrUnauthenticated, errBadIdentity, ProxyTeamsHeader, t)
			}
			id.Teams = append(id.Teams, u)
		}
	}
	switch {
	case !id.Role.valid():
		return Identity{}, fmt.Errorf("%w: %w: %s %q: want reader, writer or admin", ErrUnauthenticated, errBadIdentity, ProxyRoleHeader, string(id.Role))
	case id.Viewer.User != "" && !identifier(id.Viewer.User):
		return Identity{}, fmt.Errorf("%w: %w: %s %q: white space at an end or control characters", ErrUnauthenticated, errBadIdentity, ProxyUserHeader, id.Viewer.User)
	case id.Viewer.User == "" && len(id.Teams) == 0 && id.Role != Admin:
		return Identity{}, fmt.Errorf("%w: %w: neither %s nor %s, and the role is not admin", ErrUnauthenticated, errBadIdentity, ProxyUserHeader, ProxyTeamsHeader)
	}
	id.Viewer.Admin = id.Role == Admin
	return id, nil
}
