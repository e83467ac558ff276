package kafka_test

import (
	"context"
	"strings"
	"testing"
	"time"

	gkkafka "github.com/goalkit/goalkit/adapters/kafka"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// A fetch that returns records beside an error (here a batch whose
// checksum fails after a good one: the client hands over the good batch's
// records with the error, and goes on after them) gives the records, and
// the error at the next call; a caller that reads on gets the records
// after them. The cursor dropped the records with the error, and a caller
// that read on went on after them: records a and b were lost.
func TestNextRecordsBesideAFetchError(t *testing.T) {
	c, opts := oneBroker(t)
	tn := create(t, opts, "mixed", 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := tn.Append(ctx, []scaleout.Record{{ID: "a", Data: []byte("a")}, {ID: "b", Data: []byte("b")}}); err != nil {
		t.Fatal(err)
	}
	topic := gkkafka.Topic("mixed")
	id := c.TopicInfo(topic).TopicID
	good := fetchBatches(ctx, t, opts, topic, id)
	if err := tn.Append(ctx, []scaleout.Record{{ID: "c", Data: []byte("c")}, {ID: "d", Data: []byte("d")}}); err != nil {
		t.Fatal(err)
	}
	// The first fetch from offset 0 is answered with the batches of a and
	// b, then a copy of them whose last byte is changed.
	bad := append([]byte(nil), good...)
	bad[len(bad)-1] ^= 0xff
	c.ControlKey(int16(kmsg.Fetch), func(kr kmsg.Request) (kmsg.Response, error, bool) {
		req := kr.(*kmsg.FetchRequest)
		if len(req.Topics) != 1 || len(req.Topics[0].Partitions) != 1 || req.Topics[0].Partitions[0].FetchOffset != 0 {
			return nil, nil, false
		}
		resp := req.ResponseKind().(*kmsg.FetchResponse)
		rt := kmsg.NewFetchResponseTopic()
		rt.Topic, rt.TopicID = topic, id
		rp := kmsg.NewFetchResponseTopicPartition()
		rp.HighWatermark, rp.LastStableOffset = 4, 4
		rp.RecordBatches = append(append([]byte(nil), good...), bad...)
		rt.Partitions = append(rt.Partitions, rp)
		resp.Topics = append(resp.Topics, rt)
		return resp, nil, true
	})

	got, errs := readFrom(ctx, t, tn, 1, 4, 2)
	if got != "a@1 b@2 c@3 d@4" {
		t.Errorf("read %s, want a@1 b@2 c@3 d@4 (errors %q)", got, errs)
	}
	want := "fetch goalkit-mixed-events partition 0 at offset 3: encoded crc "
	if len(errs) != 1 || !strings.HasPrefix(errs[0], want) {
		t.Errorf("errors %q, want one that starts %q", errs, want)
	}
}

// fetchBatches returns the record batches of partition 0 of topic from
// offset 0, as a broker answers a fetch.
func fetchBatches(ctx context.Context, t *testing.T, opts []kgo.Opt, topic string, id [16]byte) []byte {
	t.Helper()
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	req := kmsg.NewPtrFetchRequest()
	req.ReplicaID, req.MaxBytes = -1, 1<<20
	rt := kmsg.NewFetchRequestTopic()
	rt.Topic, rt.TopicID = topic, id
	rp := kmsg.NewFetchRequestTopicPartition()
	rp.PartitionMaxBytes = 1 << 20
	rt.Partitions = append(rt.Partitions, rp)
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Topics) != 1 || len(resp.Topics[0].Partitions) != 1 || len(resp.Topics[0].Partitions[0].RecordBatches) == 0 {
		t.Fatalf("fetch: %+v", resp)
	}
	return resp.Topics[0].Partitions[0].RecordBatches
}
