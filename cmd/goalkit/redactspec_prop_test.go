package main

import (
	"net/url"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// redactSpec, which serve's start line prints, shows no part of a
// database or NATS URL's user information, nor of its query (a
// PostgreSQL URL may carry password= there), whatever their characters,
// written raw or percent-encoded; and it keeps the host of a URL with one
// server.
func TestRedactSpecShowsNoSecret(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		scheme := rapid.SampledFrom([]string{"postgres", "postgresql", "nats"}).Draw(t, "scheme")
		// A secret is drawn from every character a user may type, the
		// URL's own delimiters included, then marked so that it is told
		// apart from the rest of the URL.
		secret := "S3" + rapid.StringMatching(`[a-zA-Z0-9@:/?#&=%+ !$'()*,;\[\]~._-]{0,12}`).Draw(t, "secret") + "Q9"
		user := rapid.StringMatching(`[a-z]{1,6}`).Draw(t, "user")
		host := rapid.StringMatching(`[a-z]{1,8}(\.[a-z]{1,5})?(:[0-9]{1,5})?`).Draw(t, "host")
		path := rapid.StringMatching(`(/[a-z]{0,8})?`).Draw(t, "path")
		raw := rapid.Bool().Draw(t, "raw") // the secret as typed, not encoded
		pw := url.QueryEscape(secret)
		if raw {
			pw = secret
		}
		var spec string
		switch rapid.IntRange(0, 2).Draw(t, "where") {
		case 0: // user:password@
			spec = scheme + "://" + user + ":" + pw + "@" + host + path
		case 1: // a token alone, as NATS takes it
			spec = scheme + "://" + pw + "@" + host + path
		default: // in the query
			spec = scheme + "://" + host + path + "?sslmode=require&password=" + pw
		}
		got := redactSpec(spec)
		for _, s := range []string{secret, pw, "S3", "Q9"} {
			if strings.Contains(got, s) {
				t.Fatalf("redactSpec(%q) = %q shows %q", spec, got, s)
			}
		}
		if want := scheme + "://" + host + path; !raw && got != want {
			t.Fatalf("redactSpec(%q) = %q, want %q", spec, got, want)
		}
	})
}

// A password in a PostgreSQL URL's query with an '@' in it was printed in
// part by serve's start line: "events in postgres://def" of
// password=abc@def.
func TestRedactSpecQueryAt(t *testing.T) {
	for spec, want := range map[string]string{
		"postgres://db.example/goals?password=abc@def":      "the database",
		"postgres://db.example/goals#abc@def":               "the database",
		"postgres://u:pw@db.example:5432/goals?sslmode=req": "postgres://db.example:5432/goals",
		"nats://u:p@ss@h:4222/t":                            "nats://h:4222/t",
		"sqlite:goalkit-serve.db":                           "sqlite:goalkit-serve.db",
	} {
		if got := redactSpec(spec); got != want {
			t.Errorf("redactSpec(%q) = %q, want %q", spec, got, want)
		}
	}
}
