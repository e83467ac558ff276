package serve

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/goalkit/goalkit/goalkittest"
)

// A section of a plan that has none of it (no goals, no scorecards, no
// cascade) was answered with its keys null ({"cascade": null}), which the
// document's schema of each (an array, an object with trees and issues)
// is not: a client that reads the answer by the document failed on it.
// The keys are left out, as the report leaves them out, and every answer
// is valid against the document.
func TestSectionsOfAPlanWithoutThem(t *testing.T) {
	_, router := apiDoc(t)
	f := planFixture(t, goalkittest.CompilePlan(t, `
timezone: Europe/Moscow
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
report: {grain: month, from: 2025-03-01, to: 2025-05-01}
`), nil, nil)
	f.post(deal("d1", "n1", "5", testNow.AddDate(0, 0, -1)))
	for _, c := range []struct {
		path string
		keys []string
	}{
		{"/api/v1/goals", []string{"as_of", "timezone"}},
		{"/api/v1/scorecards", []string{"as_of", "timezone"}},
		{"/api/v1/bonuses", []string{"as_of", "timezone"}},
		{"/api/v1/leaderboards", []string{"as_of", "timezone"}},
		{"/api/v1/cascades", []string{"as_of", "timezone"}},
		{"/api/v1/cascades?period=2025-03", []string{"as_of", "timezone"}},
		{"/api/v1/values", []string{"as_of", "timezone", "values"}},
	} {
		w := f.do("GET", c.path, adminToken, "", nil)
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil || w.Code != 200 {
			t.Errorf("%s: %d %s", c.path, w.Code, w.Body)
			continue
		}
		if keys := slices.Sorted(maps.Keys(doc)); !slices.Equal(keys, c.keys) {
			t.Errorf("%s: keys %v, want %v (%s)", c.path, keys, c.keys, w.Body)
		}
		req := apiRequest("GET", c.path, adminToken, "")
		route, pathParams, err := router.FindRoute(req)
		if err != nil {
			t.Fatal(err)
		}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
		if err := validateAnswer(in, w); err != nil {
			t.Errorf("%s: the answer is not the document's: %v", c.path, err)
		}
	}
}
