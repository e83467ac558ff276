package enginetest_test

import (
	"errors"
	"sync/atomic"
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
)

// TestReadLoop: the readers run until stop, and stop returns a read's error.
func TestReadLoop(t *testing.T) {
	var reads atomic.Int64
	stop := enginetest.ReadLoop(3, func() error { reads.Add(1); return nil })
	for reads.Load() < 30 {
	}
	if err := stop(); err != nil {
		t.Fatalf("stop() = %v, want nil", err)
	}
	after := reads.Load()
	if reads.Load() != after {
		t.Fatal("a reader went on after stop")
	}
	bad := errors.New("bad read")
	stop = enginetest.ReadLoop(2, func() error { return bad })
	if err := stop(); err != nil && !errors.Is(err, bad) {
		t.Fatalf("stop() = %v, want nil or %v", err, bad)
	}
	var n atomic.Int64
	stop = enginetest.ReadLoop(2, func() error {
		if n.Add(1) == 5 {
			return bad
		}
		return nil
	})
	for n.Load() < 5 {
	}
	if err := stop(); !errors.Is(err, bad) {
		t.Fatalf("stop() = %v, want %v", err, bad)
	}
	// Stopped again (a deferred stop after the test's own): the same error.
	// It closed a closed channel and panicked.
	if err := stop(); !errors.Is(err, bad) {
		t.Fatalf("stop() again = %v, want %v", err, bad)
	}
}
