package goalkit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestTrackerSeed follows the seed's March day by day: the events of each day
// are applied as they become known, the clock ticks at noon, and the
// tracker restarts from its store half-way. Every notification is emitted
// once; the reports equal batch evaluations, and AsKnownAt equals a batch
// evaluation of what was known then.
func TestTrackerSeed(t *testing.T) {
	ctx := context.Background()
	def := seedDef(t)
	// The leads goal closes itself a day after its end.
	notifyLeadsClosed(def)
	for i := range def.Goals {
		if def.Goals[i].ID == "leads50" {
			def.Goals[i].Close = goal.CloseDef{Auto: true, AfterDays: 1, Corrections: goal.Restate}
		}
	}
	plan := compile(t, def)
	loc := plan.Calendar().Location()
	store := memory.NewTrackStore()
	tr, events := seedTracker(t, plan, store)
	emitted := map[string]goal.Notification{}
	kinds := map[goal.NotifyKind]int{}
	var known []kpi.Event
	for d := date.New(2025, 2, 1); d <= date.New(2025, 4, 3); d++ {
		y, m, dd := d.Date()
		noon := time.Date(y, m, dd, 12, 0, 0, 0, loc)
		batch := dayBatch(events, noon, func(e kpi.Event) time.Time { return e.Time.Add(time.Minute) })
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
			tr = restartTracker(t, plan, tr, store, goalkit.WithDirectory(seedDirectory{}))
		}
		for _, n := range mustTick(t, tr, noon) {
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
	got := mustReport(t, tr, asOf)
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
	want := mustEvaluate(t, plan, storeOf(t, loc, known...), asOf, goalkit.WithDirectory(seedDirectory{}), goalkit.WithRecords(closedRecs...))
	sameReport(t, "tracker report differs from batch", got, want)
	// A late lead for anna in March, after the close: the goal restates
	// (before and after), once.
	late := kpi.Event{ID: "late", Kind: "lead.created", Actor: "anna", Time: time.Date(2025, 3, 20, 10, 0, 0, 0, loc), Known: asOf}
	if err := tr.Apply(ctx, late); err != nil {
		t.Fatal(err)
	}
	var restated []goal.Notification
	for i := range 2 {
		for _, n := range mustTick(t, tr, asOf.Add(time.Duration(i+1)*time.Hour)) {
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
	gotThen, err := tr.AsKnownAt(ctx, at)
	if err != nil {
		t.Fatal(err)
	}
	wantThen := mustEvaluate(t, plan, storeOf(t, loc, then...), at, goalkit.WithDirectory(seedDirectory{}))
	sameReport(t, fmt.Sprintf("as known at %s", at), gotThen, wantThen)
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
	plan := seedPlan(t)
	loc := plan.Calendar().Location()
	tr, events := seedTracker(t, plan, memory.NewTrackStore())
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
	// The reports, made beside each other and beside the applies, left the
	// next one what it may keep and nothing else.
	got := mustReport(t, tr, noon)
	restore := goalkit.SetReuseValues(false)
	want, err := tr.Report(ctx, noon)
	restore()
	if err != nil {
		t.Fatal(err)
	}
	if a, b := reportJSON(t, got), reportJSON(t, want); !bytes.Equal(a, b) {
		t.Fatalf("the report after concurrent reports differs from one computed afresh:\n%s\nwant:\n%s", a, b)
	}
}

// TestTrackerAsKnownAtCancelled: AsKnownAt with a cancelled context fails
// and releases the tracker, so that a later Apply completes.
func TestTrackerAsKnownAtCancelled(t *testing.T) {
	plan := seedPlan(t)
	loc := plan.Calendar().Location()
	tr, _ := seedTracker(t, plan, nil)
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
	plan := seedPlan(t)
	_, err := plan.Track(ctx, memory.NewTrackStore())
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

func (noSales) Units(context.Context) ([]org.Unit, error) {
	return []org.Unit{{ID: "company"}, {ID: "support", Parent: "company"}}, nil
}

const novemberPlan = `
timezone: Europe/Berlin
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
report: {grain: month, from: 2025-11-01, to: 2025-12-01}
goals:
  - id: deals
    indicator: won
    target: 10
    period: {from: 2025-11-01, to: 2025-12-01}
    participants: {users: [anna, boris, vera]}
    notify: [{on: deadline_approaching}, {on: failed}, {on: at_risk}]
`

// TestTrackerTicksBetween: ticks on 18 November and 1 December emit the
// deadline of 28 November (three days before the end) and the failures at
// the end of the month, as ticks with one on 28 November in between do;
// a tracker restarted from its store between ticks emits the same; and the
// first tick of a tracker started when people are already behind says
// at_risk.
func TestTrackerTicksBetween(t *testing.T) {
	ctx := context.Background()
	plan := parsePlan(t, novemberPlan)
	loc := plan.Calendar().Location()
	at := func(m time.Month, d, h int) time.Time { return time.Date(2025, m, d, h, 0, 0, 0, loc) }
	deals := []kpi.Event{
		{ID: "w1", Kind: "deal.won", Actor: "anna", Time: at(11, 3, 10)},
		{ID: "w2", Kind: "deal.won", Actor: "anna", Time: at(11, 12, 10)},
		{ID: "w3", Kind: "deal.won", Actor: "boris", Time: at(11, 5, 10)},
		{ID: "w4", Kind: "deal.won", Actor: "vera", Time: at(11, 20, 10)},
	}
	// In the order they happened: Boris and Vera end Monday 3 November
	// without a deal, Anna falls behind on Wednesday the 5th.
	risk := []string{"at_risk/deals/boris/2025-11/2025-11-03", "at_risk/deals/vera/2025-11/2025-11-03", "at_risk/deals/anna/2025-11/2025-11-05"}
	deadline := []string{"deadline_approaching/deals/anna/2025-11/3", "deadline_approaching/deals/boris/2025-11/3", "deadline_approaching/deals/vera/2025-11/3"}
	failed := []string{"failed/deals/anna/2025-11/", "failed/deals/boris/2025-11/", "failed/deals/vera/2025-11/"}
	join := func(lists ...[]string) []string {
		var out []string
		for _, l := range lists {
			out = append(out, l...)
		}
		return out
	}
	for _, c := range []struct {
		name    string
		ticks   []time.Time
		restart bool
		want    [][]string
	}{
		{"18 November and 1 December", []time.Time{at(11, 18, 9), at(12, 1, 9)}, false, [][]string{risk, join(deadline, failed)}},
		{"and 28 November", []time.Time{at(11, 18, 9), at(11, 28, 9), at(12, 1, 9)}, false, [][]string{risk, deadline, failed}},
		{"restarted before each tick", []time.Time{at(11, 18, 9), at(11, 28, 9), at(12, 1, 9)}, true, [][]string{risk, deadline, failed}},
		{"the same instant twice", []time.Time{at(11, 28, 9), at(11, 28, 9), at(12, 1, 9)}, true, [][]string{join(risk, deadline), nil, failed}},
	} {
		t.Run(c.name, func(t *testing.T) {
			store := memory.NewTrackStore()
			tr := startTrackerOn(t, plan, store)
			if err := tr.Apply(ctx, deals...); err != nil {
				t.Fatal(err)
			}
			for i, x := range c.ticks {
				if c.restart {
					tr = restartTracker(t, plan, tr, store)
				}
				var got []string
				for _, n := range mustTick(t, tr, x) {
					got = append(got, n.Key)
				}
				if !slices.Equal(got, c.want[i]) {
					t.Errorf("tick at %s: %q, want %q", x.Format(time.DateTime), got, c.want[i])
				}
			}
		})
	}
}

const tickPropertyPlan = `
timezone: America/New_York
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
  - {id: revenue, kinds: [deal.won], aggregate: sum, value: amount}
report: {grain: month, from: 2025-11-01, to: 2025-12-01}
goals:
  - id: deals
    indicator: won
    target: 5
    period: {from: 2025-10-01, every: month}
    participants: {users: [anna, boris]}
    milestones: [50%, 100%]
    close: {auto: true, after_days: 1}
    notify: [{on: milestone_reached}, {on: achieved}, {on: at_risk}, {on: back_on_track}, {on: deadline_approaching},
      {on: daily_digest}, {on: failed}, {on: period_closed}]
  - id: weekly
    indicator: revenue
    target: 600
    period: {from: 2025-10-27, every: week}
    participants: {users: [anna, boris, vera]}
    notify: [{on: at_risk, threshold: 0.9}, {on: back_on_track, threshold: 0.9}, {on: achieved}, {on: failed}, {on: deadline_approaching, days: 2}]
`

// TestTrackerTicksAnySchedule is the tracker's property: deals arrive as
// they happen, the host ticks whenever it likes and restarts the tracker
// from its store now and then, and by the last tick it has received, each
// once, the notifications (by key) of a tracker ticking at every local
// midnight and at the same last instant.
func TestTrackerTicksAnySchedule(t *testing.T) {
	ctx := context.Background()
	plan := parsePlan(t, tickPropertyPlan)
	cal := plan.Calendar()
	start := cal.Midnight(date.New(2025, 10, 27))
	run := func(t *rapid.T, deals []kpi.Event, ticks []time.Time, restarts []bool) []string {
		store := memory.NewTrackStore()
		tr := startTrackerOn(t, plan, store)
		applied := 0
		var keys []string
		for i, x := range ticks {
			if restarts != nil && restarts[i] {
				tr = restartTracker(t, plan, tr, store)
			}
			var batch []kpi.Event
			for ; applied < len(deals) && !deals[applied].Time.After(x); applied++ {
				batch = append(batch, deals[applied])
			}
			if err := tr.Apply(ctx, batch...); err != nil {
				t.Fatal(err)
			}
			for _, n := range mustTick(t, tr, x) {
				if _, ok := enginetest.LedgerData(tr.Indicators(), n.Key); !ok {
					t.Fatalf("tick at %s: %s is not in the store's ledger", x, n.Key)
				}
				keys = append(keys, n.Key)
			}
		}
		n := len(keys)
		slices.Sort(keys)
		if keys = slices.Compact(keys); len(keys) != n {
			t.Fatalf("a notification was emitted twice")
		}
		return keys
	}
	rapid.Check(t, func(t *rapid.T) {
		minutes := func(label string, from time.Time, days int) time.Time {
			return from.Add(time.Duration(rapid.IntRange(0, days*24*60-1).Draw(t, label)) * time.Minute)
		}
		var deals []kpi.Event
		for i := range rapid.IntRange(0, 25).Draw(t, "deals") {
			when := minutes("time", start, 38)
			deals = append(deals, kpi.Event{ID: fmt.Sprint("d", i), Kind: "deal.won", Time: when, Known: when,
				Actor:  rapid.SampledFrom([]string{"anna", "boris", "vera"}).Draw(t, "actor"),
				Amount: decimal.NewNullDecimal(decimal.NewFromInt(int64(rapid.IntRange(0, 300).Draw(t, "amount"))))})
		}
		slices.SortFunc(deals, func(a, b kpi.Event) int { return a.Time.Compare(b.Time) })
		end := minutes("end", cal.Midnight(date.New(2025, 11, 24)), 12)
		var ticks []time.Time
		for range rapid.IntRange(0, 6).Draw(t, "ticks") {
			ticks = append(ticks, minutes("tick", start, int(end.Sub(start)/(24*time.Hour))))
		}
		slices.SortFunc(ticks, time.Time.Compare)
		ticks = append(ticks, end)
		restarts := make([]bool, len(ticks))
		for i := range restarts {
			restarts[i] = rapid.Bool().Draw(t, "restart")
		}
		var dense []time.Time
		for d := cal.Date(start); cal.Midnight(d).Before(end); d++ {
			dense = append(dense, cal.Midnight(d))
		}
		got, want := run(t, deals, ticks, restarts), run(t, deals, append(dense, end), nil)
		if !slices.Equal(got, want) {
			t.Fatalf("ticks at %v emitted\n%q\nticks at every midnight\n%q", ticks, got, want)
		}
	})
}

// TestTrackerNotificationSchema: the notifications of every kind a tracker
// emits, as the ledger keeps them, match the report schema's notification.
func TestTrackerNotificationSchema(t *testing.T) {
	ctx := context.Background()
	schema := reportSchema(t)
	plan := parsePlan(t, tickPropertyPlan)
	loc := plan.Calendar().Location()
	tr := startTracker(t, plan)
	won := func(id, who string, day int) kpi.Event {
		return kpi.Event{ID: id, Kind: "deal.won", Actor: who, Time: time.Date(2025, 11, day, 10, 0, 0, 0, loc), Amount: decimal.NewNullDecimal(decimal.NewFromInt(700))}
	}
	kinds := map[goal.NotifyKind]bool{}
	tick := func(m time.Month, day int) {
		for _, n := range mustTick(t, tr, time.Date(2025, m, day, 12, 0, 0, 0, loc)) {
			kinds[n.Kind] = true
			data, _ := enginetest.LedgerData(tr.Indicators(), n.Key)
			doc, err := decodeJSON(data)
			if err != nil {
				t.Fatal(err)
			}
			if errs := validate(schema, schema["$defs"].(map[string]any)["notification"].(map[string]any), doc, n.Key); len(errs) > 0 {
				t.Errorf("%s", strings.Join(errs, "\n"))
			}
		}
	}
	// Anna makes her month in a week and loses a deal; Boris starts late and
	// catches up; nobody makes the month in the end.
	if err := tr.Apply(ctx, won("a1", "anna", 3), won("a2", "anna", 4), won("a3", "anna", 5), won("a4", "anna", 6), won("a5", "anna", 7)); err != nil {
		t.Fatal(err)
	}
	tick(11, 10)
	if err := tr.Apply(ctx, kpi.Event{ID: "a5", Deleted: true}, won("b1", "boris", 12), won("b2", "boris", 12), won("b3", "boris", 12), won("b4", "boris", 12)); err != nil {
		t.Fatal(err)
	}
	tick(11, 13)
	tick(12, 3)
	for _, k := range append(goal.NotifyKinds(), goal.NotifyAchievementRevoked) {
		if !kinds[k] {
			t.Errorf("no %s notification (got %v)", k, kinds)
		}
	}
}

// Options given to Tracker.Report hold for that report only: WithSeries
// adds the daily series, equal to a batch evaluation's, and the next report
// without it has none.
func TestTrackerReportOptions(t *testing.T) {
	ctx := context.Background()
	plan := seedPlan(t)
	loc := plan.Calendar().Location()
	store := seedEvents(t, loc)
	asOf := time.Date(2025, 3, 14, 18, 0, 0, 0, loc)
	tr, events := seedTracker(t, plan, memory.NewTrackStore())
	if err := tr.Apply(ctx, events...); err != nil {
		t.Fatal(err)
	}
	batch := mustEvaluate(t, plan, store, asOf, goalkit.WithDirectory(seedDirectory{}), goalkit.WithSeries())
	live := mustReport(t, tr, asOf, goalkit.WithSeries())
	if len(live.Goals.Rows) != len(batch.Goals.Rows) {
		t.Fatalf("%d rows, want %d", len(live.Goals.Rows), len(batch.Goals.Rows))
	}
	withSeries := 0
	for i, r := range live.Goals.Rows {
		same := slices.EqualFunc(r.Series, batch.Goals.Rows[i].Series, func(a, b goal.Point) bool {
			return a.Date == b.Date && a.Actual.Valid == b.Actual.Valid && a.Actual.Decimal.Equal(b.Actual.Decimal) &&
				a.Plan.Valid == b.Plan.Valid && a.Plan.Decimal.Equal(b.Plan.Decimal)
		})
		if !same {
			t.Errorf("%s/%s: the series differs from the batch evaluation's", r.Goal, r.Participant)
		}
		if len(r.Series) > 0 {
			withSeries++
		}
	}
	if withSeries == 0 {
		t.Fatal("no row has a series")
	}
	plain := mustReport(t, tr, asOf)
	for _, r := range plain.Goals.Rows {
		if r.Series != nil {
			t.Fatalf("%s/%s: a series without WithSeries", r.Goal, r.Participant)
		}
	}
}
