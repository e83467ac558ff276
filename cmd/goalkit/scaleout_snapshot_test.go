package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/nats/natstest"
	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
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
	committed, held := stateStream(t, c.URL(), "snaps")
	if committed < 4 || held != committed {
		t.Fatalf("without snapshots: %d batches committed, %d held; want at least 4, all held", committed, held)
	}
	worker()
	if _, held := stateStream(t, c.URL(), "snaps"); held != 2 {
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

// stateStream returns how many batches were committed to a tenant's state
// stream and how many it holds.
func stateStream(t *testing.T, url, tenant string) (committed, held uint64) {
	t.Helper()
	nc, err := natsgo.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	s, err := js.Stream(context.Background(), fmt.Sprintf("GOALKIT_%s_STATE", tenant))
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.LastSeq, info.State.Msgs
}
