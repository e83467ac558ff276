package serve

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/org"
)

// brokenDirectory is a directory whose every read fails, as a host's
// directory over a CRM that is down.
type brokenDirectory struct{}

func (brokenDirectory) Units(context.Context) ([]org.Unit, error) {
	return nil, errors.New("crm: connection refused")
}

func (brokenDirectory) Memberships(context.Context) ([]org.Membership, error) {
	return nil, errors.New("crm: connection refused")
}

// An explanation the engine fails to make (the directory of the server's
// Options cannot be read) is the server's failure: 500, logged with its
// path and the error, for an admin's API read and for the dashboard's
// page alike. It was told as the engine's refusal of an unknown cell: an
// admin got 400 with the directory's error, the page 404, and nothing was
// logged. A cell that does not exist stays 400 to an admin's API read and
// 404 to the page, unlogged.
func TestExplanationThatFailsIsTheServers(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.Options = []goalkit.EvalOption{goalkit.WithDirectory(brokenDirectory{})}
	})
	const march = "&grain=month&from=2025-03-01&to=2025-04-01"
	for _, c := range []struct {
		name, target string
		want         int
		logged       bool
	}{
		{"the API", "/api/v1/explain?indicator=revenue&participant=n1&period=2025-03", http.StatusInternalServerError, true},
		{"the page", "/explain?indicator=revenue&participant=n1" + march, http.StatusInternalServerError, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			f.logs.Reset()
			w := f.do("GET", c.target, adminToken, "", nil)
			if w.Code != c.want {
				t.Fatalf("%s: %d %s, want %d", c.target, w.Code, w.Body, c.want)
			}
			if strings.Contains(w.Body.String(), "connection refused") {
				t.Errorf("%s: the answer tells the directory's error: %s", c.target, w.Body)
			}
			logs := f.logs.String()
			if n := strings.Count(logs, "level=ERROR"); n != 1 || !strings.Contains(logs, "connection refused") || !strings.Contains(logs, strings.SplitN(c.target, "?", 2)[0]) {
				t.Errorf("%s: logged %d errors, want one with the path and the directory's error:\n%s", c.target, n, logs)
			}
		})
	}
	// Unknown cells on a server whose directory reads: refusals, not failures.
	g := newFixture(t, nil)
	for _, c := range []struct {
		target string
		want   int
	}{
		{"/api/v1/explain?indicator=revenue&participant=nobody&period=2025-03", http.StatusBadRequest},
		{"/api/v1/explain?indicator=nothing&participant=n1&period=2025-03", http.StatusBadRequest},
	} {
		g.logs.Reset()
		if w := g.do("GET", c.target, adminToken, "", nil); w.Code != c.want {
			t.Errorf("%s: %d %s, want %d", c.target, w.Code, w.Body, c.want)
		}
		if strings.Contains(g.logs.String(), "level=ERROR") {
			t.Errorf("%s: logged %s", c.target, g.logs.String())
		}
	}
}
