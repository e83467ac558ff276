package serve

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goalkittest"
)

// The instant 0001-01-01T00:00:00Z is Go's zero time, which the engine and
// the server read as "no instant": as as_of it failed the report (500, an
// error in the log, as if the server were broken), and as as_known_at it
// was taken as absent, answering the current report instead of the one as
// known then. It is a bad parameter, 400, naming it.
func TestZeroInstantParameter(t *testing.T) {
	f := newFixture(t, nil)
	const zero = "0001-01-01T00:00:00Z"
	for _, c := range []struct{ target, want string }{
		{"/api/v1/report?as_of=" + zero, `parameter as_of: want an RFC 3339 instant after ` + zero + `, got "` + zero + `"`},
		{"/api/v1/report?as_known_at=" + zero, `parameter as_known_at: want an RFC 3339 instant after ` + zero + `, got "` + zero + `"`},
		{"/api/v1/goals/revenue_user/progress/n1?as_of=" + zero, `parameter as_of: want an RFC 3339 instant after ` + zero + `, got "` + zero + `"`},
		{"/api/v1/notifications?since=" + zero, `parameter since: want an RFC 3339 instant after ` + zero + `, got "` + zero + `"`},
	} {
		w := f.do("GET", c.target, adminToken, "", nil)
		var eb errorBody
		if err := json.Unmarshal(w.Body.Bytes(), &eb); err != nil || w.Code != 400 || eb.Error != c.want {
			t.Errorf("%s: %d %s, want 400 %q", c.target, w.Code, w.Body, c.want)
		}
	}
}

// An instant whose year, in UTC or at its own offset, is outside 0000 to
// 9999 is one the engine refuses (RFC 3339 cannot write it): as as_of or
// as_known_at it was answered 500 and logged as the server's failure. It
// is a bad parameter, 400, naming it; the years' first and last instants
// are taken.
func TestInstantParameterOutsideTheYears(t *testing.T) {
	f := newFixture(t, nil)
	const want = "an RFC 3339 instant in the years 0000 to 9999, in UTC as at its offset"
	for _, c := range []struct{ name, target, got string }{
		{"as_of", "/api/v1/report?as_of=", "0000-01-01T00:00:00+05:00"},             // -0001-12-31 in UTC
		{"as_known_at", "/api/v1/report?as_known_at=", "9999-12-31T22:00:00-05:00"}, // 10000-01-01 in UTC
		{"as_of", "/api/v1/goals/revenue_user/progress/n1?as_of=", "9999-12-31T22:00:00-05:00"},
		{"as_of", "/api/v1/explain?period=2025-03&indicator=revenue&participant=n1&as_of=", "0000-01-01T04:59:59+05:00"},
		{"since", "/api/v1/notifications?since=", "0000-01-01T00:00:00+00:01"},
	} {
		w := f.do("GET", c.target+strings.ReplaceAll(c.got, "+", "%2B"), adminToken, "", nil)
		var eb errorBody
		msg := `parameter ` + c.name + `: want ` + want + `, got "` + c.got + `"`
		if err := json.Unmarshal(w.Body.Bytes(), &eb); err != nil || w.Code != 400 || eb.Error != msg {
			t.Errorf("%s%s: %d %s, want 400 %q", c.target, c.got, w.Code, w.Body, msg)
		}
	}
	for _, v := range []string{"0000-01-01T00:00:00Z", "0000-01-01T05:00:00%2B05:00", "9999-12-31T23:59:59.999999999Z"} {
		if w := f.do("GET", "/api/v1/report?as_of="+v, adminToken, "", nil); w.Code != 200 {
			t.Errorf("as_of=%s: %d %s, want 200", v, w.Code, w.Body)
		}
	}
	if f.logs.Len() > 0 && strings.Contains(f.logs.String(), "level=ERROR") {
		t.Errorf("logged as a failure:\n%s", f.logs)
	}
}

// A clock (Config.Now) that returns the zero time is refused by New,
// naming it, with or without the dashboard: without, the server started
// and every read was a 500; with, the error named the dashboard's
// Options.Now, which the host never set.
func TestZeroClockRefused(t *testing.T) {
	plan := goalkittest.ReadPlan(t, "testdata/plan.yaml")
	dir := goalkittest.ReadDirectory(t, "testdata/directory.json")
	tr, err := plan.Track(context.Background(), memory.NewTrackStore(), goalkit.WithDirectory(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	tf, err := ReadTokenFile("testdata/tokens.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, noDashboard := range []bool{false, true} {
		cfg := Config{Auth: tf, Directory: dir, Options: []goalkit.EvalOption{goalkit.WithDirectory(dir)},
			NoDashboard: noDashboard, Now: func() time.Time { return time.Time{} }}
		if _, err := New(context.Background(), plan, tr, cfg); err == nil || !strings.Contains(err.Error(), "Config.Now returned the zero time") {
			t.Errorf("without the dashboard %v: %v, want the zero clock refused naming Config.Now", noDashboard, err)
		}
	}
}
