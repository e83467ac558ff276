package nats_test

import (
	"fmt"
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
