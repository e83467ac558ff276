package memory_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// A count of parts below zero is an error naming it, and the store is left
// as it was; zero parts import nothing.
func TestImportParallelCountsParts(t *testing.T) {
	ctx := context.Background()
	s := memory.New(time.UTC)
	called := false
	fn := func(int, func(*kpi.Event) error) error { called = true; return nil }
	if err := s.ImportParallel(ctx, -1, 0, fn); err == nil || !strings.Contains(err.Error(), "-1 parts") {
		t.Errorf("ImportParallel of -1 parts: %v, want an error naming the count", err)
	}
	if err := s.ImportParallel(ctx, 0, 0, fn); err != nil {
		t.Errorf("ImportParallel of no parts: %v", err)
	}
	if called {
		t.Error("fn was called for a count of parts of zero or below")
	}
}
