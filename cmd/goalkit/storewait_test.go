package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/nats/natstest"
	"github.com/goalkit/goalkit/scaleout"
)

// goalkit worker had no flag for the leased worker's StoreWait: a store
// held by a writer outside the leases failed the worker only after the
// library's minute. -store-wait sets it, and its default is that minute.
func TestWorkerStoreWait(t *testing.T) {
	c := natstest.Start(t, 1)
	url := c.URL() + "/waits"
	if code, _, errs := runCLI(t, "publish", "-nats", url, "-plan", quickPlan, "-events", quickEvents, "-lease-ttl", "1s"); code != 0 {
		t.Fatalf("publish: exit %d: %s", code, errs)
	}
	defer func(r func(*scaleout.Worker, context.Context) error) { workerRun = r }(workerRun)
	var got *scaleout.Worker
	workerRun = func(w *scaleout.Worker, _ context.Context) error { got = w; return nil }
	for _, tc := range []struct {
		args []string
		want time.Duration
	}{
		{[]string{"-store-wait", "1500ms"}, 1500 * time.Millisecond},
		{[]string{"-store-wait", "2h"}, 2 * time.Hour},
		{nil, time.Minute},
	} {
		got = nil
		code, _, errs := runCLI(t, append([]string{"worker", "-nats", url, "-plan", quickPlan, "-leases", "w1"}, tc.args...)...)
		if code != 0 || got == nil {
			t.Fatalf("%v: exit %d: %s", tc.args, code, errs)
		}
		if got.StoreWait != tc.want || got.Holder != "w1" {
			t.Errorf("%v: the worker's StoreWait is %v (holder %q), want %v", tc.args, got.StoreWait, got.Holder, tc.want)
		}
	}
}

// -store-wait is a positive duration, and goes with -leases.
func TestWorkerStoreWaitUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-leases", "w1", "-store-wait", "0s"}, "goalkit worker: -store-wait must be more than 0, got 0s\n"},
		{[]string{"-leases", "w1", "-store-wait", "-1m"}, "goalkit worker: -store-wait must be more than 0, got -1m0s\n"},
		{[]string{"-store-wait", "2m"}, "goalkit worker: -store-wait goes with -leases: a worker on a static share of -partitions waits for no store\n"},
	} {
		code, _, errs := runCLI(t, append([]string{"worker", "-nats", "nats://127.0.0.1:1", "-plan", quickPlan}, tc.args...)...)
		if code != 2 || errs != tc.want {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, code, errs, tc.want)
		}
	}
	_, _, help := runCLI(t, "worker", "-h")
	if want := "  -store-wait duration\n    \twith -leases, how long after this worker took a partition's lease its store may refuse a start of it: a start made later that the store refuses (in use, or fenced at its commit) fails the worker, naming the partition (a writer outside the leases holds or writes the store); give more than a worker that lost its lease takes to stop (default 1m0s)\n"; !strings.Contains(help, want) {
		t.Errorf("goalkit worker -h:\n%s\nwant:\n%s", help, want)
	}
}
