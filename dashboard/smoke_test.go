package dashboard_test

import (
	"io"
	"net/http"
	"os"
	"testing"
)

func TestSmoke(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	for _, p := range []string{"/", "/ranking", "/scorecards", "/teams", "/cascades", "/goal?goal=revenue_month&participant=anna", "/explain?indicator=revenue&participant=anna&grain=month&from=2026-12-01&to=2027-01-01"} {
		req, _ := http.NewRequest("GET", f.server.URL+p, nil)
		req.AddCookie(&http.Cookie{Name: "viewer", Value: "admin"})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		t.Logf("%s: %d %d bytes", p, resp.StatusCode, len(b))
		if os.Getenv("DUMP") != "" {
			os.WriteFile(os.Getenv("DUMP")+"/"+map[string]string{"/": "index"}[p]+".html", b, 0o644)
		}
	}
}
