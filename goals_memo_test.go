package goalkit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"pgregory.net/rapid"
)

// A host that evaluates the goals itself with a goal.Memo (not through a
// tracker) may ask for them as known at an instant, which a tracker's
// reports never do: its evaluations, with batches of versions noted
// between them (some known only later), at instants a poll apart or
// anywhere, as known at one instant or now and then another, narrowed to a
// participant or not, are each an evaluation without the Memo over the
// same events.
func TestGoalsMemoKnownAtAsWithout(t *testing.T) {
	ctx := context.Background()
	rapid.Check(t, func(t *rapid.T) {
		plan, stream, _, instants := goalScenario(t)
		gs := plan.Goals()
		cal := plan.Calendar()
		periods := plan.Periods()
		var o *org.Org
		def := plan.Definition()
		if namesTeams(&def) || rapid.Bool().Draw(t, "directory") {
			dir := goalkittest.Directories(viewActors, periods[0].Start, periods[len(periods)-1].End).Draw(t, "directory")
			addTeams(dir, &def)
			var err error
			if o, err = org.Load(ctx, dir); err != nil {
				t.Fatal(err)
			}
		}
		store := memory.New(cal.Location())
		memo := new(goal.Memo)
		live := map[string]kpi.Event{}
		knownAt := instants.Draw(t, "knownAt")
		at := instants.Draw(t, "start")
		var since time.Time
		if rapid.Bool().Draw(t, "since") {
			since = instants.Draw(t, "sinceAt")
		}
		applyTo := func(batch []kpi.Event) {
			if err := store.Apply(batch...); err != nil {
				t.Fatalf("apply: %v", err)
			}
			replaced := make([]kpi.Event, len(batch))
			for i, e := range batch {
				replaced[i] = live[e.ID]
				if e.Deleted {
					delete(live, e.ID)
				} else {
					live[e.ID] = e
				}
			}
			memo.Note(batch, replaced)
		}
		for len(stream) > 0 {
			n := rapid.IntRange(0, len(stream)).Draw(t, "batch")
			applyTo(stream[:n])
			stream = stream[n:]
			for range rapid.IntRange(1, 3).Draw(t, "evaluations") {
				at = moveOn(t, cal, periods, at, instants)
				if rapid.IntRange(0, 4).Draw(t, "otherKnownAt") == 0 {
					knownAt = instants.Draw(t, "knownAt")
				}
				req := goal.Request{AsOf: at, KnownAt: knownAt, From: periods[0].Start, To: periods[len(periods)-1].End, Org: o, Since: since}
				if rapid.IntRange(0, 3).Draw(t, "narrowed") == 0 {
					req.Only = rapid.SampledFrom(viewActors).Draw(t, "participant")
				}
				what := fmt.Sprintf("at %s known at %s only %q", at.Format(time.RFC3339Nano), knownAt.Format(time.RFC3339Nano), req.Only)
				err := kpi.Snapshot(ctx, store, cal.Location(), kpi.Query{Kinds: gs.Kinds()}, func(tab *kpi.Table) error {
					with := req
					with.Memo = memo
					got, err := gs.Evaluate(ctx, tab, with)
					if err != nil {
						return err
					}
					want, err := gs.Evaluate(ctx, tab, req)
					if err != nil {
						return err
					}
					if g, w := goalsText(t, got), goalsText(t, want); !bytes.Equal(g, w) {
						t.Fatalf("%s: with the Memo\n%s\nwithout\n%s", what, g, w)
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

// goalsText is the rows of a goal result as JSON with the date and rank of
// each, then its notifications and corrections.
func goalsText(t *rapid.T, res *goal.Result) []byte {
	var b bytes.Buffer
	for _, r := range res.Rows {
		data, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s rank %d %s\n", r.Date, r.Rank, data)
	}
	for _, x := range []any{res.Notifications, res.Corrections} {
		data, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
		b.WriteByte('\n')
	}
	return b.Bytes()
}
