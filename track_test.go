package goalkit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
)

func reportJSON(t *testing.T, r *goalkit.Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestTrackerSeed follows the seed's March day by day: the events of each day
// are applied as they become known, the clock ticks at noon, and the
// tracker restarts from its store half-way. Every notification is emitted
// once; the reports equal batch evaluations, and AsKnownAt equals a batch
// evaluation of what was known then.
func TestTrackerSeed(t *testing.T) {
	ctx := context.Background()
	def, err := goalkit.ReadDefinition(filepath.Join("testdata", "goals", "seed.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// The leads goal closes itself a day after its end.
	for i := range def.Goals {
		if def.Goals[i].ID == "leads50" {
			def.Goals[i].Close = goal.CloseDef{Auto: true, AfterDays: 1, Corrections: goal.Restate}
			def.Goals[i].Notify = append(def.Goals[i].Notify, goal.NotifyRule{On: goal.NotifyPeriodClosed})
		}
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	loc := plan.Calendar().Location()
	var events []kpi.Event
	err = seedEvents(t, loc).Scan(ctx, kpi.Query{}, func(e *kpi.Event) error {
		events = append(events, e.Clone())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	store := memory.NewTrackStore()
	tr, err := plan.Track(ctx, store, goalkit.WithDirectory(seedDirectory{}))
	if err != nil {
		t.Fatal(err)
	}
	emitted := map[string]goal.Notification{}
	kinds := map[goal.NotifyKind]int{}
	var known []kpi.Event
	for d := date.New(2025, 2, 1); d <= date.New(2025, 4, 3); d++ {
		y, m, dd := d.Date()
		noon := time.Date(y, m, dd, 12, 0, 0, 0, loc)
		var batch []kpi.Event
		for _, e := range events {
			if !e.Time.After(noon) && e.Time.After(noon.Add(-24*time.Hour)) {
				e.Known = e.Time.Add(time.Minute)
				batch = append(batch, e)
			}
		}
		if d == date.New(2025, 3, 12) && len(batch) > 0 {
			// A correction and a retraction, late.
			fix := batch[0]
			fix.Actor = "vera"
			fix.Known = noon
			batch = append(batch, fix, kpi.Event{ID: batch[1].ID, Deleted: true, Known: noon})
		}
		if err := tr.Apply(ctx, batch...); err != nil {
			t.Fatal(err)
		}
		known = append(known, batch...)
		if d == date.New(2025, 3, 16) {
			if tr, err = plan.Track(ctx, store, goalkit.WithDirectory(seedDirectory{})); err != nil {
				t.Fatal(err)
			}
		}
		ns, err := tr.Tick(ctx, noon)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range ns {
			if _, dup := emitted[n.Key]; dup {
				t.Fatalf("%s: notification %s emitted twice", d, n.Key)
			}
			emitted[n.Key] = n
			kinds[n.Kind]++
		}
		// Ticking again at the same instant emits nothing new.
		if again, err := tr.Tick(ctx, noon); err != nil || len(again) != 0 {
			t.Fatalf("%s: second tick: %v, %v", d, again, err)
		}
	}
	for _, k := range []goal.NotifyKind{goal.NotifyMilestoneReached, goal.NotifyDeadlineApproaching, goal.NotifyPeriodClosed} {
		if kinds[k] == 0 {
			t.Errorf("no %s notification (got %v)", k, kinds)
		}
	}
	t.Logf("notifications: %v", kinds)
	// The current report equals a batch evaluation with the records the
	// tracker closed.
	asOf := time.Date(2025, 4, 3, 12, 0, 0, 0, loc)
	batch := memory.New(loc)
	if err := batch.Apply(known...); err != nil {
		t.Fatal(err)
	}
	got, err := tr.Report(ctx, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if got.Goals == nil {
		t.Fatal("no goals in the tracker's report")
	}
	for _, r := range got.Goals.Rows {
		if r.Goal == "leads50" && r.Period.Start == date.New(2025, 3, 1) && r.State != goal.StateClosed {
			t.Errorf("leads50 for %s in March: state %s, want closed", r.Participant, r.State)
		}
	}
	closedRecs, err := trackerRecords(tr)
	if err != nil || len(closedRecs) == 0 {
		t.Fatalf("closed records: %v, %v", closedRecs, err)
	}
	want, err := plan.Evaluate(ctx, batch, asOf, goalkit.WithDirectory(seedDirectory{}), goalkit.WithRecords(closedRecs...))
	if err != nil {
		t.Fatal(err)
	}
	if g, w := reportJSON(t, got), reportJSON(t, want); g != w {
		t.Fatalf("tracker report differs from batch:\n%s\nwant\n%s", g, w)
	}
	// A late lead for anna in March, after the close: the goal restates
	// (before and after), once.
	late := kpi.Event{ID: "late", Kind: "lead.created", Actor: "anna", Time: time.Date(2025, 3, 20, 10, 0, 0, 0, loc), Known: asOf}
	if err := tr.Apply(ctx, late); err != nil {
		t.Fatal(err)
	}
	var restated []goal.Notification
	for i := range 2 {
		ns, err := tr.Tick(ctx, asOf.Add(time.Duration(i+1)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range ns {
			if n.Kind == goal.NotifyRestated {
				restated = append(restated, n)
			}
		}
	}
	if len(restated) != 1 || restated[0].Participant != "anna" || !restated[0].Before.Valid ||
		restated[0].Actual.Decimal.Sub(restated[0].Before.Decimal).IntPart() != 1 {
		t.Fatalf("restatements: %+v", restated)
	}
	// As known on 12 March before noon: the correction and the retraction
	// were not known yet.
	at := time.Date(2025, 3, 12, 11, 0, 0, 0, loc)
	var then []kpi.Event
	for _, e := range known {
		if !e.Known.After(at) {
			then = append(then, e)
		}
	}
	past := memory.New(loc)
	if err := past.Apply(then...); err != nil {
		t.Fatal(err)
	}
	gotThen, err := tr.AsKnownAt(ctx, at)
	if err != nil {
		t.Fatal(err)
	}
	wantThen, err := plan.Evaluate(ctx, past, at, goalkit.WithDirectory(seedDirectory{}))
	if err != nil {
		t.Fatal(err)
	}
	if g, w := reportJSON(t, gotThen), reportJSON(t, wantThen); g != w {
		t.Fatalf("as known at %s:\n%s\nwant\n%s", at, g, w)
	}
}

func trackerRecords(tr *goalkit.Tracker) ([]goal.Record, error) {
	var out []goal.Record
	for k, data := range tr.Indicators().Closed() {
		if !strings.HasPrefix(k, "goal.record|") {
			continue
		}
		var r goal.Record
		if err := json.Unmarshal(data, &r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// TestTrackerConcurrentTicks applies, reports and ticks from several
// goroutines (run with -race): every notification is emitted once.
func TestTrackerConcurrentTicks(t *testing.T) {
	ctx := context.Background()
	def, err := goalkit.ReadDefinition(filepath.Join("testdata", "goals", "seed.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	loc := plan.Calendar().Location()
	var events []kpi.Event
	err = seedEvents(t, loc).Scan(ctx, kpi.Query{}, func(e *kpi.Event) error {
		events = append(events, e.Clone())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := plan.Track(ctx, memory.NewTrackStore(), goalkit.WithDirectory(seedDirectory{}))
	if err != nil {
		t.Fatal(err)
	}
	noon := time.Date(2025, 3, 15, 12, 0, 0, 0, loc)
	var mu sync.Mutex
	keys := map[string]int{}
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		defer wg.Done()
		for _, e := range events {
			if err := tr.Apply(ctx, e); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for range 2 {
		go func() {
			defer wg.Done()
			for i := range 10 {
				ns, err := tr.Tick(ctx, noon.Add(time.Duration(i)*time.Hour))
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := tr.Report(ctx, noon); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, n := range ns {
					keys[n.Key]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for k, n := range keys {
		if n != 1 {
			t.Errorf("notification %s emitted %d times", k, n)
		}
	}
}

// TestTrackerAsKnownAtCancelled: AsKnownAt with a cancelled context fails
// and releases the tracker, so that a later Apply completes.
func TestTrackerAsKnownAtCancelled(t *testing.T) {
	def, err := goalkit.ReadDefinition(filepath.Join("testdata", "goals", "seed.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	loc := plan.Calendar().Location()
	tr, err := plan.Track(context.Background(), nil, goalkit.WithDirectory(seedDirectory{}))
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	at := time.Date(2025, 3, 12, 11, 0, 0, 0, loc)
	if _, err := tr.AsKnownAt(cancelled, at); !errors.Is(err, context.Canceled) {
		t.Fatalf("AsKnownAt with a cancelled context: %v, want context.Canceled", err)
	}
	done := make(chan error, 1)
	go func() {
		done <- tr.Apply(context.Background(), kpi.Event{ID: "x", Kind: "lead.created", Actor: "anna", Time: at})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Apply blocked after AsKnownAt failed")
	}
}

// TestTrackChecksUpFront: a plan whose goals Evaluate would refuse at any
// instant is refused by Track, not by every later Tick.
func TestTrackChecksUpFront(t *testing.T) {
	ctx := context.Background()
	def, err := goalkit.ReadDefinition(filepath.Join("testdata", "goals", "seed.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	_, err = plan.Track(ctx, memory.NewTrackStore())
	if !errors.Is(err, goal.ErrNoDirectory) || err.Error() != "goals[1].participants.teams: goals name teams but the evaluation has no directory" {
		t.Fatalf("without a directory: %v", err)
	}
	asOf := time.Date(2025, 3, 14, 12, 0, 0, 0, plan.Calendar().Location())
	if _, eerr := plan.Evaluate(ctx, seedEvents(t, plan.Calendar().Location()), asOf); eerr == nil || eerr.Error() != err.Error() {
		t.Fatalf("Evaluate says %v, Track %v", eerr, err)
	}
	_, err = plan.Track(ctx, nil, goalkit.WithDirectory(noSales{}))
	if err == nil || err.Error() != `goals[1].participants.teams: team "sales" is not in the directory` {
		t.Fatalf("a team the directory does not have: %v", err)
	}
	if _, err := plan.Track(ctx, nil, goalkit.WithDirectory(seedDirectory{})); err != nil {
		t.Fatal(err)
	}
}

// noSales is the seed's directory without the sales unit.
type noSales struct{ seedDirectory }

func (noSales) Units(context.Context) ([]kpi.OrgUnit, error) {
	return []kpi.OrgUnit{{ID: "company"}, {ID: "support", Parent: "company"}}, nil
}
