package memory_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// kindEvent is a version of id of kind k<i>, at one instant for every
// event of these tests.
func kindEvent(id string, i int) kpi.Event {
	return kpi.Event{ID: id, Kind: fmt.Sprint("k", i), Time: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Actor: "u"}
}

// oneKindStore is a store that holds one event, of kind k0: a batch of
// the kinds k1 to k65534 is one kind too many.
func oneKindStore(t *testing.T) *memory.Store {
	t.Helper()
	s := memory.New(time.UTC)
	if err := s.Apply(kindEvent("first", 0)); err != nil {
		t.Fatal(err)
	}
	return s
}

// notPanicking runs f, failing the test, named by what, if f panics.
func notPanicking(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s panicked: %v", what, r)
		}
	}()
	f()
}

// Apply promises a batch whole or not at all, an invalid one refused with
// an error. A batch that takes the store past its event kinds (65,534:
// the table codes a kind in 16 bits) passed Event.Validate and CheckNames
// and then failed in the table's Apply, which Apply took for a bug: it
// panicked with the versions before it applied. It must refuse the batch,
// naming the first version past the limit, and keep nothing of it; a batch
// that reaches the limit exactly is applied.
func TestApplyPastTheEventKindsRefusesTheBatch(t *testing.T) {
	s := oneKindStore(t)
	batch := func(kinds int) []kpi.Event {
		var evs []kpi.Event
		for i := 1; i <= kinds; i++ {
			evs = append(evs, kindEvent(fmt.Sprint("e", i), i), kindEvent(fmt.Sprint("again", i), 0))
		}
		return evs
	}
	notPanicking(t, "Apply past the kinds", func() {
		err := s.Apply(batch(1<<16 - 2)...) // one kind too many with k0
		if err == nil || !strings.Contains(err.Error(), `event "e65534": too many event kinds (at most 65534)`) {
			t.Errorf("Apply past the kinds: %v, want the refusal of e65534", err)
		}
	})
	if n := s.Len(); n != 1 {
		t.Fatalf("a refused batch left %d events, want the 1 before it", n)
	}
	if err := s.Apply(batch(1<<16 - 3)...); err != nil {
		t.Fatalf("Apply up to the kinds: %v", err)
	}
	if n := s.Len(); n != 1+2*(1<<16-3) {
		t.Fatalf("%d events, want %d", n, 1+2*(1<<16-3))
	}
}

// Import into a store that holds events stages the versions, checked as
// they come (kpi.Table.Import), and applies them once fn returns: a
// version of a kind past the store's kinds passed those checks and made
// the staged apply panic ("event validated but not applied") with the
// versions before it applied. Import must refuse it with add's error and
// keep nothing of what fn added.
func TestImportPastTheEventKindsRefuses(t *testing.T) {
	s := oneKindStore(t)
	var err error
	notPanicking(t, "Import past the kinds", func() {
		err = s.Import(context.Background(), func(add func(*kpi.Event) error) error {
			for i := 1; i <= 1<<16-2; i++ {
				e := kindEvent(fmt.Sprint("e", i), i)
				if err := add(&e); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err == nil || !strings.Contains(err.Error(), `event "e65534": too many event kinds (at most 65534)`) {
		t.Errorf("Import past the kinds: %v, want the refusal of e65534", err)
	}
	if n := s.Len(); n != 1 {
		t.Fatalf("a refused import left %d events, want the 1 before it", n)
	}
}

// ImportParts refuses parts that together pass the store's event kinds
// whole, with Import's error for the first version past the limit in the
// order of the parts: part 0 holds the odd kinds, part 1 the even ones, so
// that e65534 (part 1's last) is the one past it.
func TestImportPartsPastTheEventKindsRefusesWhole(t *testing.T) {
	s := oneKindStore(t)
	err := s.ImportParts(context.Background(), func(part func(int) func(*kpi.Event) error) error {
		for p := range 2 {
			add := part(0)
			for i := 1 + p; i <= 1<<16-2; i += 2 {
				e := kindEvent(fmt.Sprint("e", i), i)
				if err := add(&e); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err == nil || err.Error() != `event "e65534": too many event kinds (at most 65534)` {
		t.Errorf("ImportParts past the kinds: %v", err)
	}
	if s.Len() != 1 {
		t.Errorf("a refused import left %d events", s.Len())
	}
}
