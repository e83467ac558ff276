package kafka_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/scaleout"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// A cursor opened at an offset the partition no longer has (its first
// records deleted, as a retention changed by hand would) fails rather than
// jumping to the first record kept; one opened at the first record kept
// reads on from there with its own offsets.
func TestOpenBeforeTheFirstRecordKept(t *testing.T) {
	opts := cluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tn := create(t, opts, "trimmed", 1)
	var recs []scaleout.Record
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		recs = append(recs, scaleout.Record{ID: id, Data: []byte(id)})
	}
	if err := tn.Append(ctx, recs); err != nil {
		t.Fatal(err)
	}
	// Kafka offsets 0 to 2 (scaleout's 1 to 3) deleted.
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	req := kmsg.NewPtrDeleteRecordsRequest()
	rt := kmsg.NewDeleteRecordsRequestTopic()
	rt.Topic = "goalkit-trimmed-events"
	rp := kmsg.NewDeleteRecordsRequestTopicPartition()
	rp.Partition, rp.Offset = 0, 3
	rt.Partitions = append(rt.Partitions, rp)
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		t.Fatal(err)
	}
	if err := kerr.ErrorForCode(resp.Topics[0].Partitions[0].ErrorCode); err != nil {
		t.Fatal(err)
	}
	if end, err := tn.End(ctx, 0); err != nil || end != 5 {
		t.Fatalf("end %d (%v), want 5", end, err)
	}
	read := func(from uint64) ([]scaleout.Record, error) {
		c, err := tn.Open(ctx, 0, from)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var out []scaleout.Record
		for len(out) < 5 && ctx.Err() == nil {
			rs, err := c.Next(ctx, 10)
			out = append(out, rs...)
			if err != nil {
				return out, err
			}
			if len(out) > 0 && out[len(out)-1].Offset == 5 {
				break
			}
		}
		return out, nil
	}
	for _, from := range []uint64{1, 3} {
		got, err := read(from)
		if len(got) != 0 || err == nil || !strings.Contains(err.Error(), "OFFSET_OUT_OF_RANGE") {
			t.Fatalf("from %d: read %d records (%v), want OFFSET_OUT_OF_RANGE", from, len(got), err)
		}
	}
	got, err := read(4)
	if err != nil || len(got) != 2 || got[0].Offset != 4 || got[0].ID != "d" || got[1].Offset != 5 || got[1].ID != "e" {
		t.Fatalf("from 4: %+v (%v), want d at 4 and e at 5", got, err)
	}
}
