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
		// Whatever was kept is in the store whole: it reads back.
		n := 0
		if err := s.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		if n != s.Len() {
			t.Fatalf("scanned %d events, Len %d", n, s.Len())
		}
	}
}
