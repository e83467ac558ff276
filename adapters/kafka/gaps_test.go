package kafka_test

import (
	"context"
	"testing"
	"time"

	gkkafka "github.com/goalkit/goalkit/adapters/kafka"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
)

// A partition whose records compaction removed from its middle (turned on
// by an operator after the tenant was opened) fails the cursor at the gap,
// naming the partition and the offsets gone, once the records before it
// are returned; every later call fails alike. The cursor read on over the
// gap without a word, and the report missed the events removed.
func TestCursorFailsAtRecordsGone(t *testing.T) {
	c, opts := oneBroker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tn := create(t, opts, "compacted", 1)
	topic := gkkafka.Topic("compacted")
	alterTopic(ctx, t, opts, topic, map[string]string{"cleanup.policy": "compact"})
	// One batch each: b@1, a@2, a@3 (a's later version), c@4, d@5.
	for _, r := range []struct{ key, data string }{{"b", "b"}, {"a", "a1"}, {"a", "a2"}, {"c", "c"}, {"d", "d"}} {
		if err := tn.Append(ctx, []scaleout.Record{{ID: r.data, Key: r.key, Data: []byte(r.data)}}); err != nil {
			t.Fatal(err)
		}
	}
	c.Compact() // a1 goes: a2 has its key
	got, errs := readFrom(ctx, t, tn, 1, 4, 2)
	if got != "b@1" {
		t.Errorf("read %s, want b@1 (errors %q)", got, errs)
	}
	want := "topic goalkit-compacted-events partition 0: the record at offset 2 is gone (the next the brokers have is at offset 3): the topic deleted records from the middle of the partition (cleanup.policy with compact?), and the report would miss their events; set cleanup.policy=delete on the topic, and publish the tenant's events again to a new tenant"
	if len(errs) != 2 || errs[0] != want || errs[1] != want {
		t.Fatalf("errors %q\nwant twice %s", errs, want)
	}
	// Opened past the first: the first record the brokers have is past it.
	if got, errs := readFrom(ctx, t, tn, 2, 3, 1); got != "" || len(errs) != 1 || errs[0] != want {
		t.Fatalf("read %s, errors %q\nwant none, and %s", got, errs, want)
	}
	// From the record after the gap, nothing is missing.
	if got, errs := readFrom(ctx, t, tn, 3, 3, 1); got != "a2@3 c@4 d@5" || len(errs) != 0 {
		t.Fatalf("read %s, errors %q; want a2@3 c@4 d@5", got, errs)
	}
}

// readFrom reads up to n records of partition 0 of tn from offset from
// (scaleouttest.ReadOn, at most maxErrs errors), and returns them as
// scaleouttest.Shown writes them, with the errors.
func readFrom(ctx context.Context, t *testing.T, tn *gkkafka.Tenant, from uint64, n, maxErrs int) (string, []string) {
	t.Helper()
	cur, err := tn.Open(ctx, 0, from)
	if err != nil {
		t.Fatal(err)
	}
	defer cur.Close()
	recs, errs := scaleouttest.ReadOn(ctx, t, cur, n, maxErrs)
	return scaleouttest.Shown(recs), errs
}
