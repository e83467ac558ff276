package goalkittest

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"pgregory.net/rapid"
)

// The names of the properties.
const (
	LiveEqualsBatch    = "live_equals_batch"
	OrderIndependent   = "order_independent"
	DuplicatesOnce     = "duplicates_once"
	RetractionUndoes   = "retraction_undoes"
	ScoresMonotone     = "scores_monotone"
	SplitsAddBack      = "splits_add_back"
	RollupEqualsDirect = "rollup_equals_direct"
	FormulasDefined    = "formulas_defined"
)

// CheckOptions adjusts the checks of a plan. The zero value checks every
// property that applies to the plan.
type CheckOptions struct {
	// AsOf is the instant of every evaluation; default: the end of the
	// plan's last report period.
	AsOf time.Time
	// Directory gives scorecards, pools, goals and cascades the units they
	// name. Nil: when the plan names groups (scorecards' members_of, pools'
	// and goals' teams, cascade nodes' units), a flat directory of those
	// groups with the actors (at least two a group) spread over them in
	// turn and the last actor moving from their group to the next (from
	// the last group to the first) halfway through the report; else none.
	// The actor "" is in no group.
	Directory org.Directory
	// Actors are the users events are credited to; default DefaultActors
	// and the users the plan names (goals' users, scorecards' participants,
	// cascade nodes' users), or the users of Directory. "" among them
	// draws events without an actor (Shape.Actors).
	Actors []string
	// RequireDefined makes formulas_defined fail when a formula yields
	// undefined from defined inputs (a ratio over a zero denominator, say);
	// by default only a panic or an error fails it.
	RequireDefined bool
	// Only limits the checks to the properties named; nil: all that apply.
	Only []string
	// MaxEvents is the most distinct event ids of a generated stream
	// (default 30).
	MaxEvents int
}

// Property is one check of a plan: a name, what it asserts and the rapid
// property that asserts it.
type Property struct {
	Name string
	Doc  string
	// Check fails t with the counterexample (a plan and events that
	// reproduce it with `goalkit eval`) when the property does not hold.
	Check func(t *rapid.T)

	check func(t *rapid.T) string
}

// checker holds what the properties of one plan share.
type checker struct {
	plan  *goalkit.Plan
	def   goalkit.Definition
	opts  CheckOptions
	asOf  time.Time
	shape Shape
	// the generators of the shape
	instants       *rapid.Generator[time.Time]
	stream, events *rapid.Generator[[]kpi.Event]
	// source, when set, holds a stream for the evaluations in place of a
	// memory store: a deliberately broken source the properties must catch.
	source func(stream []kpi.Event) kpi.Source
	// dirErr is why the default directory could not be made (Actors
	// that are not user IDs): every evaluation fails with it.
	dirErr error
}

// Properties returns the properties that apply to the plan, in a fixed
// order: the event properties always; scores_monotone with scorecards;
// splits_add_back with cascades or pool bonuses; rollup_equals_direct with
// cascades; formulas_defined with formula indicators.
func Properties(plan *goalkit.Plan, opts CheckOptions) []Property {
	return newChecker(plan, opts).properties()
}

// Setup evaluates the plan over no events with the options: an error there
// (a plan that names teams and a directory that lacks them, say) fails
// every property the same way, so CheckPlan and Run report it alone. A
// name in Only that is no property's is an error too, rather than a check
// that checks nothing.
func Setup(plan *goalkit.Plan, opts CheckOptions) error {
	for _, name := range opts.Only {
		if !slices.Contains(propertyNames, name) {
			return fmt.Errorf("CheckOptions.Only: no property is named %q (the properties: %s)", name, strings.Join(propertyNames, ", "))
		}
	}
	_, err := newChecker(plan, opts).evaluate(nil)
	return err
}

// propertyNames are the names of every property, in their order.
var propertyNames = []string{LiveEqualsBatch, OrderIndependent, DuplicatesOnce, RetractionUndoes, ScoresMonotone, SplitsAddBack, RollupEqualsDirect, FormulasDefined}

