package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
)

// testNow is the clock of the tests: the 20th of the plan's first month.
var testNow = time.Date(2025, 3, 20, 12, 0, 0, 0, time.UTC)

// The tokens of testdata/tokens.yaml.
const (
	adminToken  = "admin-token-0123456789"
	writerToken = "writer-token-0123456789" // n1, head of north
	n2Token     = "reader-n2-token-0123456"
	s1Token     = "reader-s1-token-0123456" // head of south
	kioskToken  = "kiosk-south-0123456789"  // teams: [south]
	n3Token     = "reader-n3-token-0123456" // by its digest
)

// fixture is a server of testdata/plan.yaml on a tracker in memory.
type fixture struct {
	t     testing.TB
	plan  *goalkit.Plan
	store *memory.TrackStore // the tracker's
	ts    kpi.TrackStore     // the tracker's store: store or a wrapper of it
	tr    *goalkit.Tracker
	srv   *Server
	h     http.Handler
	logs  *bytes.Buffer
}

func newFixture(t testing.TB, edit func(*Config)) *fixture {
	t.Helper()
	dir := goalkittest.ReadDirectory(t, "testdata/directory.json")
	return planFixture(t, goalkittest.ReadPlan(t, "testdata/plan.yaml"), dir, edit)
}

// planFixture is a server of plan (with the directory dir, when not nil)
// on a tracker in memory, the tokens of testdata/tokens.yaml and the
// clock testNow, with the config as edit leaves it.
func planFixture(t testing.TB, plan *goalkit.Plan, dir org.Directory, edit func(*Config)) *fixture {
	t.Helper()
	store := memory.NewTrackStore()
	return trackFixture(t, plan, dir, store, store, edit)
}

// trackFixture is planFixture with the tracker on ts, a TrackStore over
// the memory store store (ts itself, or a wrapper of it).
func trackFixture(t testing.TB, plan *goalkit.Plan, dir org.Directory, ts kpi.TrackStore, store *memory.TrackStore, edit func(*Config)) *fixture {
	t.Helper()
	ctx := context.Background()
	var opts []goalkit.EvalOption
	if dir != nil {
		opts = append(opts, goalkit.WithDirectory(dir))
	}
	tr, err := plan.Track(ctx, ts, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	tf, err := ReadTokenFile("testdata/tokens.yaml")
	if err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	cfg := Config{Auth: tf, Directory: dir, Options: opts, Now: func() time.Time { return testNow },
		Logger: slog.New(slog.NewTextHandler(logs, nil))}
	if edit != nil {
		edit(&cfg)
	}
	srv, err := New(ctx, plan, tr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, plan: plan, store: store, ts: ts, tr: tr, srv: srv, h: srv, logs: logs}
}

// do sends a request with the token (none: "") and returns the answer.
func (f *fixture) do(method, target, token, contentType string, body []byte) *httptest.ResponseRecorder {
	f.t.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	return w
}

// post posts events as NDJSON with the writer's token and fails the test
// unless they are applied.
func (f *fixture) post(events ...kpi.Event) {
	f.t.Helper()
	w := f.do("POST", "/api/v1/events", writerToken, "application/x-ndjson", ndjson(f.t, events))
	if w.Code != 200 {
		f.t.Fatalf("POST events: %d %s", w.Code, w.Body)
	}
}

// getJSON gets target with the token and decodes a 200 answer.
func (f *fixture) getJSON(target, token string, v any) {
	f.t.Helper()
	w := f.do("GET", target, token, "", nil)
	if w.Code != 200 {
		f.t.Fatalf("GET %s: %d %s", target, w.Code, w.Body)
	}
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		f.t.Fatalf("GET %s: %v", target, err)
	}
}

