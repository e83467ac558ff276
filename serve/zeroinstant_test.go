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
