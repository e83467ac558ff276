package scaleout_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/goalkit/goalkit/scaleout"
)

func TestMemoryParts(t *testing.T) {
	ctx := context.Background()
	var m scaleout.MemoryParts
	for _, put := range []struct {
		p   int
		pos uint64
		d   string
	}{{0, 5, "a"}, {0, 3, "stale"}, {1, 1, "b"}, {0, 7, "c"}} {
		if err := m.Put(ctx, put.p, put.pos, []byte(put.d)); err != nil {
			t.Fatal(err)
		}
	}
	got := map[int]string{}
	if err := m.Range(ctx, func(p int, d []byte) error {
		got[p] = string(d)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != "c" || got[1] != "b" {
		t.Fatalf("parts = %v, want the latest of each partition", got)
	}
}

func TestMemoryLedgerOnce(t *testing.T) {
	var l scaleout.MemoryLedger
	var created atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			ok, err := l.Create(context.Background(), "k", []byte("x"))
			if err != nil {
				t.Error(err)
			}
			if ok {
				created.Add(1)
			}
		})
	}
	wg.Wait()
	if created.Load() != 1 {
		t.Fatalf("created %d times", created.Load())
	}
}

func TestMemoryLogDropsDuplicates(t *testing.T) {
	ctx := context.Background()
	log := scaleout.NewMemoryLog(2)
	recs := []scaleout.Record{{Partition: 0, ID: "a", Data: []byte("1")}, {Partition: 1, ID: "b", Data: []byte("2")}, {Partition: 0, ID: "a", Data: []byte("1")}}
	if err := log.Append(ctx, recs); err != nil {
		t.Fatal(err)
	}
	if err := log.Append(ctx, recs[:1]); err != nil {
		t.Fatal(err)
	}
	for p, want := range []uint64{1, 1} {
		if end, err := log.End(ctx, p); err != nil || end != want {
			t.Fatalf("partition %d ends at %d (%v), want %d", p, end, err, want)
		}
	}
	if err := log.Append(ctx, []scaleout.Record{{Partition: 2, ID: "c"}}); err == nil || err.Error() != `record "c": no partition 2` {
		t.Fatalf("err = %v", err)
	}
}
