package scaleout_test

import (
	"context"
	"fmt"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/shopspring/decimal"
)

// Two workers track a plan over the four partitions of a log; the merged
// parts give the report, and a correction that moves a deal to another
// actor lands in the partition of the deal.
func Example() {
	ctx := context.Background()
	def, _ := goalkit.ParseDefinition("plan.yaml", []byte(`
timezone: UTC
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
  - {id: revenue, kinds: [deal.won], aggregate: sum, value: amount}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
`))
	plan, _ := goalkit.Compile(def)
	at := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	won := func(id, actor string, amount int64) kpi.Event {
		return kpi.Event{ID: id, Kind: "deal.won", Time: at, Actor: actor, Amount: decimal.NullDecimal{Decimal: decimal.NewFromInt(amount), Valid: true}}
	}

	log := scaleout.NewMemoryLog(4)
	events := []kpi.Event{won("d1", "anna", 100), won("d2", "boris", 200), won("d3", "anna", 300), won("d1", "boris", 150)}
	if err := scaleout.Publish(ctx, log, "first", time.Now(), events); err != nil {
		fmt.Println(err)
		return
	}
	parts := &scaleout.MemoryParts{}
	// A durable store per partition (in memory here), kept across workers.
	stores := make([]kpi.TrackStore, log.Partitions())
	for p := range stores {
		stores[p] = memory.NewTrackStore()
	}
	for i := range 2 {
		w := &scaleout.Worker{Plan: plan, Log: log, Parts: parts, Drain: true,
			Partitions: scaleout.Assignment{I: i, N: 2}.Owned(log.Partitions()),
			Store:      func(_ context.Context, p int) (kpi.TrackStore, error) { return stores[p], nil }}
		if err := w.Run(ctx); err != nil {
			fmt.Println(err)
			return
		}
	}
	rep, err := plan.Evaluate(ctx, &scaleout.Source{Log: log, Parts: parts}, at.AddDate(0, 1, 0))
	if err != nil {
		fmt.Println(err)
		return
	}
	march := plan.Periods()[0]
	for _, who := range []string{"anna", "boris", "*"} {
		n, _ := rep.Values.Value("won", who, march)
		sum, _ := rep.Values.Value("revenue", who, march)
		fmt.Printf("%-5s won %s, revenue %s\n", who, n.Decimal, sum.Decimal)
	}
	// Output:
	// anna  won 1, revenue 300
	// boris won 2, revenue 350
	// *     won 3, revenue 650
}
