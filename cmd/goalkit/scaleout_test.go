package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/nats/natstest"
)

// publish, two workers and eval -source nats:// give the report eval gives
// over the event file: for a plan of indicators (merged parts) and for a
// plan of goals and cascades (the stream's current events).
func TestPublishWorkerEval(t *testing.T) {
	c := natstest.Start(t, 1)
	for _, tc := range []struct {
		tenant, plan, events string
		extra                []string
	}{
		{"quick", quickPlan, quickEvents, nil},
		{"split", filepath.Join("testdata", "split.yaml"), filepath.Join("testdata", "split-history.ndjson"),
			[]string{"-directory", filepath.Join("testdata", "split-directory.json")}},
	} {
		t.Run(tc.tenant, func(t *testing.T) {
			url := c.URL() + "/" + tc.tenant
			n := versions(t, tc.events)
			said := func(added, dups int) string {
				return fmt.Sprintf("published %d event versions from %s to tenant %s (4 partitions): %d new, %d already in the stream (dropped as duplicates within its duplicate window)\n",
					n, tc.events, tc.tenant, added, dups)
			}
			code, out, errs := runCLI(t, "publish", "-nats", url, "-plan", tc.plan, "-events", tc.events, "-stream-partitions", "4")
			if want := said(n, 0); code != 0 || out != want {
				t.Fatalf("publish: exit %d, %q, %s\nwant %q", code, out, errs, want)
			}
			// Again: the server drops the second publish of the same file,
			// and the command says so.
			code, out, errs = runCLI(t, "publish", "-nats", url, "-plan", tc.plan, "-events", tc.events)
			if want := said(0, n); code != 0 || out != want {
				t.Fatalf("publish again: exit %d, %q, %s\nwant %q", code, out, errs, want)
			}
			var wg sync.WaitGroup
			for _, share := range []string{"0/2", "1/2"} {
				wg.Go(func() {
					args := append([]string{"worker", "-nats", url, "-plan", tc.plan, "-partitions", share, "-drain"}, tc.extra...)
					if code, _, errs := runCLI(t, args...); code != 0 {
						t.Errorf("worker %s: exit %d: %s", share, code, errs)
					}
				})
			}
			wg.Wait()
			evalArgs := append([]string{"eval", "-plan", tc.plan, "-as-of", asOf, "-format", "table"}, tc.extra...)
			code, got, errs := runCLI(t, append(evalArgs, "-source", url)...)
			if code != 0 {
				t.Fatalf("eval -source: exit %d: %s", code, errs)
			}
			code, want, errs := runCLI(t, append(evalArgs, "-events", tc.events)...)
			if code != 0 {
				t.Fatalf("eval -events: exit %d: %s", code, errs)
			}
			if got != want || len(want) < 100 {
				t.Fatalf("eval -source nats:// differs from eval -events:\n%s\nwant\n%s", got, want)
			}
		})
	}
}

// versions counts the event versions of an NDJSON file: one a line.
func versions(t *testing.T, path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for line := range strings.Lines(string(data)) {
		if strings.TrimSpace(line) != "" {
			n++
		}
	}
	return n
}

func TestNATSErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"worker", "-nats", "nats://u:secret@127.0.0.1:1/t", "-plan", quickPlan}, "goalkit worker: connect to NATS: nats: no servers available for connection\n"},
		{[]string{"worker", "-nats", "nats://127.0.0.1:1/a.b", "-plan", quickPlan}, "goalkit worker: tenant \"a.b\": want 1 to 64 letters, digits, '-' or '_'\n"},
		{[]string{"worker", "-nats", "nats://127.0.0.1:1", "-plan", quickPlan, "-partitions", "2/2"}, "goalkit worker: -partitions: partitions \"2/2\": want i/n with 0 ≤ i < n\n"},
		{[]string{"eval", "-plan", quickPlan, "-source", "nats://127.0.0.1:1/x/y", "-mapping", "m.yaml"}, "goalkit eval: -mapping does not apply to a nats:// source\n"},
		{[]string{"publish", "-nats", "http://127.0.0.1:1", "-plan", quickPlan, "-events", quickEvents}, "goalkit publish: NATS URL 1 of 1: want nats://HOST:PORT\n"},
	} {
		code, _, errs := runCLI(t, tc.args...)
		if code == 0 || !strings.HasSuffix(errs, tc.want) || strings.Contains(errs, "secret") {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, code, errs, tc.want)
		}
	}
}

