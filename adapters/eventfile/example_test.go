package eventfile_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// Load a file into the embedded store: the last line of an id wins, and a
// deleted line retracts the id.
func ExampleLoad() {
	const file = `id,kind,time,actor,amount,currency,deleted,source,pipeline
d1,deal_won,2025-03-20T17:40:12+03:00,u07,1500.00,RUB,,web,1
d2,deal_won,2025-03-21T10:00:00+03:00,u12,99.90,EUR,,partner,2
d1,deal_won,2025-03-20T17:40:12+03:00,u07,1750.00,RUB,,web,1
d2,,,,,,true,,
`
	store := memory.New(time.UTC)
	opt := eventfile.Options{Attributes: map[string]kpi.AttrType{"pipeline": kpi.AttrInt}}
	if err := eventfile.Load(context.Background(), store, strings.NewReader(file), "march.csv", opt); err != nil {
		fmt.Println(err)
		return
	}
	e, _ := store.Get("d1")
	fmt.Println(store.Len(), e.ID, e.Kind, e.Actor, e.Amount.Decimal.StringFixed(2), e.Currency, e.Attrs["source"], e.Attrs["pipeline"])
	// Output:
	// 1 d1 deal_won u07 1750.00 RUB web 1
}

// A file with bad lines is refused whole: the error names every bad line,
// and the store keeps nothing of the file.
func ExampleLoad_badLines() {
	const file = `{"id":"c1","kind":"call","time":"2025-03-04T11:30:00Z","actor":"u12"}
{"id":"c2","kind":"call","time":"2025-03-04 11:45","actor":"u12"}
{"id":"c3","kind":"call","time":"2025-03-04T12:00:00Z","actor":"u12","amout":"5"}
`
	store := memory.New(time.UTC)
	err := eventfile.Load(context.Background(), store, strings.NewReader(file), "calls.ndjson", eventfile.Options{})
	fmt.Println(err)
	fmt.Println(store.Len(), "events")
	// Output:
	// calls.ndjson:2: time: "2025-03-04 11:45" is not an RFC 3339 time with an offset or Z
	// calls.ndjson:3: unknown field "amout"
	// 0 events
}

// A StoreFunc sees every line as it comes; like any Store, it keeps what
// it was given only when the whole file is good.
func ExampleStoreFunc() {
	const file = `id,kind,time,actor,deleted
a,call,2025-03-04T11:30:00Z,u1,
b,call,2025-03-04T11:45:00Z,u2,
a,meeting,2025-03-04T12:00:00Z,u1,
b,,,,true
`
	var kept []string
	st := eventfile.StoreFunc(func(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
		var staged []string
		err := fn(func(e *kpi.Event) error {
			staged = append(staged, fmt.Sprintf("%s deleted=%v %s", e.ID, e.Deleted, e.Kind))
			return nil
		})
		if err != nil {
			return err
		}
		kept = staged
		return nil
	})
	if err := eventfile.Load(context.Background(), st, strings.NewReader(file), "f.csv", eventfile.Options{}); err != nil {
		fmt.Println(err)
		return
	}
	for _, line := range kept {
		fmt.Println(line)
	}
	// Output:
	// a deleted=false call
	// b deleted=false call
	// a deleted=false meeting
	// b deleted=true
}

func ExampleWriter() {
	w := eventfile.NewWriter(os.Stdout, eventfile.CSV, []string{"source"})
	events := []kpi.Event{
		{ID: "d1", Kind: "deal_won", Actor: "u07", Attrs: map[string]any{"source": "web, partner"}},
		{ID: "d2", Deleted: true},
	}
	for i := range events {
		events[i].Time = mustTime("2025-03-20T17:40:12+03:00")
		if err := w.Write(&events[i]); err != nil {
			fmt.Println(err)
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// id,kind,time,actor,amount,currency,deleted,source
	// d1,deal_won,2025-03-20T17:40:12+03:00,u07,,,,"web, partner"
	// d2,,,,,,true,
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
