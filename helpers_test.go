package goalkit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// tb is what the helpers below need of a test; *testing.T and *rapid.T both
// have it.
type tb interface {
	Helper()
	Fatal(args ...any)
}

func mustGrain(t *testing.T, s string) period.Grain {
	t.Helper()
	g, err := period.ParseGrain(s)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func day(t *testing.T, s string) date.Date {
	t.Helper()
	d, err := date.ParseISO(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// readDef reads the plan file at path.
func readDef(t *testing.T, path string) *goalkit.Definition {
	t.Helper()
	def, err := goalkit.ReadDefinition(path)
	if err != nil {
		t.Fatal(err)
	}
	return def
}

// seedDef is the plan of the seed's examples, testdata/goals/seed.yaml.
func seedDef(t *testing.T) *goalkit.Definition {
	t.Helper()
	return readDef(t, filepath.Join("testdata", "goals", "seed.yaml"))
}

// parseDef reads src as a plan file named plan.yaml.
func parseDef(t tb, src string) *goalkit.Definition {
	t.Helper()
	def, err := goalkit.ParseDefinition("plan.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return def
}

// compile compiles def; a problem fails the test.
func compile(t tb, def *goalkit.Definition) *goalkit.Plan {
	t.Helper()
	plan, err := goalkit.Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

// seedPlan is the compiled plan of seedDef.
func seedPlan(t *testing.T) *goalkit.Plan {
	t.Helper()
	return compile(t, seedDef(t))
}

// parsePlan is the compiled plan of the plan file src.
func parsePlan(t *testing.T, src string) *goalkit.Plan {
	t.Helper()
	return compile(t, parseDef(t, src))
}

// cleanupTB is a tb that runs functions when the test ends; *testing.T and
// *rapid.T both are.
type cleanupTB interface {
	tb
	Cleanup(func())
}

// startTracker starts a tracker of plan in memory with opts
// (startTrackerOn without a store).
func startTracker(t cleanupTB, plan *goalkit.Plan, opts ...goalkit.EvalOption) *goalkit.Tracker {
	t.Helper()
	return startTrackerOn(t, plan, nil, opts...)
}

// startTrackerOn starts a tracker of plan on store (nil: in memory) with
// opts; an error fails the test, and the tracker closes when the test ends.
func startTrackerOn(t cleanupTB, plan *goalkit.Plan, store kpi.TrackStore, opts ...goalkit.EvalOption) *goalkit.Tracker {
	t.Helper()
	tr, err := plan.Track(context.Background(), store, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	return tr
}

// restartTracker closes tr, a tracker of plan on store (an error fails the
// test: a store admits one tracker at a time), and starts another on store
// with opts (startTrackerOn), as a host restarting does.
func restartTracker(t cleanupTB, plan *goalkit.Plan, tr *goalkit.Tracker, store kpi.TrackStore, opts ...goalkit.EvalOption) *goalkit.Tracker {
	t.Helper()
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	return startTrackerOn(t, plan, store, opts...)
}

// storeOf is an embedded store in loc holding events, applied in order.
func storeOf(t tb, loc *time.Location, events ...kpi.Event) *memory.Store {
	t.Helper()
	store := memory.New(loc)
	if err := store.Apply(events...); err != nil {
		t.Fatal(err)
	}
	return store
}

// eventsOf is every event of src, in the order it scans them.
func eventsOf(t *testing.T, src kpi.Source) []kpi.Event {
	t.Helper()
	var events []kpi.Event
	err := src.Scan(context.Background(), kpi.Query{}, func(e *kpi.Event) error {
		events = append(events, e.Clone())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return events
}

// mustEvaluate evaluates plan over src as of asOf with opts; an error
// fails the test.
func mustEvaluate(t tb, plan *goalkit.Plan, src kpi.Source, asOf time.Time, opts ...goalkit.EvalOption) *goalkit.Report {
	t.Helper()
	rep, err := plan.Evaluate(context.Background(), src, asOf, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// mustReport is tr's report as of asOf with opts; an error fails the test.
func mustReport(t tb, tr *goalkit.Tracker, asOf time.Time, opts ...goalkit.EvalOption) *goalkit.Report {
	t.Helper()
	rep, err := tr.Report(context.Background(), asOf, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// mustTick ticks tr at the instant at and returns what it emitted; an error
// fails the test.
func mustTick(t tb, tr *goalkit.Tracker, at time.Time) []goal.Notification {
	t.Helper()
	ns, err := tr.Tick(context.Background(), at)
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

// addTeams adds to dir a unit for every team a goal or a scorecard of def
// names; a unit named twice is added once.
func addTeams(dir *memory.Directory, def *goalkit.Definition) {
	var units []org.Unit
	for _, g := range def.Goals {
		for _, team := range g.Participants.Teams {
			units = append(units, org.Unit{ID: team})
		}
	}
	for _, sc := range def.Scorecards {
		for _, team := range sc.MembersOf {
			units = append(units, org.Unit{ID: team})
		}
	}
	for _, u := range units {
		_ = dir.AddUnit(u)
	}
}

// reportJSON is r written by WriteJSON.
func reportJSON(t tb, r *goalkit.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// reportTable is r written by WriteTable.
func reportTable(t *testing.T, r *goalkit.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := r.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// sameReport fails the test when got and want differ in JSON.
func sameReport(t *testing.T, what string, got, want *goalkit.Report) {
	t.Helper()
	if g, w := reportJSON(t, got), reportJSON(t, want); !bytes.Equal(g, w) {
		t.Fatalf("%s:\n%s\nwant\n%s", what, g, w)
	}
}

// checkReportGolden compares r's JSON and table with the golden files
// testdata/NAME.json and testdata/NAME.txt.
func checkReportGolden(t *testing.T, r *goalkit.Report, name string) {
	t.Helper()
	checkGolden(t, name+".json", reportJSON(t, r))
	checkGolden(t, name+".txt", reportTable(t, r))
}

// reportSchema is docs/report.schema.json.
func reportSchema(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("docs", "report.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	return schema
}

// checkReportSchema checks data, the JSON of a report (what, in messages),
// against the report schema: JSON that does not decode fails the test, and
// each mismatch is an error.
func checkReportSchema(t *testing.T, what string, data []byte) {
	t.Helper()
	doc, err := decodeJSON(data)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	schema := reportSchema(t)
	if errs := validate(schema, schema, doc, ""); len(errs) > 0 {
		t.Errorf("%s does not match the report schema:\n%s", what, strings.Join(errs, "\n"))
	}
}

// decodeJSON decodes data with its numbers as json.Number, as validate wants
// them.
func decodeJSON(data []byte) (any, error) {
	var doc any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	err := dec.Decode(&doc)
	return doc, err
}

// seedTracker starts a tracker of plan (a plan of the seed's goals) over
// store with the seed's directory (startTrackerOn: it closes when the test
// ends), and returns it with the seed's events, not applied.
func seedTracker(t *testing.T, plan *goalkit.Plan, store kpi.TrackStore) (*goalkit.Tracker, []kpi.Event) {
	t.Helper()
	tr := startTrackerOn(t, plan, store, goalkit.WithDirectory(seedDirectory{}))
	return tr, eventsOf(t, seedEvents(t, plan.Calendar().Location()))
}

// notifyLeadsClosed makes the seed's leads goal notify period_closed.
func notifyLeadsClosed(def *goalkit.Definition) {
	for i := range def.Goals {
		if def.Goals[i].ID == "leads50" {
			def.Goals[i].Notify = append(def.Goals[i].Notify, goal.NotifyRule{On: goal.NotifyPeriodClosed})
		}
	}
}

// dayBatch returns the events of the 24 hours up to until, as they become
// known at known(event).
func dayBatch(events []kpi.Event, until time.Time, known func(kpi.Event) time.Time) []kpi.Event {
	var batch []kpi.Event
	for _, e := range events {
		if !e.Time.After(until) && e.Time.After(until.Add(-24*time.Hour)) {
			e.Known = known(e)
			batch = append(batch, e)
		}
	}
	return batch
}

// evalFiles evaluates the plan file DIR/plan.yaml over the event file
// DIR/events.ndjson (loaded as eventfile.Load loads it) as of asOf.
func evalFiles(t *testing.T, dir string, asOf func(*goalkit.Plan) time.Time) (*goalkit.Plan, *memory.Store, *goalkit.Report) {
	t.Helper()
	def := readDef(t, filepath.Join(dir, "plan.yaml"))
	plan := compile(t, def)
	store := memory.New(plan.Calendar().Location())
	path := filepath.Join(dir, "events.ndjson")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := eventfile.Load(context.Background(), store, f, path, eventfile.Options{Attributes: def.Attributes}); err != nil {
		t.Fatal(err)
	}
	rep := mustEvaluate(t, plan, store, asOf(plan))
	return plan, store, rep
}

// workloadPlan compiles the standard workload's plan with its text old
// replaced by new (a report section, goals).
func workloadPlan(b *testing.B, old, new string) *goalkit.Plan {
	def, err := goalkit.ParseDefinition("plan.yaml", []byte(strings.Replace(string(goalkittest.WorkloadPlan()), old, new, 1)))
	if err != nil {
		b.Fatal(err)
	}
	return compile(b, def)
}

// workloadStore is a memory store of the first n events of the standard
// workload.
func workloadStore(b *testing.B, plan *goalkit.Plan, n int) *memory.Store {
	store := memory.New(plan.Calendar().Location())
	err := store.Import(context.Background(), func(add func(*kpi.Event) error) error {
		return goalkittest.Workload{N: n}.Generate(add)
	})
	if err != nil {
		b.Fatal(err)
	}
	return store
}