// A worker whose share of a tenant's partitions is none (more workers
// than partitions) fails, saying how many may share them; it stopped at
// once as if done, and its partitions' events were never read.
func TestWorkerOwnsNoPartition(t *testing.T) {
	c := natstest.Start(t, 1)
	url := c.URL() + "/few"
	if code, _, errs := runCLI(t, "publish", "-nats", url, "-plan", quickPlan, "-events", quickEvents, "-stream-partitions", "3"); code != 0 {
		t.Fatalf("publish: exit %d: %s", code, errs)
	}
	code, out, errs := runCLI(t, "worker", "-nats", url, "-plan", quickPlan, "-partitions", "5/10", "-drain")
	want := "goalkit worker: worker 5/10 owns no partition: tenant few has 3, so at most 3 workers share it (-partitions i/3)\n"
	if code != 1 || out != "" || !strings.HasSuffix(errs, want) {
		t.Fatalf("exit %d, stdout %q, stderr %q; want %q", code, out, errs, want)
	}
	if code, _, errs := runCLI(t, "worker", "-nats", url, "-plan", quickPlan, "-partitions", "2/10", "-drain"); code != 0 {
		t.Fatalf("worker 2/10 of 3 partitions: exit %d: %s", code, errs)
	}
}

func TestWorkerLeasesNotWithDrain(t *testing.T) {
	code, _, errs := runCLI(t, "worker", "-nats", "nats://127.0.0.1:1", "-plan", quickPlan, "-leases", "w1", "-drain")
	if code != 2 || !strings.HasSuffix(errs, "-leases and -drain exclude each other\n") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}

// goalkit worker -leases runs until stopped; the merged state catches up.
func TestWorkerWithLeases(t *testing.T) {
	c := natstest.Start(t, 1)
	url := c.URL() + "/leased"
	if code, _, errs := runCLI(t, "publish", "-nats", url, "-plan", quickPlan, "-events", quickEvents, "-lease-ttl", "1s"); code != 0 {
		t.Fatalf("publish: exit %d: %s", code, errs)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var errb bytes.Buffer // the worker's, read once it is done
	go func() {
		var out bytes.Buffer
		done <- run(ctx, []string{"worker", "-nats", url, "-plan", quickPlan, "-leases", "w1"}, &out, &errb)
	}()
	_, want, _ := runCLI(t, "eval", "-plan", quickPlan, "-events", quickEvents, "-as-of", asOf)
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, got, _ := runCLI(t, "eval", "-plan", quickPlan, "-source", url, "-as-of", asOf)
		if code == 0 && got == want {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("eval -source never matched eval -events:\n%s", got)
		}
		time.Sleep(100 * time.Millisecond)
	}
	stop()
	if code := <-done; code != 0 {
		t.Fatalf("worker exit %d", code)
	}
	// The worker says the name its leases hold, the one given with this
	// process's token, which an operator matches with the lease store.
	if !strings.Contains(errb.String(), "leases of partitions [0 1 2], held as w1#") {
		t.Errorf("the worker's start line does not say what its leases hold:\n%s", errb.String())
	}
}

// publish gives a tenant made before snapshots existed its snapshots
// bucket (docs/scale-out.md), keeps its partitions, and still refuses
// another count of them.
func TestPublishAddsTheSnapshotsBucket(t *testing.T) {
	c := natstest.Start(t, 1)
	url := c.URL() + "/old"
	if code, _, errs := runCLI(t, "publish", "-nats", url, "-plan", quickPlan, "-events", quickEvents, "-stream-partitions", "3"); code != 0 {
		t.Fatalf("publish: exit %d: %s", code, errs)
	}
	js := c.JetStream(t)
	if err := js.DeleteObjectStore(t.Context(), "goalkit_old_snapshots"); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "publish", "-nats", url, "-plan", quickPlan, "-events", quickEvents)
	if code != 0 || !strings.Contains(out, " to tenant old (3 partitions): ") {
		t.Fatalf("publish again: exit %d, %q, %s", code, out, errs)
	}
	if _, err := js.ObjectStore(t.Context(), "goalkit_old_snapshots"); err != nil {
		t.Fatalf("the snapshots bucket after publish: %v", err)
	}
	code, _, errs = runCLI(t, "publish", "-nats", url, "-plan", quickPlan, "-events", quickEvents, "-stream-partitions", "5")
	if code == 0 || !strings.Contains(errs, "tenant old has 3 partitions, not 5") {
		t.Errorf("another count of partitions: exit %d, %s", code, errs)
	}
}
