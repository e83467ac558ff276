package kafka_test

import (
	"context"
	"testing"
	"time"
)

// A cursor closed while its fetch is answered is no data race: the
// client's Close read its fetch session's ID while the fetch wrote it
// (under -race, about one close in twenty at an offset the brokers answer
// at once failed the test that did it).
func TestCursorClosedDuringAFetch(t *testing.T) {
	opts := cluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tn := create(t, opts, "closing-fetch", 1)
	for range 60 {
		// Past the end: the brokers answer the fetch at once.
		c, err := tn.Open(ctx, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
	}
}
