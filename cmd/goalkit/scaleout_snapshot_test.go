package main

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/nats/natstest"
)

// goalkit worker -snapshot-every 0 keeps every batch in the state stream;
// a worker with the default snapshots each partition at the end of its
// drain and prunes what the snapshot covers, and the merged report stays
// the one eval gives over the file.
func TestWorkerSnapshots(t *testing.T) {
	c := natstest.Start(t, 1)
	url := c.URL() + "/snaps"
	if code, _, errs := runCLI(t, "publish", "-nats", url, "-plan", quickPlan, "-events", quickEvents, "-stream-partitions", "2"); code != 0 {
		t.Fatalf("publish: exit %d: %s", code, errs)
	}
	worker := func(extra ...string) {
		t.Helper()
		args := append([]string{"worker", "-nats", url, "-plan", quickPlan, "-drain", "-batch", "2"}, extra...)
		if code, _, errs := runCLI(t, args...); code != 0 {
			t.Fatalf("worker %v: exit %d: %s", extra, code, errs)
		}
	}
	worker("-snapshot-every", "0")
	committed, held := c.StreamState(t, "GOALKIT_snaps_STATE")
	if committed < 4 || held != committed {
		t.Fatalf("without snapshots: %d batches committed, %d held; want at least 4, all held", committed, held)
	}
	worker()
	if _, held := c.StreamState(t, "GOALKIT_snaps_STATE"); held != 2 {
		t.Fatalf("after a worker with snapshots the state stream holds %d batches, want one a partition", held)
	}
	evalArgs := []string{"eval", "-plan", quickPlan, "-as-of", asOf, "-format", "table"}
	code, got, errs := runCLI(t, append(evalArgs, "-source", url)...)
	if code != 0 {
		t.Fatalf("eval -source: exit %d: %s", code, errs)
	}
	_, want, _ := runCLI(t, append(evalArgs, "-events", quickEvents)...)
	if got != want || len(want) < 100 {
		t.Fatalf("eval -source nats:// differs from eval -events:\n%s\nwant\n%s", got, want)
	}
	if code, _, errs := runCLI(t, "worker", "-nats", url, "-plan", quickPlan, "-snapshot-every", "-1s"); code != 2 || !strings.Contains(errs, "-snapshot-every: -1s is negative (0: never)") {
		t.Fatalf("a negative -snapshot-every: exit %d: %s", code, errs)
	}
}
