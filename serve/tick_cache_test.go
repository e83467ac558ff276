package serve

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
)

// movingDirectory is a directory whose memberships the test changes.
type movingDirectory struct {
	mu    sync.Mutex
	units []org.Unit
	ms    []org.Membership
}

func (d *movingDirectory) Units(context.Context) ([]org.Unit, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]org.Unit(nil), d.units...), nil
}

func (d *movingDirectory) Memberships(context.Context) ([]org.Membership, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]org.Membership(nil), d.ms...), nil
}

func (d *movingDirectory) move(user, unit string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := range d.ms {
		if d.ms[i].User == user {
			d.ms[i].Unit = unit
		}
	}
}

// The tick reads the directory again; a report a scope saw before it is
// seen through the directory as it is now. A head whose member moved to
// another unit no longer sees that member's rows once the tick read the
// move, whether the server owns its tracker or fronts state kept
// elsewhere (Config.Ingest): the reports and scoped views cached before the
// tick are stale, as they are after a change of the events.
func TestTickWithMovedMemberDropsCachedViews(t *testing.T) {
	for _, ingest := range []bool{false, true} {
		t.Run(map[bool]string{false: "own tracker", true: "ingest"}[ingest], func(t *testing.T) {
			ctx := context.Background()
			dir := &movingDirectory{
				units: []org.Unit{{ID: "north", Head: "n1"}, {ID: "south", Head: "s1"}},
				ms: []org.Membership{{User: "n1", Unit: "north"}, {User: "n2", Unit: "north"},
					{User: "s1", Unit: "south"}, {User: "s2", Unit: "south"}},
			}
			plan := goalkittest.ReadPlan(t, "testdata/plan.yaml")
			f := planFixture(t, plan, dir, func(c *Config) {
				if ingest {
					c.Ingest = func(context.Context, []kpi.Event) error { return nil }
				}
			})
			at := time.Date(2025, 3, 10, 10, 0, 0, 0, time.UTC)
			if err := f.tr.Apply(ctx, deal("d1", "s2", "100", at), deal("d2", "s1", "50", at)); err != nil {
				t.Fatal(err)
			}
			f.srv.Updated()
			const target = "/api/v1/report?as_of=2025-03-20T12:00:00Z"
			sees := func() bool {
				w := f.do("GET", target, s1Token, "", nil)
				if w.Code != 200 {
					t.Fatalf("report: %d %s", w.Code, w.Body)
				}
				return contains(w.Body.Bytes(), `"s2"`)
			}
			if !sees() {
				t.Fatal("the head of south does not see s2, a member of south")
			}
			dir.move("s2", "north")
			f.srv.tick(ctx)
			if sees() {
				t.Error("after the tick that read s2's move to north, the head of south still sees s2's rows (a view cached before the tick)")
			}
		})
	}
}
