package serve

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
)

// A tick that reads a changed directory (a person moved to another team)
// is a change: open pages reload, as they do for a batch, since what each
// viewer may see and the teams' rows moved with it. The tick cleared the
// cached reports but woke no stream, so open dashboards kept the old teams
// until the next event. A tick that reads the same directory is none.
func TestTickOfAChangedDirectoryWakesTheStreams(t *testing.T) {
	dir, err := memory.NewDirectory(
		[]org.Unit{{ID: "north", Name: "North"}, {ID: "south", Name: "South"}},
		[]org.Membership{{User: "n1", Unit: "north"}, {User: "s1", Unit: "south"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, ingest := range []bool{false, true} {
		f := newFixture(t, func(c *Config) {
			c.Directory = dir
			if ingest {
				c.Ingest = func(context.Context, []kpi.Event) error { return nil }
			}
		})
		ctx := context.Background()
		f.srv.tick(ctx)
		seq := f.srv.changes.current()
		f.srv.tick(ctx)
		if got := f.srv.changes.current(); got != seq {
			t.Errorf("ingest %v: a tick of the same directory moved the changes from %d to %d", ingest, seq, got)
		}
		if err := dir.AddMembership(org.Membership{User: "n2", Unit: "north"}); err != nil {
			t.Fatal(err)
		}
		f.srv.tick(ctx)
		if got := f.srv.changes.current(); got != seq+1 {
			t.Errorf("ingest %v: a tick of a changed directory left the changes at %d, want %d", ingest, got, seq+1)
		}
	}
}
