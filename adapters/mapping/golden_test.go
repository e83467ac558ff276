package mapping

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/internal/golden"
	"github.com/goalkit/goalkit/kpi"
)

// dealsAttrs orders the attributes of the deals' events in event files.
var dealsAttrs = []string{"product", "account"}

// recordingStore is a memory.Store that also records the versions of its
// last good Import.
type recordingStore struct {
	*memory.Store
	last []kpi.Event
}

func (s *recordingStore) Import(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
	var seen []kpi.Event
	err := s.Store.Import(ctx, func(add func(*kpi.Event) error) error {
		return fn(func(e *kpi.Event) error {
			seen = append(seen, e.Clone())
			return add(e)
		})
	})
	if err == nil {
		s.last = seen
	}
	return err
}

// The deals table loads to its golden versions; the changed table, loaded
// completely over it, gives its golden corrections and retractions, and
// the store then holds what a fresh load of the changed table gives.
func TestGolden(t *testing.T) {
	m := compileFile(t, "deals.yaml")
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	store := &recordingStore{Store: memory.New(ny)}
	load := func(name string, opt Options) {
		t.Helper()
		if err := m.LoadCSV(context.Background(), store, strings.NewReader(readTestdata(t, name)), name, opt); err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("testdata", name+".golden"), ndjson(t, store.last, dealsAttrs...), *update)
	}
	load("deals.csv", Options{})
	golden.Check(t, filepath.Join("testdata", "deals.events.golden"), ndjson(t, adaptertest.Events(t, store), dealsAttrs...), *update)
	load("deals-changed.csv", Options{Complete: true})

	fresh := memory.New(ny)
	if err := m.LoadCSV(context.Background(), fresh, strings.NewReader(readTestdata(t, "deals-changed.csv")), "deals-changed.csv", Options{}); err != nil {
		t.Fatal(err)
	}
	got, want := ndjson(t, adaptertest.Events(t, store), dealsAttrs...), ndjson(t, adaptertest.Events(t, fresh), dealsAttrs...)
	if string(got) != string(want) {
		t.Fatalf("re-import:\n%s\nfresh import:\n%s", got, want)
	}

	t.Run("bad", func(t *testing.T) {
		err := m.LoadCSV(context.Background(), store, strings.NewReader(readTestdata(t, "bad-deals.csv")), "bad-deals.csv", Options{})
		golden.Check(t, filepath.Join("testdata", "bad-deals.csv.golden"), []byte(err.Error()+"\n"), *update)
		if after := ndjson(t, adaptertest.Events(t, store), dealsAttrs...); string(after) != string(want) {
			t.Fatal("a bad table changed the store")
		}
	})
}
