package main

import (
	"errors"
	"strings"
	"testing"
)

// redact masks a NATS URL's password in every form an error may repeat
// it: decoded, as written (percent-encoded), and as the URL is written
// again after parsing; a URL with a user and no password gives NATS a
// token, masked too.
func TestRedactEncodedPasswords(t *testing.T) {
	for _, tc := range []struct {
		spec    string
		secrets []string // none may survive
		keep    string   // text that must stay
	}{
		{"nats://u:secret@h:4222/t", []string{"secret"}, "u:xxxxx@h:4222"},
		{"nats://u:p%40ss@h:4222/t", []string{"p@ss", "p%40ss"}, "h:4222"},
		{"nats://u:p%21%2Fw%3Ad@h:4222", []string{"p!/w:d", "p%21%2Fw%3Ad", "p%21%2Fw:d"}, "h:4222"},
		{"nats://u:%E2%82%AC%20x@h:4222", []string{"€ x", "%E2%82%AC%20x", "%E2%82%AC%20x"}, "h:4222"},
		{"nats://a:b@h1:4222,nats://c:d%25e@h2:4222/t", []string{"d%e", "d%25e"}, "h2:4222"},
		{"nats://s3cr3t-token@h:4222/t", []string{"s3cr3t-token"}, "h:4222"},
		{"nats://u:p%3Fss@h:4222?x=1", []string{"p?ss", "p%3Fss"}, "h:4222?x=1"},
	} {
		t.Run(tc.spec, func(t *testing.T) {
			servers, _, err := splitNATS(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			msg := "dial " + tc.spec + " and " + servers + ": "
			for _, s := range tc.secrets {
				msg += "[" + s + "]"
			}
			got := redact(errors.New(msg), tc.spec).Error()
			for _, s := range tc.secrets {
				if strings.Contains(got, s) {
					t.Errorf("%q shows %q", got, s)
				}
			}
			if !strings.Contains(got, tc.keep) {
				t.Errorf("%q lost %q", got, tc.keep)
			}
		})
	}
}