func newChecker(plan *goalkit.Plan, opts CheckOptions) *checker {
	c := &checker{plan: plan, def: plan.Definition(), opts: opts, asOf: opts.AsOf}
	if c.asOf.IsZero() {
		if ps := plan.Periods(); len(ps) > 0 {
			_, c.asOf = plan.Calendar().Bounds(ps[len(ps)-1])
		}
	}
	actors := opts.Actors
	if len(actors) == 0 {
		if opts.Directory != nil {
			if ms, err := opts.Directory.Memberships(context.Background()); err == nil {
				for _, m := range ms {
					actors = appendNew(actors, m.User)
				}
			}
		}
		if len(actors) == 0 {
			actors = slices.Clone(DefaultActors)
		}
		for _, u := range c.users() {
			actors = appendNew(actors, u)
		}
	}
	if opts.Directory == nil {
		if groups := c.groups(); len(groups) > 0 {
			// "" draws events without an actor, who belongs to no group.
			members := slices.DeleteFunc(slices.Clone(actors), func(a string) bool { return a == "" })
			for i := len(actors) + 1; len(members) < 2*len(groups); i++ {
				if u := fmt.Sprintf("u%d", i); !slices.Contains(actors, u) {
					actors, members = append(actors, u), append(members, u)
				}
			}
			dir, err := defaultDirectory(groups, members, c.def.Report.From, c.def.Report.To)
			if err != nil {
				c.dirErr = fmt.Errorf("the default directory of the plan's groups: %w", err)
			} else {
				c.opts.Directory = dir
			}
			opts = c.opts
		}
	}
	c.shape = ShapeOf(plan, actors...)
	c.shape.Periods = c.periods()
	c.shape.MaxIDs = opts.MaxEvents
	c.instants = Instants(plan.Calendar(), c.shape.Periods)
	c.stream = Stream(plan.Calendar(), c.shape)
	c.events = Events(plan.Calendar(), c.shape)
	return c
}

func (c *checker) properties() []Property {
	plan, opts := c.plan, c.opts
	ps := []Property{
		{Name: LiveEqualsBatch, Doc: "live tracking, one event at a time, reports what batch evaluation does", check: c.liveEqualsBatch},
		{Name: OrderIndependent, Doc: "the report does not depend on the order the versions of different events arrive in", check: c.orderIndependent},
		{Name: DuplicatesOnce, Doc: "an event version sent again counts once", check: c.duplicatesOnce},
		{Name: RetractionUndoes, Doc: "an event followed by its retraction leaves the report as it was", check: c.retractionUndoes},
	}
	if sc := plan.Scoring(); sc != nil && len(sc.Scorecards()) > 0 {
		ps = append(ps, Property{Name: ScoresMonotone, Doc: "a KPI that gets better never lowers its score, the total or a bonus", check: c.scoresMonotone})
	}
	if c.hasCascades() || len(c.pools()) > 0 {
		ps = append(ps, Property{Name: SplitsAddBack, Doc: "every split target and every pool adds back to the whole exactly", check: c.splitsAddBack})
	}
	if c.hasCascades() {
		ps = append(ps, Property{Name: RollupEqualsDirect, Doc: "a cascade node's actual equals the direct evaluation of its participant and period", check: c.rollupEqualsDirect})
	}
	if len(c.formulas()) > 0 {
		ps = append(ps, Property{Name: FormulasDefined, Doc: "no formula panics or fails (nor, with RequireDefined, is undefined) for inputs in their ranges", check: c.formulasDefined})
	}
	if opts.Only != nil {
		ps = slices.DeleteFunc(ps, func(p Property) bool { return !slices.Contains(opts.Only, p.Name) })
	}
	for i := range ps {
		f := ps[i].check
		ps[i].Check = func(t *rapid.T) {
			if msg := f(t); msg != "" {
				t.Fatal(msg)
			}
		}
	}
	return ps
}

