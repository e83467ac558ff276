package nats_test

import (
	"context"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/nats/natstest"
)

// A part's value shorter than the 8-byte offset that begins it is refused
// by RangeAt, saying what is missing.
func TestRangeAtShortPart(t *testing.T) {
	ctx := context.Background()
	e := connect(t, natstest.Start(t, 1))
	tn := e.tenant(t, "shortpart", 1)
	kv, err := e.js.KeyValue(ctx, "goalkit_shortpart_parts")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kv.Put(ctx, "p0", []byte{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	err = tn.Parts().Range(ctx, func(int, []byte) error { return nil })
	if err == nil {
		t.Fatal("a part of 3 bytes was read")
	}
	for _, want := range []string{"part p0: 3 bytes", "8-byte offset"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}
