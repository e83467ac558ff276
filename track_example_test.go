package goalkit_test

import (
	"context"
	"fmt"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// A live tracker: deals arrive, the clock ticks, each notification is emitted
// once, even by a tracker restarted from the same store; a retraction takes
// an achievement back. After the end of the month the goals that were not met
// are failed without any new event.
func ExamplePlan_Track() {
	def, err := goalkit.ParseDefinition("plan.yaml", []byte(`
timezone: Europe/Berlin
indicators:
  - {id: revenue, kinds: [deal.won], aggregate: sum, value: amount}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
goals:
  - id: sales
    indicator: revenue
    target: 1000
    period: {from: 2025-03-01, to: 2025-04-01}
    participants: {users: [anna, boris]}
    milestones: [50%]
    notify: [{on: milestone_reached}, {on: achieved}]
`))
	if err != nil {
		panic(err)
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	berlin := plan.Calendar().Location()
	day := func(d int) time.Time { return time.Date(2025, 3, d, 18, 0, 0, 0, berlin) }
	won := func(id, who string, d int, amount int64) kpi.Event {
		return kpi.Event{ID: id, Kind: "deal.won", Actor: who, Time: day(d), Amount: decimal.NewNullDecimal(decimal.New(amount, 0)), Known: day(d)}
	}
	list := func(ns []goal.Notification) {
		for _, n := range ns {
			fmt.Println(n.Kind, n.Participant, n.Actual.Decimal)
		}
	}
	store := memory.NewTrackStore()
	tr, _ := plan.Track(ctx, store)
	_ = tr.Apply(ctx, won("1", "anna", 3, 600), won("2", "boris", 3, 200))
	ns, _ := tr.Tick(ctx, day(3))
	list(ns)
	_ = tr.Apply(ctx, won("3", "anna", 10, 500))
	ns, _ = tr.Tick(ctx, day(10))
	list(ns)

	_ = tr.Close()                 // a store admits one tracker at a time
	tr, _ = plan.Track(ctx, store) // a restart: nothing is emitted again
	ns, _ = tr.Tick(ctx, day(10))
	fmt.Println("after the restart:", len(ns))

	// The 10 March deal is reopened: the achievement is taken back, once.
	_ = tr.Apply(ctx, kpi.Event{ID: "3", Deleted: true, Known: day(12)})
	ns, _ = tr.Tick(ctx, day(12))
	list(ns)
	ns, _ = tr.Tick(ctx, day(13))
	list(ns)

	rep, _ := tr.Report(ctx, time.Date(2025, 4, 2, 0, 0, 0, 0, berlin))
	for _, r := range rep.Goals.Rows {
		fmt.Println(r.Participant, r.Actual.Decimal, r.Status)
	}
	// Output:
	// milestone_reached anna 600
	// achieved anna 1100
	// after the restart: 0
	// achievement_revoked anna 600
	// anna 600 failed
	// boris 200 failed
}
