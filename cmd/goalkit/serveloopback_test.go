package main

import (
	"io"
	"strings"
	"testing"
)

// A host name is the same in any case: -addr LOCALHOST:8080 listens on
// the loopback interface as localhost:8080 does, and was refused. A
// loopback address is one in any of its forms; localhost. is looked up in
// the DNS (the hosts file holds localhost without its final dot), so the
// address it names is not known to be this machine's.
func TestLoopbackAddr(t *testing.T) {
	for _, tt := range []struct {
		addr string
		want bool
	}{
		{"localhost:8080", true},
		{"LOCALHOST:8080", true},
		{"LocalHost:8080", true},
		{"localHOST:0", true},
		{"[::1]:8080", true},
		{"[0:0:0:0:0:0:0:1]:8080", true},
		{"127.0.0.1:8080", true},
		{"127.0.0.2:8080", true},
		{"127.255.255.254:8080", true},
		{"[::ffff:127.0.0.1]:8080", true},
		{"localhost.:8080", false},
		{"LOCALHOST.:8080", false},
		{"app.localhost:8080", false},
		{"localhost.example.com:8080", false},
		{"127.0.0.1.:8080", false},
		{":8080", false},
		{"0.0.0.0:8080", false},
		{"[::]:8080", false},
		{"10.0.0.1:8080", false},
		{"example.com:8080", false},
		{"localhost", false}, // no port: not an address
	} {
		if got := loopback(tt.addr); got != tt.want {
			t.Errorf("loopback(%q) = %v, want %v", tt.addr, got, tt.want)
		}
	}
}

// goalkit serve without -tokens or -proxy takes localhost in any case and
// refuses localhost. (the command stops at the missing plan after the
// check, with exit 1, or at the check with exit 2).
func TestServeOpenAddrCase(t *testing.T) {
	for _, tt := range []struct {
		addr string
		code int
		want string
	}{
		{"LOCALHOST:0", 1, ""},
		{"LocalHost:0", 1, ""},
		{"[::1]:0", 1, ""},
		{"127.0.0.2:0", 1, ""},
		{"localhost.:0", 2, "goalkit serve: -addr localhost.:0: without -tokens or -proxy everyone is an admin; listen on localhost only"},
	} {
		var stderr strings.Builder
		code := run(t.Context(), []string{"serve", "-plan", "no-such-plan.yaml", "-addr", tt.addr}, io.Discard, &stderr)
		first, _, _ := strings.Cut(stderr.String(), "\n")
		if code != tt.code || tt.want != "" && first != tt.want || strings.Contains(stderr.String(), "listen on localhost only") != (tt.want != "") {
			t.Errorf("-addr %s: exit %d: %s", tt.addr, code, stderr.String())
		}
	}
}
