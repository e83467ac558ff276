package dashboard_test

import (
	"fmt"
	"net/http"
	"runtime"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
)

// TestPagesReadDefinitionOnce: what a page takes from the plan's
// definition is read once, not copied whole per request (or per cell, as
// the breakdowns took the attribute types for each link). A plan whose
// definition is larger by attributes no page shows costs a request no
// more than the test plan, and its pages are the same.
func TestPagesReadDefinitionOnce(t *testing.T) {
	def, err := goalkit.ReadDefinition("testdata/plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	small, err := goalkit.Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	const pad = 20000
	for i := range pad {
		def.Attributes[fmt.Sprintf("pad_%d", i)] = kpi.AttrString
	}
	large, err := goalkit.Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	hs := [2]http.Handler{}
	for i, plan := range []*goalkit.Plan{small, large} {
		hs[i] = dashboardOver(t, newFixtureOf(t, dashboardOptions(), plan), dashboardOptions())
	}
	serve := func(h http.Handler, path string) string {
		w := serveAs(h, path, "admin")
		if w.Code != http.StatusOK {
			t.Fatalf("%s: status %d", path, w.Code)
		}
		// The version of each fixture's channel of changes is its own.
		return pageVersion.ReplaceAllString(w.Body.String(), `data-version="VERSION"`)
	}
	allocated := func(h http.Handler, path string) uint64 {
		const n = 5
		serve(h, path) // what is read once is read here
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for range n {
			serve(h, path)
		}
		runtime.ReadMemStats(&after)
		return (after.TotalAlloc - before.TotalAlloc) / n
	}
	for _, path := range []string{
		"/ranking?lang=en", "/scorecards?lang=en", "/breakdowns?lang=en", "/stats?lang=en",
		"/explain?lang=en&indicator=revenue&participant=north&grain=month&from=2026-12-01&to=2027-01-01&by=1&by.source=web",
	} {
		if a, b := serve(hs[0], path), serve(hs[1], path); a != b {
			t.Errorf("%s: the page differs with the larger definition", path)
		}
		a, b := allocated(hs[0], path), allocated(hs[1], path)
		// A copy of the definition allocates the map of 20,000 attributes
		// again: a megabyte and more.
		if b > a+pad*8 {
			t.Errorf("%s: a request allocates %d bytes with %d more attributes in the definition, %d without", path, b, pad, a)
		}
	}
}