// ndjson writes events as NDJSON lines (their attributes as JSON
// writes them).
func ndjson(t testing.TB, events []kpi.Event) []byte {
	var b bytes.Buffer
	for _, e := range events {
		m := map[string]any{"id": e.ID}
		if e.Deleted {
			m["deleted"] = true
		} else {
			m["kind"], m["time"], m["actor"] = e.Kind, e.Time.Format(time.RFC3339Nano), e.Actor
			if e.Amount.Valid {
				m["amount"] = e.Amount.Decimal.String()
			}
			if len(e.Attrs) > 0 {
				m["attrs"] = e.Attrs
			}
		}
		js, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(js)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// deal is a deal.won event.
func deal(id, actor, amount string, at time.Time) kpi.Event {
	e := kpi.Event{ID: id, Kind: "deal.won", Time: at, Actor: actor}
	if amount != "" {
		e.Amount.Decimal = mustDecimal(amount)
		e.Amount.Valid = true
	}
	return e
}

func call(id, actor string, at time.Time) kpi.Event {
	return kpi.Event{ID: id, Kind: "call", Time: at, Actor: actor}
}

// valueOf finds a value row of a report's JSON.
func valueOf(t *testing.T, rep map[string]any, indicator, participant, start string) (string, bool) {
	t.Helper()
	rows, _ := rep["values"].([]any)
	for _, r := range rows {
		m := r.(map[string]any)
		if m["indicator"] == indicator && m["participant"] == participant && m["period_start"] == start {
			s, _ := m["value"].(string)
			return s, true
		}
	}
	return "", false
}

func contains(body []byte, s string) bool { return strings.Contains(string(body), s) }

func cellOf(f *fixture, indicator, participant string) goalkit.Cell {
	return goalkit.Cell{Indicator: indicator, Participant: participant, Period: f.plan.Periods()[0]}
}

// restart closes the fixture's tracker and starts a tracker and a server
// of the same plan and config again on its store, as a restarted process
// does.
func (f *fixture) restart() {
	f.t.Helper()
	ctx := context.Background()
	if err := f.tr.Close(); err != nil {
		f.t.Fatal(err)
	}
	tr, err := f.plan.Track(ctx, f.ts, f.srv.cfg.Options...)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { tr.Close() })
	cfg := f.srv.cfg
	cfg.Logger = slog.New(slog.NewTextHandler(f.logs, nil))
	srv, err := New(ctx, f.plan, tr, cfg)
	if err != nil {
		f.t.Fatal(err)
	}
	f.tr, f.srv, f.h = tr, srv, srv
}

// collidePlan counts the deals won each month of March 2025, for the
// tests of a directory whose unit ids are also user ids.
const collidePlan = `
timezone: UTC
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
`

// collideScored is collidePlan with a scorecard of the deals and a
// leaderboard of people ranked by it.
const collideScored = collidePlan + `scorecards:
  - id: sales
    grain: month
    kpis:
      - {indicator: won, target: 1, weight: 100, cap: 500}
leaderboards:
  - {id: people, scorecard: sales}
`

// collideFixture is a server of the plan in planYAML over the directory
// of units and members, one whose unit ids are also user ids (Bitrix24
// numbers both from 1: department 1 and user 1). Its clock stands at 25
// March 2025, and each request is made as the identity the returned
// pointer holds, which the tests set before it. A writer has posted one
// deal won on 3 March for each of actors, e1, e2… in order.
func collideFixture(t *testing.T, planYAML string, units []org.Unit, members []org.Membership, actors ...string) (*fixture, *Identity) {
	t.Helper()
	dir, err := memory.NewDirectory(units, members)
	if err != nil {
		t.Fatal(err)
	}
	id := &Identity{Role: Writer}
	f := planFixture(t, goalkittest.CompilePlan(t, planYAML), dir, func(c *Config) {
		c.Auth = AuthenticatorFunc(func(*http.Request) (Identity, error) { return *id, nil })
		c.Now = func() time.Time { return time.Date(2025, 3, 25, 9, 0, 0, 0, time.UTC) }
	})
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	deals := make([]kpi.Event, len(actors))
	for i, a := range actors {
		deals[i] = deal(fmt.Sprintf("e%d", i+1), a, "", at)
	}
	f.post(deals...)
	return f, id
}
