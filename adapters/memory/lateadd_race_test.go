package memory_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// Import's add called on a goroutine the import's function did not wait
// for, as the function returns, either ends before the import does or is
// refused, under the race detector too. The flag that says the function
// returned was a plain bool, written as the function returned and read by
// the other goroutine without a lock, so the add could pass it and write
// into the table while the import ended.
func TestLateAddOnAnotherGoroutine(t *testing.T) {
	ctx := context.Background()
	for range 20 {
		s := memory.New(time.UTC)
		done := make(chan int)
		err := s.Import(ctx, func(add func(*kpi.Event) error) error {
			go func() {
				n := 0
				for ; ; n++ {
					e := &kpi.Event{ID: "e" + strconv.Itoa(n), Kind: "call", Time: time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC), Actor: "ann"}
					if err := add(e); err != nil {
						if !errors.Is(err, memory.ErrImportEnded) {
							t.Errorf("late add: %v", err)
						}
						break
					}
				}
				done <- n
			}()
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		<-done
		readsBackWhole(t, s)
	}
}

// The imports in parts do as Import does: an add on a goroutine the
// function did not wait for either ends before the import does or is
// refused, under the race detector too. Their flags were plain bools,
// written as the function returned and read by the add without a lock,
// so the add could pass them and write into a part's chunk as the parts
// were merged, into the store's table as the import ended, or into the
// chunk of the worker's next part (ImportParallel).
func TestLateAddOnAnotherGoroutineInParts(t *testing.T) {
	ctx := context.Background()
	ev := func(n int) *kpi.Event {
		return &kpi.Event{ID: "e" + strconv.Itoa(n), Kind: "call", Time: time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC), Actor: "ann"}
	}
	// loop adds versions on a goroutine of its own until add refuses one,
	// and sends on done how many it added.
	loop := func(add func(*kpi.Event) error, done chan<- int) {
		go func() {
			n := 0
			for ; ; n++ {
				if err := add(ev(n)); err != nil {
					if !errors.Is(err, memory.ErrImportEnded) {
						t.Errorf("late add: %v", err)
					}
					break
				}
			}
			done <- n
		}()
	}
	byPosition := func(add func(*kpi.Event, []any) error) func(*kpi.Event) error {
		return func(e *kpi.Event) error { return add(e, []any{int64(1)}) }
	}
	imports := []struct {
		name string
		run  func(s *memory.Store, done chan<- int) error
	}{
		{"ImportParts", func(s *memory.Store, done chan<- int) error {
			return s.ImportParts(ctx, func(part func(int) func(*kpi.Event) error) error {
				loop(part(0), done)
				return nil
			})
		}},
		{"ImportColumnParts", func(s *memory.Store, done chan<- int) error {
			return s.ImportColumnParts(ctx, func(part func(int, []string) func(*kpi.Event, []any) error) error {
				loop(byPosition(part(0, []string{"n"})), done)
				return nil
			})
		}},
		{"ImportColumns", func(s *memory.Store, done chan<- int) error {
			return s.ImportColumns(ctx, func(columns func(int, []string) func(*kpi.Event, []any) error) error {
				loop(byPosition(columns(0, []string{"n"})), done)
				return nil
			})
		}},
		{"ImportParallel", func(s *memory.Store, done chan<- int) error {
			return s.ImportParallel(ctx, 1, 0, func(_ int, add func(*kpi.Event) error) error {
				loop(add, done)
				return nil
			})
		}},
	}
	for _, im := range imports {
		for _, held := range []bool{false, true} {
			name := im.name + "/empty"
			if held {
				name = im.name + "/holding"
			}
			t.Run(name, func(t *testing.T) {
				for range 20 {
					s := memory.New(time.UTC)
					if held {
						if err := s.Apply(kpi.Event{ID: "before", Kind: "call", Time: time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC), Actor: "ann"}); err != nil {
							t.Fatal(err)
						}
					}
					done := make(chan int, 1)
					if err := im.run(s, done); err != nil {
						t.Fatal(err)
					}
					<-done
					readsBackWhole(t, s)
				}
			})
		}
	}
}

// readsBackWhole checks that whatever s kept is in it whole: a scan reads
// back as many events as it holds.
func readsBackWhole(t *testing.T, s *memory.Store) {
	t.Helper()
	n := 0
	if err := s.Scan(context.Background(), kpi.Query{}, func(*kpi.Event) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	if n != s.Len() {
		t.Fatalf("scanned %d events, Len %d", n, s.Len())
	}
}
