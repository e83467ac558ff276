package mapping_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/goalkit/goalkit/adapters/mapping"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// The mapping of a CRM's deals table: a deal is created when engaged, and
// won, with its value, when its stage is Won.
const deals = `timezone: America/New_York
key: [opportunity_id]
columns:
  opportunity_id: {type: string}
  sales_agent: {type: string}
  deal_stage: {type: string}
  engage_date: {type: date}
  close_date: {type: date, time_of_day: "18:00"}
  close_value: {type: decimal}
events:
  - kind: deal.created
    when: defined(engage_date)
    time: engage_date
    actor: sales_agent
  - kind: deal.won
    when: deal_stage == "Won"
    time: close_date
    actor: sales_agent
    amount: close_value
    currency: USD
`

func mustCompile(src string) *mapping.Mapper {
	d, err := mapping.Parse("deals.yaml", []byte(src))
	if err != nil {
		panic(err)
	}
	m, err := mapping.Compile(d)
	if err != nil {
		panic(err)
	}
	return m
}

// printStore prints the store's events, their times in New York.
func printStore(s *memory.Store) {
	ny, _ := time.LoadLocation("America/New_York")
	_ = s.Scan(context.Background(), kpi.Query{}, func(e *kpi.Event) error {
		line := e.ID + " " + e.Actor + " " + e.Time.In(ny).Format(time.RFC3339)
		if e.Amount.Valid {
			line += " " + e.Amount.Decimal.String() + " " + e.Currency
		}
		fmt.Println(line)
		return nil
	})
}

// Load a CSV table into the embedded store: each row gives one event per
// rule whose when holds.
func ExampleMapper_LoadCSV() {
	const table = `opportunity_id,sales_agent,deal_stage,engage_date,close_date,close_value
1C1I7A6R,Moses Frase,Won,2016-10-20,2017-03-01,1054
OLK9LKZB,Niesha Huffines,Engaging,2016-11-01,,
HAXMC4IX,James Ascencio,Prospecting,,,
`
	m := mustCompile(deals)
	store := memory.New(time.UTC)
	if err := m.LoadCSV(context.Background(), store, strings.NewReader(table), "deals.csv", mapping.Options{}); err != nil {
		fmt.Println(err)
		return
	}
	printStore(store)
	// Output:
	// deal.created:1C1I7A6R Moses Frase 2016-10-20T00:00:00-04:00
	// deal.created:OLK9LKZB Niesha Huffines 2016-11-01T00:00:00-04:00
	// deal.won:1C1I7A6R Moses Frase 2017-03-01T18:00:00-05:00 1054 USD
}

// Load the table again after it changed: the deal moved back from Won to
// Engaging loses its win, the corrected value replaces the old one, and,
// since the load is complete, the deal deleted from the table is retracted.
func ExampleMapper_LoadCSV_reimport() {
	m := mustCompile(deals)
	store := memory.New(time.UTC)
	load := func(table string) {
		if err := m.LoadCSV(context.Background(), store, strings.NewReader(table), "deals.csv", mapping.Options{Complete: true}); err != nil {
			fmt.Println(err)
		}
	}
	load(`opportunity_id,sales_agent,deal_stage,engage_date,close_date,close_value
1C1I7A6R,Moses Frase,Won,2016-10-20,2017-03-01,1054
Z063OYW0,Darcel Schlecht,Won,2016-10-25,2017-03-11,4514
7GN8Q4LL,Markita Hansen,Lost,2016-11-01,2017-03-18,0
`)
	load(`opportunity_id,sales_agent,deal_stage,engage_date,close_date,close_value
1C1I7A6R,Moses Frase,Engaging,2016-10-20,,
Z063OYW0,Darcel Schlecht,Won,2016-10-25,2017-03-11,4600
`)
	printStore(store)
	// Output:
	// deal.created:1C1I7A6R Moses Frase 2016-10-20T00:00:00-04:00
	// deal.created:Z063OYW0 Darcel Schlecht 2016-10-25T00:00:00-04:00
	// deal.won:Z063OYW0 Darcel Schlecht 2017-03-11T18:00:00-05:00 4600 USD
}

// A bad row is reported with its line and column, and nothing of the
// table is applied.
func ExampleMapper_LoadCSV_badRow() {
	const table = `opportunity_id,sales_agent,deal_stage,engage_date,close_date,close_value
1C1I7A6R,Moses Frase,Won,2016-10-20,2017-03-01,1054
Z063OYW0,Darcel Schlecht,Won,2016-10-25,2017-13-01,4514
`
	m := mustCompile(deals)
	store := memory.New(time.UTC)
	fmt.Println(m.LoadCSV(context.Background(), store, strings.NewReader(table), "deals.csv", mapping.Options{}))
	fmt.Println(store.Len(), "events")
	// Output:
	// deals.csv:3: column "close_date": not a date "2017-13-01": months are 01 to 12
	// 0 events
}

// A mistake in a mapping file is reported with its line and path.
func ExampleCompile() {
	src := strings.Replace(deals, "time: close_date", "time: closed_date", 1)
	d, err := mapping.Parse("deals.yaml", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = mapping.Compile(d)
	fmt.Println(err)
	// Output:
	// deals.yaml:17: events[1].time: unknown column "closed_date" (did you mean "close_date"?)
}
