package serve

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// Every metric the Grafana dashboard of examples/grafana queries is one the
// server exports.
func TestGrafanaDashboardMetrics(t *testing.T) {
	data, err := os.ReadFile("../examples/grafana/goalkit-serve.json")
	if os.IsNotExist(err) {
		t.Skip("outside the repository")
	}
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal(data, &dash); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, nil)
	f.post(deal("d1", "n1", "1", day(3, 10)))
	f.do("GET", "/api/v1/report", "", "", nil) // a 4xx
	exported := f.do("GET", "/metrics", "", "", nil).Body.String()
	name := regexp.MustCompile(`goalkit_[a-z_]+`)
	n := 0
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			for _, m := range name.FindAllString(tg.Expr, -1) {
				n++
				if !strings.Contains(exported, "\n"+m+"{") && !strings.Contains(exported, "\n"+m+" ") {
					t.Errorf("panel %q queries %s, which the server does not export", p.Title, m)
				}
			}
		}
	}
	if n < 8 {
		t.Errorf("only %d metric queries", n)
	}
}
