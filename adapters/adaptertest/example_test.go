package adaptertest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// CheckPush checks one query of a host's own choosing, such as the queries
// its plan pushes, against the events the source holds.
func ExampleCheckPush() {
	ctx := context.Background()
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	events := []kpi.Event{
		{ID: "d1", Kind: "deal.won", Time: at, Actor: "ann", Amount: decimal.NewNullDecimal(decimal.RequireFromString("1500.00")),
			Currency: "RUB", Attrs: map[string]any{"source": "web"}},
		{ID: "d2", Kind: "deal.won", Time: at.Add(time.Hour), Actor: "ann", Amount: decimal.NewNullDecimal(decimal.RequireFromString("250.50")),
			Currency: "RUB", Attrs: map[string]any{"source": "partner"}},
		{ID: "d1", Deleted: true},
	}
	live := events[1:2] // d1 is retracted
	month := []time.Time{time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)}
	where := formula.In{X: formula.Ident{Name: "source", Type: formula.TypeString}, List: []formula.Value{formula.String("web"), formula.String("partner")}}
	q := kpi.PushQuery{Kinds: []string{"deal.won"}, Where: where, Value: "amount", Bounds: month}

	// A source without flaws, then one that still counts retracted events.
	for _, src := range []*logSource{{}, {flaw: pushCountsRetired}} {
		if err := src.Apply(ctx, events...); err != nil {
			fmt.Println(err)
			return
		}
		answered, err := adaptertest.CheckPush(ctx, src, live, q)
		fmt.Println(answered, err)
	}
	// Output:
	// true <nil>
	// true push {kinds ["deal.won"], where (source:string in ["web", "partner"]), value "amount", bounds [2025-03-01T00:00:00Z 2025-04-01T00:00:00Z]} differs from the aggregation of the live events:
	//   got  {actor "ann" bucket 0 count 2 n 2 sum 1750.5 min 250.5 max 1500 currencies ["RUB"]}
	//   want {actor "ann" bucket 0 count 1 n 1 sum 250.5 min 250.5 max 250.5 currencies ["RUB"]}
}
