package serve

import (
	"errors"
	"net/http/httptest"
	"testing"
)

// A proxy that adds its identity headers to those a client sent, rather
// than replacing them, passes the client's value first: an identity header
// (or the secret) given more than once is refused, never read as its first
// value, the client's.
func TestProxyAuthRepeatedHeaders(t *testing.T) {
	const secret = "proxy-secret-0123456789"
	p, err := NewProxyAuth(secret)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{ProxyUserHeader, ProxyRoleHeader, ProxyTeamsHeader, ProxySecretHeader} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set(ProxySecretHeader, secret)
		r.Header.Set(ProxyUserHeader, "anna")
		first := map[string]string{ProxyUserHeader: "boss", ProxyRoleHeader: "admin", ProxyTeamsHeader: "south", ProxySecretHeader: secret}[h]
		// The client's value first, then the proxy's.
		r.Header[h] = append([]string{first}, r.Header.Values(h)...)
		if h == ProxyRoleHeader || h == ProxyTeamsHeader {
			r.Header.Add(h, map[string]string{ProxyRoleHeader: "reader", ProxyTeamsHeader: "north"}[h])
		}
		id, err := p.Authenticate(r)
		if !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("%s twice: %+v %v, want unauthenticated", h, id, err)
		}
	}
}
