package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// A failed connection's error keeps pgconn's types in its chain for
// errors.Is and errors.As, and nothing in the chain shows the password: not
// a message, and not the configuration a *pgconn.ConnectError carries,
// which a caller reaches with errors.As or by unwrapping.
func TestConnectErrorChainHasNoPassword(t *testing.T) {
	const pw = "s3cret-pw"
	_, err := Open(context.Background(), "postgres://u:"+pw+"@127.0.0.1:1/db?connect_timeout=1")
	if err == nil {
		t.Fatal("connected to port 1")
	}
	var ce *pgconn.ConnectError
	if !errors.As(err, &ce) {
		t.Fatalf("errors.As finds no *pgconn.ConnectError in %v", err)
	}
	if ce.Config == nil || ce.Config.Password != "" || ce.Config.User != "u" || ce.Config.Database != "db" {
		t.Errorf("the connect error's config: %+v, want user u, database db and no password", ce.Config)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("errors.Is(%v, ECONNREFUSED) = false", err)
	}
	// Walk the chain by hand, as a caller printing an unwrapped error does.
	n := 0
	for e := err; e != nil; e = errors.Unwrap(e) {
		n++
		if strings.Contains(e.Error(), pw) {
			t.Errorf("link %d (%T) shows the password: %v", n, e, e)
		}
		if c, ok := e.(*pgconn.ConnectError); ok && c.Config != nil && c.Config.Password != "" {
			t.Errorf("link %d is a *pgconn.ConnectError whose config holds the password", n)
		}
	}
}

// A connect error deeper in a chain cannot be replaced by a copy: the
// redacted error does not unwrap at all, and its text stays masked.
func TestRedactDeepConnectError(t *testing.T) {
	const pw = "s3cret-pw"
	_, err := pgconn.Connect(context.Background(), "postgres://u:"+pw+"@127.0.0.1:1/db?connect_timeout=1")
	if err == nil {
		t.Fatal("connected to port 1")
	}
	deep := fmt.Errorf("ping %s: %w", pw, err)
	r := redact(deep, pw)
	if errors.Unwrap(r) != nil {
		t.Errorf("the redacted error unwraps to %v", errors.Unwrap(r))
	}
	var ce *pgconn.ConnectError
	if errors.As(r, &ce) {
		t.Errorf("errors.As finds the connect error with its password")
	}
	if want := "ping xxxxx: " + strings.ReplaceAll(err.Error(), pw, "xxxxx"); r.Error() != want {
		t.Errorf("error %q, want %q", r, want)
	}
	// Without a password nothing is hidden.
	if got := redact(deep, ""); got != deep {
		t.Errorf("redact with no password gave %v", got)
	}
}
