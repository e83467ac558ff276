package nats

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/scaleout/scaleouttest"
	"github.com/nats-io/nats.go/jetstream"
)

// unreadable is a consumer's messages whose message at offset bad says,
// once, that its metadata cannot be read.
type unreadable struct {
	jetstream.MessagesContext
	bad  uint64
	told bool
}

func (u *unreadable) Next(opts ...jetstream.NextOpt) (jetstream.Msg, error) {
	m, err := u.MessagesContext.Next(opts...)
	if err != nil || u.told {
		return m, err
	}
	if md, err := m.Metadata(); err == nil && md.Sequence.Stream == u.bad {
		u.told = true
		return noMetadata{m}, nil
	}
	return m, nil
}

type noMetadata struct{ jetstream.Msg }

func (noMetadata) Metadata() (*jetstream.MsgMetadata, error) { return nil, jetstream.ErrNotJSMessage }

// A message whose metadata cannot be read is an error that names where it
// is, after the records before it, and is not taken: the next read starts
// again from it. It was consumed with the error, and a caller that read
// on went on past it: offset 3 was lost.
func TestCursorMessageWithoutMetadata(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	js, s := testStream(ctx, t, "META", "meta.>")
	for i := range 4 {
		if _, err := js.Publish(ctx, "meta.a", []byte{byte('a' + i)}); err != nil {
			t.Fatal(err)
		}
	}
	cur, err := openCursor(ctx, s, "meta.a", 1)
	if err != nil {
		t.Fatal(err)
	}
	defer cur.Close()
	cur.it = &unreadable{MessagesContext: cur.it, bad: 3}
	recs, errs := scaleouttest.ReadOn(ctx, t, cur, 4, 2)
	if got := scaleouttest.Shown(recs); got != "a@1 b@2 c@3 d@4" {
		t.Errorf("read %s, want a@1 b@2 c@3 d@4 (errors %q)", got, errs)
	}
	want := "meta.a: cannot read the metadata of the message after offset 2 (nats: not a jetstream message): it is not taken, and the next read starts again from offset 3"
	if len(errs) != 1 || errs[0] != want {
		t.Errorf("errors %q, want one: %q", errs, want)
	}
}