// CheckPlan runs every property of the plan (Properties) as a subtest of t
// named after it, each with rapid.Check: rapid's -rapid.checks cases, and a
// failure shrunk to a minimal counterexample printed as a plan and events
// that reproduce it.
func CheckPlan(t *testing.T, plan *goalkit.Plan, opts CheckOptions) {
	t.Helper()
	if err := Setup(plan, opts); err != nil {
		t.Fatalf("the plan does not evaluate: %v", err)
	}
	for _, p := range Properties(plan, opts) {
		t.Run(p.Name, func(t *testing.T) { rapid.Check(t, p.Check) })
	}
}

// periods returns the periods instants cluster around: the report's and
// those of the scorecards' grains over the same range.
func (c *checker) periods() []period.Period {
	ps := slices.Clone(c.plan.Periods())
	if sc := c.plan.Scoring(); sc != nil && len(ps) > 0 {
		for _, card := range sc.Scorecards() {
			more, err := c.plan.Calendar().Periods(card.Grain(), c.def.Report.From, c.def.Report.To)
			if err == nil {
				ps = append(ps, more...)
			}
		}
	}
	return ps
}

// evalOpts are the options of every evaluation.
func (c *checker) evalOpts() []goalkit.EvalOption {
	if c.opts.Directory != nil {
		return []goalkit.EvalOption{goalkit.WithDirectory(c.opts.Directory)}
	}
	return nil
}

// evaluate evaluates the plan over a stream of versions in batch.
func (c *checker) evaluate(stream []kpi.Event, extra ...goalkit.EvalOption) (*goalkit.Report, error) {
	if c.dirErr != nil {
		return nil, c.dirErr
	}
	var src kpi.Source
	if c.source != nil {
		src = c.source(stream)
	} else {
		store := memory.New(c.plan.Calendar().Location())
		if err := store.Apply(stream...); err != nil {
			return nil, fmt.Errorf("apply events: %w", err)
		}
		src = store
	}
	return c.plan.Evaluate(context.Background(), src, c.asOf, append(c.evalOpts(), extra...)...)
}

// reportText is the JSON form of a report, for comparing.
func reportText(r *goalkit.Report) string {
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		return "error: " + err.Error()
	}
	return b.String()
}

// sameReports compares the reports of two streams; it returns a message
// with the first difference, or "".
func (c *checker) sameReports(what string, a, b []kpi.Event, aName, bName string) string {
	ra, err := c.evaluate(a)
	if err != nil {
		return fmt.Sprintf("%s: evaluate: %v\n%s", what, err, c.snippet(a, nil))
	}
	rb, err := c.evaluate(b)
	if err != nil {
		return fmt.Sprintf("%s: evaluate: %v\n%s", what, err, c.snippet(b, nil))
	}
	if ta, tb := reportText(ra), reportText(rb); ta != tb {
		return fmt.Sprintf("%s: the reports differ: %s\n%s", what, firstDiff(ta, tb, aName, bName),
			c.snippets(namedEvents{aName, a}, namedEvents{bName, b}))
	}
	return ""
}

// firstDiff describes the first line where two texts differ.
func firstDiff(a, b, aName, bName string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(la), len(lb)); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return fmt.Sprintf("line %d of the JSON report:\n  %s: %s\n  %s: %s", i+1, aName, strings.TrimSpace(x), bName, strings.TrimSpace(y))
		}
	}
	return "(no line differs)"
}

func (c *checker) liveEqualsBatch(t *rapid.T) string {
	stream := c.stream.Draw(t, "events")
	ctx := context.Background()
	batch, err := c.evaluate(stream)
	if err != nil {
		return fmt.Sprintf("evaluate: %v\n%s", err, c.snippet(stream, nil))
	}
	tr, err := c.plan.Track(ctx, nil, c.evalOpts()...)
	if err != nil {
		return fmt.Sprintf("track: %v", err)
	}
	for i := range stream {
		if err := tr.Apply(ctx, stream[i]); err != nil {
			return fmt.Sprintf("apply event %d (%s): %v\n%s", i+1, stream[i].ID, err, c.snippet(stream, nil))
		}
	}
	live, err := tr.Report(ctx, c.asOf)
	if err != nil {
		return fmt.Sprintf("tracker report: %v\n%s", err, c.snippet(stream, nil))
	}
	if tb, tl := reportText(batch), reportText(live); tb != tl {
		return fmt.Sprintf("live tracking differs from batch evaluation: %s\n%s", firstDiff(tb, tl, "batch", "live"), c.snippet(stream, nil))
	}
	return ""
}

