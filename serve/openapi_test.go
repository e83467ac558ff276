package serve

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/serve/internal/openapigen"
)

// apiDoc loads and validates the embedded OpenAPI document.
func apiDoc(t *testing.T) (*openapi3.T, routers.Router) {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPIMajorMinor() != "3.1" {
		t.Fatalf("openapi %s, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatal(err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return doc, router
}

// validator checks every request and answer against the document and
// remembers the operations it saw.
type validator struct {
	t      *testing.T
	router routers.Router
	seen   map[string]bool
}

func (v *validator) check(req *http.Request, body []byte, w *httptest.ResponseRecorder) {
	v.t.Helper()
	ctx := context.Background()
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		v.t.Errorf("%s %s: no operation: %v", req.Method, req.URL, err)
		return
	}
	v.seen[route.Operation.OperationID] = true
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
	if body != nil {
		req.Body = http.NoBody
		in.Request = req.Clone(ctx)
		in.Request.Body = httpBody(body)
	}
	if w.Code < 400 {
		// Requests the server refuses may be outside the document on
		// purpose (a bad line, a wrong type).
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			v.t.Errorf("%s %s: request: %v", req.Method, req.URL, err)
		}
	}
	if err := validateAnswer(in, w); err != nil {
		v.t.Errorf("%s %s: %d answer: %v\n%.600s", req.Method, req.URL, w.Code, err, w.Body)
	}
}

// validateAnswer checks the answer w to the request of in against the
// document.
func validateAnswer(in *openapi3filter.RequestValidationInput, w *httptest.ResponseRecorder) error {
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: w.Code, Header: w.Header(),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	out.SetBodyBytes(w.Body.Bytes())
	return openapi3filter.ValidateResponse(context.Background(), out)
}

// apiRequest is the request f.do sends, without its body, for the
// validator.
func apiRequest(method, target, token, ctype string) *http.Request {
	req := httptest.NewRequest(method, "http://localhost"+target, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	return req
}

func httpBody(b []byte) *readCloser { return &readCloser{bytes.NewReader(b)} }

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

// Every operation of the document, with its answers, valid and refused,
// is validated against the document; every operation is exercised.
func TestOpenAPI(t *testing.T) {
	for _, ct := range []string{"application/x-ndjson", "text/event-stream", "application/yaml", "text/csv"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.PlainBodyDecoder)
	}
	doc, router := apiDoc(t)
	f := newFixture(t, func(c *Config) { c.ParticipantMetrics = true })
	v := &validator{t: t, router: router, seen: map[string]bool{}}
	do := func(method, target, token, ctype string, body []byte) *httptest.ResponseRecorder {
		t.Helper()
		w := f.do(method, target, token, ctype, body)
		req := apiRequest(method, target, token, ctype)
		v.check(req, body, w)
		return w
	}
	events := []kpi.Event{deal("d1", "n1", "60000", day(3, 10)), deal("d2", "s2", "120000", day(4, 10)),
		call("c1", "n2", day(4, 12)), deal("d3", "n3", "10", day(10, 10))}
	do("POST", "/api/v1/events", writerToken, "application/x-ndjson", ndjson(t, events))
	do("POST", "/api/v1/events", writerToken, "application/json", []byte(`[{"id":"d9","kind":"deal.won","time":"2025-03-05T10:00:00Z","actor":"s3","amount":5}]`))
	do("POST", "/api/v1/events", writerToken, "application/json", []byte(`[{"id":"d9","kind":"deal.won","time":"2025-02-30T10:00:00Z"}]`))
	do("POST", "/api/v1/events", n2Token, "application/x-ndjson", ndjson(t, events))
	do("POST", "/api/v1/events", "", "application/x-ndjson", ndjson(t, events))
	do("POST", "/api/v1/events", writerToken, "application/xml", []byte("<x/>"))
	f.srv.tick(context.Background())
	tokens := []string{adminToken, writerToken, n2Token, s1Token, kioskToken, n3Token}
	reads := []string{
		"/api/v1/report", "/api/v1/report?as_of=2025-03-10T00:00:00Z", "/api/v1/report?period=2025-03",
		"/api/v1/report?as_known_at=2025-03-20T12:00:00Z", "/api/v1/report?as_of=yesterday",
		"/api/v1/values", "/api/v1/goals?period=2025-04", "/api/v1/scorecards", "/api/v1/bonuses",
		"/api/v1/leaderboards", "/api/v1/cascades",
		"/api/v1/goals/revenue_user/progress/n1", "/api/v1/goals/revenue_user/progress/s2?period=2025-03",
		"/api/v1/goals/won_team/progress/north", "/api/v1/goals/company_revenue/progress/*",
		"/api/v1/goals/nope/progress/n1",
		"/api/v1/explain?indicator=revenue&participant=n1&period=2025-03",
		"/api/v1/explain?indicator=revenue&participant=north&period=2025-03",
		"/api/v1/explain?indicator=revenue&participant=nobody&period=2025-03",
		"/api/v1/explain?indicator=revenue&period=2025-03",
		"/api/v1/notifications", "/api/v1/notifications?since=2025-03-01T00:00:00Z",
	}
	for _, tok := range append(tokens, "") {
		for _, r := range reads {
			do("GET", r, tok, "", nil)
		}
	}
	do("POST", "/api/v1/goals/revenue_user/close?period=2025-03", writerToken, "", nil)
	do("POST", "/api/v1/goals/revenue_user/close?period=2025-03", adminToken, "", nil)
	do("POST", "/api/v1/goals/revenue_user/close?period=March", adminToken, "", nil)
	do("POST", "/api/v1/goals/nope/close?period=2025-03", adminToken, "", nil)
	do("POST", "/api/v1/goals/revenue_user/close?period=2025-03", n2Token, "", nil)
	for _, p := range []string{"/healthz", "/readyz", "/openapi.yaml"} {
		do("GET", p, "", "", nil)
	}
	do("GET", "/metrics", adminToken, "", nil)
	do("GET", "/metrics", n2Token, "", nil)
	do("GET", "/metrics", "", "", nil)
	// The stream: its first event, then the request ends.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req := httptest.NewRequest("GET", "http://localhost/api/v1/stream", nil).WithContext(ctx)
	req.Header.Set("Authorization", "Bearer "+n2Token)
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	v.check(req, nil, w)
	f.srv.Shutdown()
	do("GET", "/readyz", "", "", nil)

	var missing []string
	for _, path := range doc.Paths.Map() {
		for _, op := range path.Operations() {
			if !v.seen[op.OperationID] {
				missing = append(missing, op.OperationID)
			}
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Errorf("operations never exercised: %v", missing)
	}
}

// The committed document carries the report schema of docs/report.schema.json
// as it is now (go generate writes it).
func TestOpenAPIReportSchemaCurrent(t *testing.T) {
	schema, err := os.ReadFile("../docs/report.schema.json")
	if os.IsNotExist(err) {
		t.Skip("outside the repository")
	}
	if err != nil {
		t.Fatal(err)
	}
	want, err := openapigen.Splice(OpenAPI, schema)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, OpenAPI) {
		t.Fatal("openapi.yaml is stale: run go generate in serve")
	}
}
