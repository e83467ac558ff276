// Package plainhttp holds the one rule by which a secret is refused over
// plain HTTP: http:// to another machine carries it in clear text, while
// http:// to this machine (tests, a local relay) does not leave it. The
// delivery channels and the Bitrix24 client refuse by it.
package plainhttp

import (
	"net"
	"net/url"
	"strings"
)

// Loopback reports whether host names this machine: localhost (in any
// case, as host names are) or a loopback address.
func Loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// InClear reports whether a request to u is http:// to a host other than
// this machine, so that a secret it carries would travel in clear text.
func InClear(u *url.URL) bool {
	return strings.EqualFold(u.Scheme, "http") && !Loopback(u.Hostname())
}
