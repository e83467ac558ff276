package sqlcoretest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/kpi"
)

// TestPushActors checks a Store over a host's table (empty, insert as for
// InsertMapped) holding a call whose actor no event may have: "*", the
// whole company's row of every result, or an actor with a control
// character. A scan is refused for it (kpi.Event.Validate, as the report
// reads it), and so is a push, naming the actor (of several, the least, on
// every database and for both alike): a report pushed down gave
// numbers for it (a participant whose id wrote a terminal escape into
// reports) or failed with "participant "*" is both an actor and a group".
func TestPushActors(t *testing.T, db *sql.DB, d sqlcore.Dialect, m sqlcore.Mapping, insert string, at func(time.Time) any) {
	ctx := context.Background()
	s, err := sqlcore.New(db, d, &m)
	if err != nil {
		t.Fatal(err)
	}
	plan := marchPlan(t, "calls", "call")
	when := time.Date(2025, 3, 20, 9, 0, 0, 0, time.UTC)
	bounds := marchBounds()
	for _, tc := range []struct {
		actors []string
		want   string
	}{
		{[]string{"*"}, `actor "*" is the whole company's row in reports, not an actor`},
		{[]string{"u\x1b[31m"}, `actor "u\x1b[31m" has a control character (U+001B)`},
		{[]string{"u\u0085"}, `actor "u\u0085" has a control character (U+0085)`},
		// Several: a push and a scan name the least, whatever order the
		// database groups or reads them in, and count the others.
		{[]string{"v\u0085", "u\u0085", "w\x1b", "u\u0085"},
			`actor "u\u0085" has a control character (U+0085) (and 2 more actors no event may have)`},
		{[]string{"w\x1b", "u\u0085", "v\u0085", "u\u0085"},
			`actor "u\u0085" has a control character (U+0085) (and 2 more actors no event may have)`},
	} {
		t.Run(tc.want, func(t *testing.T) {
			var rows []row
			for i, actor := range append([]string{"u1"}, tc.actors...) {
				rows = append(rows, row{fmt.Sprint("c", i), "call", at(when), actor, nil})
			}
			if err := refill(t, db, m.Table, insert, rows...); err != nil {
				t.Fatal(err)
			}
			// A filter that leaves the actors out: the scan refuses
			// them all the same.
			only := formula.Compare{Op: "==", L: formula.Ident{Name: "actor", Type: formula.TypeString}, R: formula.Const{Value: formula.String("u1")}}
			// So is an as-of instant before them: the scan reads the
			// month whatever the instant.
			for _, where := range []formula.Node{nil, only} {
				for _, asOf := range []time.Time{{}, when.Add(-time.Hour)} {
					_, _, err := s.Push(ctx, kpi.PushQuery{Kinds: []string{"call"}, Bounds: bounds, Where: where, AsOf: asOf})
					if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), m.Table) {
						t.Errorf("push where %v as of %v: got %v, want an error naming the table %s and saying %s", where, asOf, err, m.Table, tc.want)
					}
				}
			}
			for _, src := range []kpi.Source{s, scanOnly{s}} {
				for _, asOf := range []time.Time{bounds[1], when.Add(-time.Hour)} {
					_, err := plan.Evaluate(ctx, src, asOf)
					if err == nil || !strings.Contains(err.Error(), tc.want) {
						t.Errorf("a report over %T as of %v: got %v, want an error saying %s", src, asOf, err, tc.want)
					}
				}
			}
		})
	}
}
