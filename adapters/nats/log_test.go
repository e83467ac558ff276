package nats_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/nats/natstest"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
)

// TestLog runs the conformance checks of scaleout.Log, workers included,
// on a tenant's events stream.
func TestLog(t *testing.T) {
	e := connect(t, natstest.Start(t, 1))
	n := 0
	scaleouttest.TestLog(t, func(t *testing.T, partitions int) scaleout.Log {
		n++
		return e.tenant(t, fmt.Sprint("log", n), partitions)
	}, scaleouttest.Options{DropsDuplicates: true})
}

// A record the server refuses fails Append with an error that names it and
// its partition.
func TestAppendErrorNamesThePartition(t *testing.T) {
	tn := connect(t, natstest.Start(t, 1)).tenant(t, "big", 2)
	big := scaleout.Record{Partition: 1, ID: "big-1", Data: make([]byte, 9<<20)}
	err := tn.Append(context.Background(), []scaleout.Record{big})
	if err == nil || !strings.HasPrefix(err.Error(), `publish record "big-1" to partition 1: `) {
		t.Fatalf("err = %v", err)
	}
}
