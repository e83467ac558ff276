package serve

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
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
	// Without a directory no team is a unit.
	def, err := goalkit.ParseDefinition("plan.yaml", []byte("timezone: UTC\nindicators:\n  - {id: won, kinds: [deal.won], aggregate: count}\nreport: {grain: month, from: 2025-03-01, to: 2025-04-01}\n"))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	g := planFixture(t, plan, nil, func(c *Config) { c.Auth = tf })
	if logs := g.logs.String(); !strings.Contains(logs, `token="line 2" team=south`) {
		t.Errorf("without a directory, the log does not name south:\n%s", logs)
	}
}
