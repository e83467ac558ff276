package scaleout_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/scaleout"
)

// Notify without a plan, a source or a ledger fails, naming what is
// missing: without a ledger or a plan it panicked on a nil pointer, and
// without a source it judged no events and told nothing, as if nothing
// had happened.
func TestNotifyRefusesNils(t *testing.T) {
	ctx := context.Background()
	plan, src := annaCalls(t)
	at := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		call func() error
		want string
	}{
		{"plan", func() error { _, err := scaleout.Notify(ctx, nil, src, &scaleout.MemoryLedger{}, at); return err }, "scaleout.Notify: no Plan to judge"},
		{"source", func() error { _, err := scaleout.Notify(ctx, plan, nil, &scaleout.MemoryLedger{}, at); return err }, "scaleout.Notify: no Source of events to judge"},
		{"ledger", func() error { _, err := scaleout.Notify(ctx, plan, src, nil, at); return err }, "scaleout.Notify: no Ledger to record the notifications in"},
	} {
		if err := c.call(); err == nil || err.Error() != c.want {
			t.Errorf("Notify without a %s: %v, want %q", c.name, err, c.want)
		}
	}
	// With all three it tells the achievement.
	if ns, err := scaleout.Notify(ctx, plan, src, &scaleout.MemoryLedger{}, at); err != nil || len(ns) != 1 {
		t.Fatalf("Notify: %v, %v", ns, err)
	}
}
