package goalkittest_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/shopspring/decimal"
)

// compiled compiles a definition that was read or parsed without error,
// and panics on an error, as an example may.
func compiled(def *goalkit.Definition, err error) *goalkit.Plan {
	if err != nil {
		panic(err)
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		panic(err)
	}
	return plan
}

// A cascade whose monthly allocation adds up to 90 % of the quarter is
// caught by splits_add_back; every other property passes.
func ExampleRun() {
	plan := compiled(goalkit.ReadDefinition("testdata/broken-cascade-weights.yaml"))
	for _, o := range goalkittest.Run(plan, goalkittest.CheckOptions{MaxEvents: 10}) {
		if o.Passed {
			fmt.Println("PASS", o.Property)
			continue
		}
		first, _, _ := strings.Cut(o.Counterexample, "\n")
		fmt.Println("FAIL", o.Property)
		fmt.Println(" ", first)
	}
	// Output:
	// PASS live_equals_batch
	// PASS order_independent
	// PASS duplicates_once
	// PASS retraction_undoes
	// FAIL splits_add_back
	//   cascade revenue_q1: the targets of the children of company 2025-Q1 (cascades[0].root) add up to 90000, not to its target 100000: company 2025-01 50000 (declared), company 2025-02 30000 (declared), company 2025-03 10000 (declared)
	// PASS rollup_equals_direct
}

// ShapeOf derives from a plan what its events look like: the kinds it
// reads, and for each attribute the constants its filters compare it with.
func ExampleShapeOf() {
	plan := compiled(goalkit.ParseDefinition("plan.yaml", []byte(`
timezone: Europe/Berlin
attributes: {source: string, pipeline: int}
indicators:
  - {id: won, kinds: [deal.won], where: 'source in ["web", "partner"] && pipeline == 2', aggregate: count}
  - {id: big, kinds: [deal.won], where: 'amount >= 1000', aggregate: count}
report: {grain: month, from: 2025-01-01, to: 2025-02-01}
`)))
	s := goalkittest.ShapeOf(plan)
	fmt.Println("kinds:", s.Kinds)
	fmt.Println("source:", s.Attrs["source"])
	fmt.Println("pipeline:", s.Attrs["pipeline"])
	fmt.Println("amounts:", s.Amounts)
	// Output:
	// kinds: [deal.won]
	// source: [web partner other]
	// pipeline: [2 1 3 0]
	// amounts: [1000 999 1001 999.99 1000.01 -1000 -999 -1001 -999.99 -1000.01]
}

// PlanYAML writes a definition as a plan file, the form counterexamples
// take.
func ExamplePlanYAML() {
	def, err := goalkit.ParseDefinition("plan.json", []byte(`{"timezone": "Europe/Berlin",
 "indicators": [{"id": "won", "kinds": ["deal.won"], "aggregate": "count"}],
 "report": {"grain": "month", "from": "2025-01-01", "to": "2025-02-01"}}`))
	if err != nil {
		panic(err)
	}
	text, err := goalkittest.PlanYAML(def)
	if err != nil {
		panic(err)
	}
	fmt.Print(text)
	// Output:
	// timezone: Europe/Berlin
	// indicators:
	//   - id: won
	//     kinds: [deal.won]
	//     aggregate: count
	// report:
	//   grain: month
	//   from: "2025-01-01"
	//   to: "2025-02-01"
}

// Final is what a stream of versions leaves: the last version of each id,
// without the retracted ones.
func ExampleFinal() {
	t := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	stream := []kpi.Event{
		{ID: "d1", Kind: "deal.won", Time: t, Actor: "u1", Amount: decimal.NewNullDecimal(decimal.New(100, 0))},
		{ID: "d2", Kind: "deal.won", Time: t, Actor: "u2"},
		{ID: "d1", Kind: "deal.won", Time: t, Actor: "u1", Amount: decimal.NewNullDecimal(decimal.New(120, 0))}, // a correction
		{ID: "d2", Deleted: true}, // a retraction
		{ID: "d3", Kind: "call", Time: t, Actor: "u3"},
		{ID: "d3", Kind: "call", Time: t, Actor: "u3"}, // a duplicate
	}
	text, err := goalkittest.NDJSON(goalkittest.Final(stream))
	if err != nil {
		panic(err)
	}
	fmt.Print(text)
	// Output:
	// {"id":"d1","kind":"deal.won","time":"2025-03-01T09:00:00Z","actor":"u1","amount":"120"}
	// {"id":"d3","kind":"call","time":"2025-03-01T09:00:00Z","actor":"u3"}
}

// A host benchmarks its own store on the standard workload, the events and
// plan behind goalkit's published figures: here the in-memory store, with
// the first events and the company's January values.
func ExampleWorkload() {
	plan := compiled(goalkit.ParseDefinition("workload.yaml", goalkittest.WorkloadPlan()))
	w := goalkittest.Workload{N: 10_000}
	var first []kpi.Event
	store := memory.New(plan.Calendar().Location())
	err := store.Import(context.Background(), func(add func(*kpi.Event) error) error {
		return w.Generate(func(e *kpi.Event) error {
			if len(first) < 2 {
				c := e.Clone()
				c.ID = strings.Clone(e.ID) // Generate reuses the ID's bytes
				first = append(first, c)
			}
			return add(e)
		})
	})
	if err != nil {
		panic(err)
	}
	text, err := goalkittest.NDJSON(first)
	if err != nil {
		panic(err)
	}
	fmt.Print(text)
	rep, err := plan.Evaluate(context.Background(), store, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		panic(err)
	}
	jan := rep.Values.Periods()[0]
	for _, id := range []string{"created", "won", "won_sum", "activity"} {
		v, _ := rep.Values.Value(id, org.Everyone, jan)
		fmt.Println(id, v.Decimal)
	}
	// Output:
	// {"id":"1","kind":"call","time":"2024-12-31T21:48:32Z","actor":"898","attrs":{"pipeline":1,"source":"referral"}}
	// {"id":"2","kind":"email","time":"2024-12-31T21:57:29Z","actor":"1020","attrs":{"pipeline":2,"source":"event"}}
	// created 17
	// won 9
	// won_sum 3426045.2
	// activity 365
}