func (c *checker) orderIndependent(t *rapid.T) string {
	stream := c.stream.Draw(t, "events")
	other := Reorder(stream).Draw(t, "reordered")
	return c.sameReports("the order of events matters", stream, other, "events.ndjson", "reordered.ndjson")
}

func (c *checker) duplicatesOnce(t *rapid.T) string {
	stream := c.stream.Draw(t, "events")
	if len(stream) == 0 {
		return ""
	}
	var dup []kpi.Event
	for i, e := range stream {
		dup = append(dup, e)
		if rapid.Bool().Draw(t, fmt.Sprintf("dup%d", i)) {
			dup = append(dup, e.Clone())
		}
	}
	return c.sameReports("a duplicate counts more than once", stream, dup, "events.ndjson", "with-duplicates.ndjson")
}

func (c *checker) retractionUndoes(t *rapid.T) string {
	stream := Final(c.events.Draw(t, "events"))
	if len(stream) > 0 && rapid.Bool().Draw(t, "retract an event of the stream") {
		// retracting an event equals never having had it
		i := rapid.IntRange(0, len(stream)-1).Draw(t, "retracted")
		without := slices.Delete(slices.Clone(stream), i, i+1)
		retracted := append(slices.Clone(stream), kpi.Event{ID: stream[i].ID, Deleted: true})
		return c.sameReports("a retraction does not undo its event", without, retracted, "without.ndjson", "retracted.ndjson")
	}
	extra := c.shape.event(t, c.instants, "x1")
	undone := append(slices.Clone(stream), extra, kpi.Event{ID: extra.ID, Deleted: true})
	return c.sameReports("a retraction does not undo its event", stream, undone, "events.ndjson", "with-retracted.ndjson")
}

// Run runs the properties of the plan outside `go test` and returns their
// outcomes in order; when the plan does not evaluate at all (Setup), the
// one outcome "setup" says why. It calls rapid.Check, whose number of
// cases, seed and shrink time are rapid's flags (-rapid.checks,
// -rapid.seed, -rapid.shrinktime, -rapid.nofailfile) on the program's
// flag.CommandLine: a program that is not a test must call testing.Init and
// parse flag.CommandLine first (the goalkit check command does).
func Run(plan *goalkit.Plan, opts CheckOptions) []Outcome {
	if err := Setup(plan, opts); err != nil {
		return []Outcome{{Property: "setup", Doc: "the plan evaluates over no events", Counterexample: err.Error()}}
	}
	var out []Outcome
	for _, p := range Properties(plan, opts) {
		out = append(out, runOne(p))
	}
	return out
}

// Outcome is the result of one property.
type Outcome struct {
	Property string
	Doc      string
	Passed   bool
	// Counterexample is the failure of the minimal case rapid found: what
	// went wrong and the plan and events that reproduce it.
	Counterexample string
	// Log is rapid's own report (the seed to replay, the number of cases).
	Log string
}

// runOne runs one property with rapid.Check through a recording TB.
func runOne(p Property) Outcome {
	var last string
	prop := func(t *rapid.T) {
		returned := false
		defer func() {
			if r := recover(); r != nil {
				if !returned {
					last = fmt.Sprintf("panic: %v", r)
				}
				panic(r)
			}
		}()
		msg := p.check(t)
		last, returned = msg, true
		if msg != "" {
			t.Fatal(msg)
		}
	}
	tb := &recordTB{name: p.Name}
	done := make(chan struct{})
	go func() {
		defer close(done)
		rapid.Check(tb, prop)
	}()
	<-done
	o := Outcome{Property: p.Name, Doc: p.Doc, Passed: !tb.failed, Log: tb.log.String()}
	if tb.failed {
		o.Counterexample = last
		if o.Counterexample == "" {
			o.Counterexample = tb.log.String()
		}
	}
	return o
}
