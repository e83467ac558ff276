// Command cascade evaluates the goal trees of a company of three
// departments and twelve people: a yearly revenue target split among the
// departments by their share of last year's revenue, then over quarters,
// months and weeks by working days; the second quarter's deals split down
// to every person; conversion inherited by the departments; and a
// hand-made allocation that leaves part of the target unallocated. One
// person moves from South to North on 15 May 2025: South keeps the deals of
// before the move, North gets those after.
//
//	go run ./examples/cascade          # the cascades as a table
//	go run ./examples/cascade -json    # the whole report as JSON
//
// The events are generated with a fixed seed, so the output never changes;
// testdata/*.golden holds it.
package main

import (
	"bytes"
	"context"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

//go:embed plan.yaml
var planYAML []byte

//go:embed directory.json
var directoryJSON []byte

func main() {
	asJSON := flag.Bool("json", false, "write the whole report as JSON")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *asJSON); err != nil {
		fmt.Fprintln(os.Stderr, "cascade:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, asJSON bool) error {
	rep, err := evaluate(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		return rep.WriteJSON(w)
	}
	return rep.WriteTable(w)
}

// asOf is the instant of the report: the first half of 2025 is over.
var asOf = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)

func evaluate(ctx context.Context) (*goalkit.Report, error) {
	def, err := goalkit.ParseDefinition("plan.yaml", planYAML)
	if err != nil {
		return nil, err
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		return nil, err
	}
	dir, err := memory.ReadDirectory(bytes.NewReader(directoryJSON))
	if err != nil {
		return nil, err
	}
	store := memory.New(plan.Calendar().Location())
	if err := store.Apply(generate(plan.Calendar())...); err != nil {
		return nil, err
	}
	return plan.Evaluate(ctx, store, asOf, goalkit.WithDirectory(dir))
}

// people are the twelve, with the size of their deals.
var people = []struct {
	id       string
	min, max int64 // deal size in roubles
}{
	{"n01", 20000, 120000}, {"n02", 20000, 100000}, {"n03", 10000, 90000}, {"n04", 10000, 80000},
	{"s01", 30000, 150000}, {"s02", 20000, 120000}, {"s03", 20000, 110000}, {"s04", 20000, 100000},
	{"k01", 100000, 600000}, {"k02", 80000, 500000}, {"k03", 80000, 400000}, {"k04", 50000, 300000},
}

// generate makes the deals of 2024 and of 2025 until the report's instant:
// on every working day, each person opens a deal with probability 0.6 and
// wins one with probability 0.18.
func generate(cal *period.Calendar) []kpi.Event {
	rnd := rand.New(rand.NewPCG(2025, 7))
	var out []kpi.Event
	end := cal.Date(asOf)
	n := 0
	for d := date.New(2024, time.January, 1); d < end; d++ {
		if !cal.IsWorkday(d) {
			continue
		}
		for _, p := range people {
			at := cal.Midnight(d).Add(9*time.Hour + time.Duration(rnd.IntN(540))*time.Minute)
			if rnd.IntN(100) < 60 {
				n++
				out = append(out, kpi.Event{ID: fmt.Sprintf("e%05d", n), Kind: "deal.created", Actor: p.id, Time: at})
			}
			if rnd.IntN(100) < 18 {
				n++
				amount := decimal.New((p.min+rnd.Int64N(p.max-p.min))*100+int64(rnd.IntN(100)), -2)
				out = append(out, kpi.Event{ID: fmt.Sprintf("e%05d", n), Kind: "deal.won", Actor: p.id, Time: at.Add(time.Hour),
					Amount: decimal.NewNullDecimal(amount)})
			}
		}
	}
	return out
}
