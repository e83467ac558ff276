package eventfile

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// retrying is a store that retries its transaction: it runs the function
// of each import once into nothing (a transaction rolled back), then again
// into a memory store.
type retrying struct{ s *memory.Store }

func (r retrying) Import(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
	_ = fn(func(*kpi.Event) error { return nil })
	return r.s.Import(ctx, fn)
}

func (r retrying) ImportParts(ctx context.Context, fn func(part func(n int) func(*kpi.Event) error) error) error {
	_ = fn(func(int) func(*kpi.Event) error { return func(*kpi.Event) error { return nil } })
	return r.s.ImportParts(ctx, fn)
}

func (r retrying) ImportColumns(ctx context.Context, fn func(columns func(n int, names []string) func(e *kpi.Event, values []any) error) error) error {
	_ = fn(func(int, []string) func(*kpi.Event, []any) error { return func(*kpi.Event, []any) error { return nil } })
	return r.s.ImportColumns(ctx, fn)
}

func (r retrying) ImportColumnParts(ctx context.Context, fn func(part func(n int, names []string) func(e *kpi.Event, values []any) error) error) error {
	_ = fn(func(int, []string) func(*kpi.Event, []any) error { return func(*kpi.Event, []any) error { return nil } })
	return r.s.ImportColumnParts(ctx, fn)
}

// A store that runs the function of its import twice (a transaction it
// retries) gets an error that says why, and keeps nothing, by every way
// Load fills a store: the file was read by the first run, so the second
// imported nothing of an NDJSON file and returned nil, the whole file
// dropped without a word, or failed a CSV file with "missing header row".
func TestLoadIntoStoreThatRetries(t *testing.T) {
	files := map[string]string{
		"e.csv":    "id,kind,time,actor,source\n1,call,2025-01-01T00:00:00Z,u1,web\n",
		"e.ndjson": `{"id":"1","kind":"call","time":"2025-01-01T00:00:00Z","actor":"u1","attrs":{"source":"web"}}` + "\n",
	}
	type way struct {
		name string
		load func(s *memory.Store, in, name string) error
	}
	ways := []way{
		{"Import", func(s *memory.Store, in, name string) error {
			return Load(context.Background(), StoreFunc(retrying{s}.Import), strings.NewReader(in), name, Options{})
		}},
		{"Import, parsed on 2 goroutines", func(s *memory.Store, in, name string) error {
			return load(context.Background(), StoreFunc(retrying{s}.Import), strings.NewReader(in), name, Options{}, 2, 64)
		}},
		{"ImportParts", func(s *memory.Store, in, name string) error {
			return loadParts(context.Background(), partsOnly{retrying{s}}, strings.NewReader(in), name, Options{}, 2, 64)
		}},
		{"ImportColumnParts or ImportParts", func(s *memory.Store, in, name string) error {
			return loadParts(context.Background(), retrying{s}, strings.NewReader(in), name, Options{}, 2, 64)
		}},
	}
	for _, workers := range []int{0, 2} {
		ways = append(ways, way{fmt.Sprintf("ImportColumns, parsed on %d goroutines", workers), func(s *memory.Store, in, name string) error {
			if !strings.HasSuffix(name, ".csv") {
				return Load(context.Background(), StoreFunc(retrying{s}.Import), strings.NewReader(in), name, Options{})
			}
			return loadColumns(context.Background(), retrying{s}, strings.NewReader(in), name, Options{}, workers, 64)
		}})
	}
	for name, in := range files {
		for _, w := range ways {
			s := memory.New(time.UTC)
			err := w.load(s, in, name)
			want := "eventfile.Load: " + name + ": the store ran the import's function again, but the file is read once, as it is imported: a store that retries its transaction must call Load again"
			if got := errText(err); got != want {
				t.Errorf("%s, %s: got %q, want %q", name, w.name, got, want)
			}
			if n := s.Len(); n != 0 {
				t.Errorf("%s, %s: the store kept %d events", name, w.name, n)
			}
		}
	}
}
