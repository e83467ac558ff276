package eventfile

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// show renders an event with the types of its attributes, for comparisons.
func show(e *kpi.Event) string {
	if e.Deleted {
		return fmt.Sprintf("%s deleted", e.ID)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s %s", e.ID, e.Kind, showTime(e.Time), e.Actor)
	if e.Amount.Valid {
		fmt.Fprintf(&b, " amount=%s", decimalText(e.Amount.Decimal))
	}
	if e.Currency != "" {
		fmt.Fprintf(&b, " currency=%s", e.Currency)
	}
	for _, k := range slices.Sorted(maps.Keys(e.Attrs)) {
		fmt.Fprintf(&b, " %s=%s", k, showValue2(e.Attrs[k]))
	}
	return b.String()
}

func showTime(t time.Time) string {
	_, off := t.Zone()
	return fmt.Sprintf("%s[%d]", t.UTC().Format(time.RFC3339Nano), off)
}

func showValue2(v any) string {
	switch v := v.(type) {
	case decimal.Decimal:
		return "decimal(" + decimalText(v) + ")"
	case time.Time:
		return "time(" + showTime(v) + ")"
	}
	return fmt.Sprintf("%T(%v)", v, v)
}

// readAll reads in with read and returns every event seen, "LINE: EVENT", and
// the error text. It also reads in with readParallel, in small blocks with
// 2 and 3 workers, and checks it gives the same error and, when there is none,
// the same events with the same lines.
func readAll(t *testing.T, f Format, in string, opt Options) ([]string, string) {
	t.Helper()
	var seq []string
	err := read(context.Background(), strings.NewReader(in), "f", f, opt, func(line int64, e *kpi.Event) error {
		seq = append(seq, fmt.Sprintf("%d: %s", line, show(e)))
		return nil
	})
	msg := errText(err)
	for _, workers := range []int{2, 3} {
		for _, block := range []int{16, 100} {
			par, perr := readParallelBlocks(f, in, opt, workers, block)
			if pm := errText(perr); pm != msg {
				t.Errorf("readParallel(workers %d, blocks %d) error:\n%s\nread error:\n%s", workers, block, pm, msg)
			} else if perr == nil && !slices.Equal(par, seq) {
				t.Errorf("readParallel(workers %d, blocks %d) events:\n%s\nread events:\n%s", workers, block, strings.Join(par, "\n"), strings.Join(seq, "\n"))
			}
		}
	}
	return seq, msg
}

// readParallelBlocks reads in with readParallel in blocks of block bytes and
// returns every event, "LINE: EVENT", checking that they come in file order.
func readParallelBlocks(f Format, in string, opt Options, workers, block int) ([]string, error) {
	return readParallelFrom(strings.NewReader(in), f, opt, workers, block)
}

// readParallelFrom is readParallelBlocks of the file r reads.
func readParallelFrom(r io.Reader, f Format, opt Options, workers, block int) ([]string, error) {
	var out []string
	pr := &parallelRead{r: r, name: "f", f: f, opt: opt, blockSize: block}
	last := int64(0)
	err := pr.run(context.Background(), workers, func(line int64, e *kpi.Event) error {
		if line <= last {
			return fmt.Errorf("line %d after line %d", line, last)
		}
		last = line
		out = append(out, fmt.Sprintf("%d: %s", line, show(e)))
		return nil
	})
	return out, err
}

// tb is what helpers need of a *testing.T or a *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// loadEvents loads in with Load into a store that keeps the last version of
// each id, and returns the live events sorted by id, each a copy (Attrs nil
// when empty), or the error of Load. It loads in again with no worker and
// with 1 and 3 workers in small blocks, and checks they agree.
func loadEvents(t tb, r io.Reader, name string, opt Options) ([]kpi.Event, error) {
	t.Helper()
	in, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	events, err := loadWith(bytes.NewReader(in), name, opt, -1)
	for _, workers := range []int{0, 1, 3} {
		ev, werr := loadWith(bytes.NewReader(in), name, opt, workers)
		if errText(werr) != errText(err) {
			t.Fatalf("%d workers: error %v, want %v", workers, werr, err)
		}
		var got, want []string
		for i := range ev {
			got = append(got, show(&ev[i]))
		}
		for i := range events {
			want = append(want, show(&events[i]))
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%d workers: got\n%s\nwant\n%s", workers, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	sameInBatches(t, in, name, opt)
	return events, err
}

// sameInBatches checks that loading in into a memory store in parts (1 and
// 3 workers, blocks of 64 bytes, so many parts), by position (a
// ColumnPartStore, for CSV) and as events (a PartStore alone), and, for
// CSV, by position in order (a ColumnStore: no worker, 1 and 3 workers)
// and coded into an empty memory store's table (1 and 3 workers), gives the store and the error loading it one version at a time gives.
func sameInBatches(t tb, in []byte, name string, opt Options) {
	t.Helper()
	sameInto(t, in, name, opt, func() *memory.Store { return memory.New(time.UTC) })
}

// sameInto is sameInBatches into the stores fresh makes, all alike (empty,
// or holding the same events: then no store is filled by codes).
func sameInto(t tb, in []byte, name string, opt Options, fresh func() *memory.Store) {
	t.Helper()
	sameIntoBy(t, in, name, opt, fresh, show)
}

// sameIntoBy is sameInto with the stores' events rendered by render.
func sameIntoBy(t tb, in []byte, name string, opt Options, fresh func() *memory.Store, render func(*kpi.Event) string) {
	t.Helper()
	ctx := context.Background()
	one := fresh()
	err := load(ctx, StoreFunc(one.Import), bytes.NewReader(in), name, opt, 0, 64)
	want := storeEventsBy(t, one, render)
	check := func(how string, s *memory.Store, gerr error) {
		t.Helper()
		if errText(gerr) != errText(err) {
			t.Fatalf("%s: error %v, want %v", how, gerr, err)
		}
		if got := storeEventsBy(t, s, render); !slices.Equal(got, want) {
			t.Fatalf("%s: got\n%s\nwant\n%s", how, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	for _, workers := range []int{1, 3} {
		for _, columns := range []bool{true, false} {
			s := fresh()
			var dst PartStore = s
			if !columns {
				dst = partsOnly{s}
			}
			berr := loadParts(ctx, dst, bytes.NewReader(in), name, opt, workers, 64)
			check(fmt.Sprintf("in parts (by position %v), %d workers", columns, workers), s, berr)
		}
	}
	if f, ferr := loadFormat(name, opt); ferr != nil || f != CSV {
		return
	}
	for _, workers := range []int{0, 1, 3} {
		s := fresh()
		cerr := loadColumns(ctx, s, bytes.NewReader(in), name, opt, workers, 64)
		check(fmt.Sprintf("by position in order, %d workers", workers), s, cerr)
	}
	if one := fresh(); one.Len() != 0 {
		return // a store that holds events is not filled by codes
	}
	for _, workers := range []int{1, 3} {
		s := fresh()
		done, cerr := loadCoded(ctx, s, bytes.NewReader(in), name, opt, workers, 64)
		if !done {
			t.Fatalf("coded, %d workers: an empty memory store was not filled", workers)
		}
		check(fmt.Sprintf("coded, %d workers", workers), s, cerr)
	}
}

// partsOnly is a PartStore (a memory store) as one that takes no columns.
type partsOnly struct{ s PartStore }

func (p partsOnly) Import(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
	return p.s.Import(ctx, fn)
}

func (p partsOnly) ImportParts(ctx context.Context, fn func(part func(n int) func(*kpi.Event) error) error) error {
	return p.s.ImportParts(ctx, fn)
}

var (
	_ ColumnPartStore = (*memory.Store)(nil)
	_ ColumnStore     = (*memory.Store)(nil)
)

// storeEvents renders the live events of a store, sorted.
func storeEvents(t tb, s *memory.Store) []string { return storeEventsBy(t, s, show) }

// storeEventsBy renders the live events of a store with render, sorted.
func storeEventsBy(t tb, s *memory.Store, render func(*kpi.Event) string) []string {
	var out []string
	err := s.Scan(context.Background(), kpi.Query{}, func(e *kpi.Event) error {
		out = append(out, render(e))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// loadWith is loadEvents with workers parsing in blocks of 64 bytes, or with
// Load when workers is -1.
func loadWith(r io.Reader, name string, opt Options, workers int) ([]kpi.Event, error) {
	var live []kpi.Event
	st := StoreFunc(func(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
		var events []kpi.Event
		index := make(map[string]int)
		err := fn(func(e *kpi.Event) error {
			i, ok := index[e.ID]
			switch {
			case e.Deleted:
				if ok {
					events[i] = kpi.Event{ID: e.ID, Deleted: true}
				}
			case ok:
				events[i] = copyEvent(e)
			default:
				index[e.ID] = len(events)
				events = append(events, copyEvent(e))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, e := range events {
			if !e.Deleted {
				live = append(live, e)
			}
		}
		sort.Slice(live, func(i, j int) bool { return live[i].ID < live[j].ID })
		return nil
	})
	var err error
	if workers < 0 {
		err = Load(context.Background(), st, r, name, opt)
	} else {
		err = load(context.Background(), st, r, name, opt, workers, 64)
	}
	if err != nil {
		return nil, err
	}
	return live, nil
}

// copyEvent copies an event handed to add: its Attrs map is the reader's.
func copyEvent(e *kpi.Event) kpi.Event {
	c := *e
	c.Attrs = nil
	if len(e.Attrs) > 0 {
		c.Attrs = maps.Clone(e.Attrs)
	}
	return c
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// ndjson joins lines into a file.
func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

var _ = bytes.NewReader
