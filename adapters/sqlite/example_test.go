package sqlite_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/goalkit/goalkit/adapters/sqlite"
	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

func Example() {
	dir, err := os.MkdirTemp("", "goalkit-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(dir, "events.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	won := func(id, actor, amount, source string) kpi.Event {
		return kpi.Event{ID: id, Kind: "deal.won", Time: at, Actor: actor, Currency: "RUB",
			Amount: decimal.NewNullDecimal(decimal.RequireFromString(amount)), Attrs: map[string]any{"source": source}}
	}
	// One transaction: two deals, then a correction of the first.
	err = s.Apply(ctx, won("d1", "anna", "1500.00", "web"), won("d2", "anna", "99.99", "partner"), won("d1", "anna", "1750.50", "web"))
	if err != nil {
		log.Fatal(err)
	}

	// The sum of won amounts from the web, per actor and month, computed by SQLite.
	rows, ok, err := s.Push(ctx, kpi.PushQuery{
		Kinds:  []string{"deal.won"},
		Where:  formula.Compare{Op: "==", L: formula.Ident{Name: "source", Type: formula.TypeString}, R: formula.Const{Value: formula.String("web")}},
		Value:  "amount",
		Bounds: []time.Time{time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rows {
		fmt.Println(ok, r.Actor, r.Bucket, r.Count, r.Sum, r.Currencies)
	}
	// Output:
	// true anna 0 1 1750.5 [RUB]
}
