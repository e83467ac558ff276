package serve

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goalkittest"
)

// Config.TickEvery under a second ran ticks back to back (1ms: a thousand
// evaluations a second, each writing to the store), where goalkit serve's
// -tick and deliver.Run refuse it. New refuses it, naming the field; 0 is
// a minute, and a second is taken.
func TestTickEveryUnderASecond(t *testing.T) {
	plan := goalkittest.ReadPlan(t, "testdata/plan.yaml")
	dir := goalkittest.ReadDirectory(t, "testdata/directory.json")
	tf, err := ReadTokenFile("testdata/tokens.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, c := range []struct {
		every time.Duration
		want  string // "" when taken
	}{
		{time.Millisecond, "serve: Config.TickEvery 1ms is shorter than 1s"},
		{999 * time.Millisecond, "serve: Config.TickEvery 999ms is shorter than 1s"},
		{-time.Minute, "serve: Config.TickEvery -1m0s is shorter than 1s"},
		{0, ""},
		{time.Second, ""},
	} {
		tr, err := plan.Track(ctx, memory.NewTrackStore(), goalkit.WithDirectory(dir))
		if err != nil {
			t.Fatal(err)
		}
		srv, err := New(ctx, plan, tr, Config{Auth: tf, Directory: dir, Now: func() time.Time { return testNow }, TickEvery: c.every})
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.every, err)
		case c.want != "" && (err == nil || !strings.HasPrefix(err.Error(), c.want)):
			t.Errorf("%s: error %v, want one starting %q", c.every, err, c.want)
		case c.every == 0 && srv.cfg.TickEvery != time.Minute:
			t.Errorf("0: ticks every %s, want a minute", srv.cfg.TickEvery)
		}
		tr.Close()
	}
}
