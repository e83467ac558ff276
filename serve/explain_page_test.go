package serve

import (
	"net/http"
	"strings"
	"testing"
)

// The dashboard's explanation page of a cell that does not exist, or of a
// participant the viewer may not see, answers 404 and logs nothing, as
// before the dashboard learnt to answer its Data's failures 500: the
// server's not-found is fs.ErrNotExist to the dashboard, and the engine's
// refusal of an admin's unknown cell a not-found. A cell the viewer sees
// is explained.
func TestExplanationPageNotFound(t *testing.T) {
	f := newFixture(t, nil)
	const march = "&grain=month&from=2025-03-01&to=2025-04-01"
	for _, c := range []struct {
		name, target, token string
		want                int
	}{
		{"an admin's unknown participant", "/explain?indicator=revenue&participant=nobody" + march, adminToken, http.StatusNotFound},
		{"an admin's unknown indicator", "/explain?indicator=nothing&participant=n1" + march, adminToken, http.StatusNotFound},
		{"a reader's colleague of another team", "/explain?indicator=revenue&participant=s1" + march, n2Token, http.StatusNotFound},
		{"a reader's own cell", "/explain?indicator=revenue&participant=n2" + march, n2Token, http.StatusOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			f.logs.Reset()
			w := f.do("GET", c.target, c.token, "", nil)
			if w.Code != c.want {
				t.Fatalf("%s: %d, want %d", c.target, w.Code, c.want)
			}
			if strings.Contains(f.logs.String(), "level=ERROR") {
				t.Errorf("%s: logged %s", c.target, f.logs.String())
			}
		})
	}
}
