package serve

import (
	"strings"
	"testing"
)

// A team of the tokens file that is no unit of the directory is named in
// the log at start, with the entry's name or line: a kiosk of a mistyped
// team saw nothing, and nothing said why. Teams the directory has are not.
func TestTokenTeamsNotInTheDirectory(t *testing.T) {
	tf, err := ParseTokenFile("tokens.yaml", []byte(`tokens:
  - {token: kiosk-south-0123456789, teams: [south], role: reader}
  - {token: kiosk-north-0123456789, teams: [nrth, south], role: reader}
  - {token: kiosk-other-0123456789, teams: [west], role: reader, name: west kiosk}
`))
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, func(c *Config) { c.Auth = tf })
	logs := f.logs.String()
	for _, want := range []string{`token="line 3" team=nrth`, `token="west kiosk" team=west`} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log does not name %s:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, "team=south") {
		t.Errorf("the log names south, a unit of the directory:\n%s", logs)
	}
}
