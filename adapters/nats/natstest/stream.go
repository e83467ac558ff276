package natstest

import (
	"context"
	"testing"

	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// StreamState returns the last sequence of a stream of the cluster (how
// many messages were ever stored in it, none purged by sequence) and how
// many messages it holds.
func (c *Cluster) StreamState(tb testing.TB, stream string) (last, held uint64) {
	tb.Helper()
	s, err := c.JetStream(tb).Stream(context.Background(), stream)
	if err != nil {
		tb.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return info.State.LastSeq, info.State.Msgs
}

// JetStream connects to the cluster and returns its JetStream; the
// connection closes when the test ends.
func (c *Cluster) JetStream(tb testing.TB) jetstream.JetStream {
	tb.Helper()
	nc, err := natsgo.Connect(c.URL())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		tb.Fatal(err)
	}
	return js
}
