package scaleout_test

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
)

// fnv1a is FNV-1a of 32 bits, written from its definition.
func fnv1a(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// Records keeps each of its promises: the partition of each ID (FNV-1a
// modulo the partitions), the event's ID as the key, Known stamped as at
// plus the version's index in nanoseconds only where the version has
// none (and not at all with a zero at), and idempotency IDs that depend
// on the batch's name, the index and the version as given, not on at.
func TestRecordsPromises(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	own := time.Date(2025, 3, 1, 0, 0, 0, 7, time.UTC)
	ev := kpi.Event{ID: "deal-1", Kind: "won", Time: time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC), Actor: "anna"}
	events := []kpi.Event{ev, {ID: "deal-2", Kind: "won", Time: ev.Time, Known: own}, ev, {ID: "déal-3", Deleted: true}}
	const n = 7
	recs, err := scaleout.Records("import", at, events, n)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range recs {
		e := events[i]
		if want := int(fnv1a(e.ID) % n); r.Partition != want || scaleout.Partition(e.ID, n) != want {
			t.Errorf("record %d: partition %d, want %d", i, r.Partition, want)
		}
		if r.Key != e.ID {
			t.Errorf("record %d: key %q", i, r.Key)
		}
		got, err := scaleout.DecodeEvent(r.Data)
		if err != nil {
			t.Fatal(err)
		}
		want := at.Add(time.Duration(i))
		if !e.Known.IsZero() {
			want = e.Known
		}
		if !got.Known.Equal(want) {
			t.Errorf("record %d: known %s, want %s", i, got.Known, want)
		}
	}
	if recs[0].ID == recs[2].ID {
		t.Error("two copies of a version at different indexes share an ID")
	}
	again, err := scaleout.Records("import", at.Add(time.Hour), events, n)
	if err != nil {
		t.Fatal(err)
	}
	unstamped, err := scaleout.Records("import", time.Time{}, events, n)
	if err != nil {
		t.Fatal(err)
	}
	other, err := scaleout.Records("import 2", at, events, n)
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		if again[i].ID != recs[i].ID || unstamped[i].ID != recs[i].ID {
			t.Errorf("record %d: another at changes the ID: %s, %s, %s", i, recs[i].ID, again[i].ID, unstamped[i].ID)
		}
		if other[i].ID == recs[i].ID {
			t.Errorf("record %d: another batch keeps the ID %s", i, recs[i].ID)
		}
		got, err := scaleout.DecodeEvent(unstamped[i].Data)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Known.Equal(events[i].Known) {
			t.Errorf("record %d: a zero at stamps %s", i, got.Known)
		}
	}
}
