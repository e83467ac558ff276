package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goalkit serve listens before it opens its database: an address in use,
// or one that is none, fails the command with nothing written. It listened
// last, after it had applied -events to the database (and, with
// -channels, begun delivery), then failed on the address.
func TestServeListensFirst(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for _, addr := range []string{busy.Addr().String(), "127.0.0.1:99999"} {
		db := filepath.Join(t.TempDir(), "serve.db")
		code, _, errs := runCLI(t, "serve", "-plan", quickPlan, "-events", quickEvents, "-source", "sqlite:"+db, "-addr", addr)
		if code != 1 || !strings.Contains(errs, "listen tcp") || strings.Contains(errs, "applied") {
			t.Errorf("-addr %s: exit %d, want 1 and the listen error before anything is applied:\n%s", addr, code, errs)
		}
		if _, err := os.Stat(db); !os.IsNotExist(err) {
			t.Errorf("-addr %s: the database %s was written (%v)", addr, db, err)
		}
	}
}
