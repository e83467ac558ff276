package memory_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func ev(id, kind, actor string, at time.Time) kpi.Event {
	return kpi.Event{ID: id, Kind: kind, Actor: actor, Time: at}
}

func scanAll(t *testing.T, s *memory.Store, q kpi.Query) map[string]kpi.Event {
	t.Helper()
	out := map[string]kpi.Event{}
	err := s.Scan(context.Background(), q, func(e *kpi.Event) error {
		if _, dup := out[e.ID]; dup {
			t.Fatalf("event %s scanned twice", e.ID)
		}
		out[e.ID] = e.Clone()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCorrectionsRetractionsDuplicates(t *testing.T) {
	s := memory.New(time.UTC)
	won := ev("d1", "deal.won", "ann", t0)
	won.Amount = decimal.NewNullDecimal(decimal.RequireFromString("1500.00"))
	won.Currency = "RUB"
	won.Attrs = map[string]any{"source": "web", "pipeline": int64(2)}
	edited := won.Clone()
	edited.Amount = decimal.NewNullDecimal(decimal.RequireFromString("1750.50"))
	edited.Kind = "deal.lost"
	if err := s.Apply(won, won, ev("c1", "call", "bob", t0), edited, kpi.Event{ID: "c1", Deleted: true}, kpi.Event{ID: "never", Deleted: true}); err != nil {
		t.Fatal(err)
	}
	if n := s.Len(); n != 1 {
		t.Fatalf("Len = %d, want 1", n)
	}
	got, ok := s.Get("d1")
	if !ok || got.Kind != "deal.lost" || got.Amount.Decimal.String() != "1750.5" || got.Attrs["source"] != "web" || got.Attrs["pipeline"] != int64(2) {
		t.Fatalf("Get(d1) = %+v", got)
	}
	if _, ok := s.Get("c1"); ok {
		t.Fatal("retracted c1 is still there")
	}
	// A later line brings a retracted event back.
	if err := s.Apply(ev("c1", "call", "bob", t0.Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	all := scanAll(t, s, kpi.Query{})
	if len(all) != 2 || !all["c1"].Time.Equal(t0.Add(time.Hour)) {
		t.Fatalf("scan = %v", all)
	}
	if k := scanAll(t, s, kpi.Query{Kinds: []string{"deal.won"}}); len(k) != 0 {
		t.Fatalf("a corrected kind is still scanned under its old kind: %v", k)
	}
	if r := scanAll(t, s, kpi.Query{From: t0.Add(time.Minute), To: t0.Add(2 * time.Hour)}); len(r) != 1 || r["c1"].ID != "c1" {
		t.Fatalf("range scan = %v", r)
	}
}

func TestApplyIsAllOrNothing(t *testing.T) {
	s := memory.New(time.UTC)
	bad := ev("x", "call", "ann", t0)
	bad.Attrs = map[string]any{"weight": 1.5} // float64 is not an attribute type
	cases := map[string][]kpi.Event{
		"bad attribute": {ev("a", "call", "ann", t0), bad},
		"no id":         {ev("a", "call", "ann", t0), ev("", "call", "ann", t0)},
		"no kind":       {ev("a", "call", "ann", t0), ev("b", "", "ann", t0)},
		"no time":       {ev("a", "call", "ann", t0), ev("b", "call", "ann", time.Time{})},
	}
	for name, batch := range cases {
		if err := s.Apply(batch...); err == nil {
			t.Errorf("%s: no error", name)
		}
		if s.Len() != 0 {
			t.Fatalf("%s: %d events applied from a bad batch", name, s.Len())
		}
	}
	err := s.Apply(bad)
	if err == nil || err.Error() != `event 0: event "x": attribute "weight": unsupported value of type float64 (want string, int64, decimal.Decimal, bool or time.Time)` {
		t.Fatalf("error = %v", err)
	}
}

func TestScanStopsOnErrorAndCancel(t *testing.T) {
	s := memory.New(time.UTC)
	for i := range 10 {
		if err := s.Apply(ev(string(rune('a'+i)), "call", "ann", t0)); err != nil {
			t.Fatal(err)
		}
	}
	stop := errors.New("stop")
	n := 0
	err := s.Scan(context.Background(), kpi.Query{}, func(*kpi.Event) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Fatalf("err = %v after %d events", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestConcurrentApplyAndEvaluate runs writers and readers at once; go test
// -race checks the locking.
func TestConcurrentApplyAndEvaluate(t *testing.T) {
	s := memory.New(time.UTC)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 200 {
				e := ev(string(rune('A'+w))+string(rune('a'+i%26)), "call", "ann", t0.Add(time.Duration(i)*time.Minute))
				if err := s.Apply(e); err != nil {
					t.Error(err)
					return
				}
			}
		})
		wg.Go(func() {
			for range 50 {
				_ = s.Scan(context.Background(), kpi.Query{}, func(*kpi.Event) error { return nil })
				_ = s.Len()
			}
		})
	}
	wg.Wait()
	if n := s.Len(); n != 4*26 {
		t.Fatalf("Len = %d, want %d", n, 4*26)
	}
}

// A batch whose events together bring more than kpi.MaxAttrNames names is
// refused whole.
func TestApplyTooManyNames(t *testing.T) {
	s := memory.New(nil)
	var batch []kpi.Event
	for i := range kpi.MaxAttrNames + 1 {
		batch = append(batch, kpi.Event{ID: fmt.Sprint(i), Kind: "deal", Time: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC),
			Actor: "u", Attrs: map[string]any{fmt.Sprintf("n%d", i): "v"}})
	}
	if err := s.Apply(batch...); err == nil || !strings.Contains(err.Error(), "too many distinct attribute names") {
		t.Fatalf("got %v", err)
	}
	if s.Len() != 0 {
		t.Errorf("the store kept %d events", s.Len())
	}
}
