package nats_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/nats/natstest"
	"github.com/goalkit/goalkit/kpi"
)

// A tracker that commits a ledger key now and then, snapshotted and
// pruned after each batch, as a worker does every ten minutes for months:
// each prune writes the keys of the batches it removes, and merges them
// with earlier ones only while their objects are of like size, so the
// bytes written for the keys grow as n·log n, not n². Each prune wrote
// every key pruned so far as one new object (after n prunes, n(n+1)/2
// keys written), even a prune that removed no key. Every pruned key is
// still refused, also by a store loaded again.
func TestPruneLedgerKeysBounded(t *testing.T) {
	ctx := context.Background()
	e := connect(t, natstest.Start(t, 1))
	tn := e.tenant(t, "prunekeys", 1)
	s := snapStore(t, tn, 0)
	const n = 64
	obs, err := e.js.ObjectStore(ctx, "goalkit_prunekeys_snapshots")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{} // the objects of ledger keys listed so far
	written, keyBytes := 0, len(fmt.Sprintf("%q,", "key-00"))
	for i := 1; i <= 2*n; i++ {
		// Every other batch has a key.
		var keys []string
		if i%2 == 0 {
			keys = append(keys, fmt.Sprintf("key-%02d", i/2))
		}
		commit(t, s, batch(i, keys...))
		snapshot(t, s, int64(i), "state")
		if _, err := tn.Prune(ctx, 0); err != nil {
			t.Fatal(err)
		}
		infos, err := obs.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		objects := 0
		for _, info := range infos {
			if !strings.Contains(info.Name, ".ledger.") {
				continue
			}
			objects++
			if !seen[info.Name] {
				seen[info.Name] = true
				written += int(info.Size)
			}
		}
		if max := bits.Len(uint(i/2)) + 1; objects > max {
			t.Fatalf("after %d prunes (%d keys): %d objects of ledger keys, want at most %d", i, i/2, objects, max)
		}
	}
	// With a key every other prune the objects count in binary: each key
	// is written at most log2(n)+1 times, plus the JSON's brackets of each
	// object. (Writing every key at each prune wrote n(n+1)/2 keys and
	// more.)
	if limit := n*keyBytes*(bits.Len(n)+1) + 2*len(seen); written > limit {
		t.Fatalf("%d bytes of ledger keys written over %d prunes of %d keys, want at most %d", written, 2*n, n, limit)
	}
	for _, st := range []kpi.TrackSnapshotter{s, snapStore(t, tn, 0)} {
		if st != s {
			if _, err := ids(t, st, -1); err != nil {
				t.Fatal(err)
			}
		}
		for k := 1; k <= n; k++ {
			if err := st.Commit(ctx, batch(1000+k, fmt.Sprintf("key-%02d", k))); !errors.Is(err, kpi.ErrDuplicateKey) {
				t.Fatalf("commit of pruned ledger key-%02d: %v, want ErrDuplicateKey", k, err)
			}
		}
	}
}

// A record of an earlier release names the pruned batches' ledger keys as
// one object (keys): its keys are still refused, and the next prune takes
// the object into the objects it names.
func TestPruneLedgerKeysOfAnEarlierRecord(t *testing.T) {
	ctx := context.Background()
	e := connect(t, natstest.Start(t, 1))
	tn := e.tenant(t, "prunelegacy", 1)
	s := snapStore(t, tn, 0)
	commit(t, s, batch(1, "a"), batch(2, "b"))
	snapshot(t, s, 2, "two")
	if _, err := tn.Prune(ctx, 0); err != nil {
		t.Fatal(err)
	}
	// The record as an earlier release wrote it.
	kv, err := e.js.KeyValue(ctx, "goalkit_prunelegacy_parts")
	if err != nil {
		t.Fatal(err)
	}
	entry, err := kv.Get(ctx, "snapshot.p0")
	if err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	if err := json.Unmarshal(entry.Value(), &rec); err != nil {
		t.Fatal(err)
	}
	objs, _ := rec["ledger"].([]any)
	if len(objs) != 1 {
		t.Fatalf("the record names %v", rec["ledger"])
	}
	legacy := objs[0].(map[string]any)["name"].(string)
	delete(rec, "ledger")
	rec["keys"] = legacy
	data, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kv.Update(ctx, "snapshot.p0", data, entry.Revision()); err != nil {
		t.Fatal(err)
	}
	s = snapStore(t, tn, 0)
	if _, err := ids(t, s, -1); err != nil {
		t.Fatal(err)
	}
	commit(t, s, batch(3, "c"))
	snapshot(t, s, 3, "three")
	if _, err := tn.Prune(ctx, 0); err != nil {
		t.Fatal(err)
	}
	s = snapStore(t, tn, 0)
	if _, err := ids(t, s, -1); err != nil {
		t.Fatal(err)
	}
	for i, k := range []string{"a", "b", "c"} {
		if err := s.Commit(ctx, batch(10+i, k)); !errors.Is(err, kpi.ErrDuplicateKey) {
			t.Fatalf("commit of pruned ledger key %s: %v, want ErrDuplicateKey", k, err)
		}
	}
	entry, err = kv.Get(ctx, "snapshot.p0")
	if err != nil {
		t.Fatal(err)
	}
	// Two keys before one: the earlier object heads the objects named.
	var after struct {
		Keys   string `json:"keys"`
		Ledger []struct {
			Name string `json:"name"`
			N    int    `json:"n"`
		} `json:"ledger"`
	}
	if err := json.Unmarshal(entry.Value(), &after); err != nil {
		t.Fatal(err)
	}
	if after.Keys != "" || len(after.Ledger) != 2 || after.Ledger[0].Name != legacy || after.Ledger[0].N != 2 || after.Ledger[1].N != 1 {
		t.Fatalf("the record after a prune: %s", entry.Value())
	}
}
