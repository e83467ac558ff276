package eventfile_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/kpi"
)

func ExampleLoad() {
	const file = `id,kind,time,actor,amount,currency,deleted,source,pipeline
d1,deal_won,2025-03-20T17:40:12+03:00,u07,1500.00,RUB,,web,1
d2,deal_won,2025-03-21T10:00:00+03:00,u12,99.90,EUR,,partner,2
d1,deal_won,2025-03-20T17:40:12+03:00,u07,1750.00,RUB,,web,1
d2,,,,,,true,,
`
	opt := eventfile.Options{Attributes: map[string]kpi.AttrType{"pipeline": kpi.AttrInt}}
	events, err := eventfile.Load(context.Background(), strings.NewReader(file), "march.csv", eventfile.CSV, opt)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range events {
		fmt.Println(e.ID, e.Kind, e.Actor, e.Amount.Decimal.StringFixed(2), e.Currency, e.Attrs["source"], e.Attrs["pipeline"])
	}
	// Output:
	// d1 deal_won u07 1750.00 RUB web 1
}

func ExampleRead() {
	const file = `{"id":"c1","kind":"call","time":"2025-03-04T11:30:00Z","actor":"u12"}
{"id":"c2","kind":"call","time":"2025-03-04 11:45","actor":"u12"}
{"id":"c3","kind":"call","time":"2025-03-04T12:00:00Z","actor":"u12","amout":"5"}
`
	// Stage what Read passes; apply it only if Read returns nil.
	var staged []kpi.Event
	err := eventfile.Read(context.Background(), strings.NewReader(file), "calls.ndjson", eventfile.NDJSON, eventfile.Options{},
		func(e *kpi.Event) error {
			staged = append(staged, *e) // e is reused: copy it (and e.Attrs, if kept)
			return nil
		})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(staged), "events to apply")
	// Output:
	// calls.ndjson:2: time: "2025-03-04 11:45" is not an RFC 3339 time with an offset or Z
	// calls.ndjson:3: unknown field "amout"
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

// ReadParallel passes each event with its line: the largest line of an id
// is its last version.
func ExampleReadParallel() {
	const file = `id,kind,time,actor,deleted
a,call,2025-03-04T11:30:00Z,u1,
b,call,2025-03-04T11:45:00Z,u2,
a,meeting,2025-03-04T12:00:00Z,u1,
b,,,,true
`
	const workers = 2
	type version struct {
		line int64
		e    kpi.Event
	}
	// Per-worker staging needs no lock: fn is never called for one worker
	// from two goroutines at once.
	staged := make([]map[string]version, workers)
	for w := range staged {
		staged[w] = map[string]version{}
	}
	err := eventfile.ReadParallel(context.Background(), strings.NewReader(file), "f.csv", eventfile.CSV, eventfile.Options{}, workers,
		func(w int, line int64, e *kpi.Event) error {
			if v, ok := staged[w][e.ID]; !ok || v.line < line {
				c := *e
				c.Attrs = nil // this example keeps no attributes
				staged[w][e.ID] = version{line, c}
			}
			return nil
		})
	if err != nil {
		fmt.Println(err)
		return
	}
	last := map[string]version{}
	for _, m := range staged {
		for id, v := range m {
			if l, ok := last[id]; !ok || l.line < v.line {
				last[id] = v
			}
		}
	}
	for _, id := range []string{"a", "b"} {
		v := last[id]
		fmt.Println(id, "line", v.line, "deleted", v.e.Deleted, v.e.Kind)
	}
	// Output:
	// a line 4 deleted false meeting
	// b line 5 deleted true
}
