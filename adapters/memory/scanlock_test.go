package memory_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// Scan reads the store as it was when the scan began: a write on another
// goroutine waits until Scan returns, and then goes through. A scan's
// function changes the store as the docs say, by keeping what it found
// and applying after Scan returns (a call into the store from the
// function would hang).
func TestScanHoldsWritersOff(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	s := memory.New(time.UTC)
	if err := s.Apply(
		kpi.Event{ID: "a", Kind: "call", Time: at, Actor: "ann"},
		kpi.Event{ID: "b", Kind: "call", Time: at, Actor: "bob"},
		kpi.Event{ID: "c", Kind: "call", Time: at, Actor: "ann"},
	); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	var ann []string
	seen := 0
	err := s.Scan(ctx, kpi.Query{}, func(e *kpi.Event) error {
		if seen == 0 {
			go func() { done <- s.Apply(kpi.Event{ID: "d", Kind: "call", Time: at, Actor: "ann"}) }()
		}
		seen++
		select {
		case err := <-done:
			t.Errorf("a write went through during a scan (error %v)", err)
		case <-time.After(20 * time.Millisecond):
		}
		if e.Actor == "ann" {
			ann = append(ann, e.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != 3 {
		t.Errorf("the scan saw %d events, want the 3 it began with", seen)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// What the scan kept is applied after it.
	for _, id := range ann {
		if err := s.Apply(kpi.Event{ID: id, Deleted: true}); err != nil {
			t.Fatal(err)
		}
	}
	if len(ann) != 2 || s.Len() != 2 {
		t.Errorf("ann's events %v, %d left, want 2 and 2 (b and d)", ann, s.Len())
	}
	if _, ok := s.Get("d"); !ok {
		t.Error("the write that waited for the scan is not there")
	}
}
