package kpi

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// withActor returns a tracker's snapshot with its one actor "~" renamed s
// (one byte), under a checksum made again: the snapshot a build wrote
// whose replay took a stored version of that actor.
func withActor(t *testing.T, snap []byte, s byte) []byte {
	t.Helper()
	if bytes.Count(snap, []byte("~")) != 1 {
		t.Fatalf("the snapshot holds %d bytes ~, want 1", bytes.Count(snap, []byte("~")))
	}
	crc := crc32.MakeTable(crc32.Castagnoli)
	body := snap[:len(snap)-8] // the checksum: 8 bytes, least significant first
	if binary.LittleEndian.Uint64(snap[len(snap)-8:]) == uint64(crc32.Checksum(body, crc)) {
		out := bytes.Replace(bytes.Clone(body), []byte("~"), []byte{s}, 1)
		return binary.LittleEndian.AppendUint64(out, uint64(crc32.Checksum(out, crc)))
	}
	t.Fatal("no checksum at the snapshot's end")
	return nil
}

// callsInMarch is a set counting calls and a request of March 2025 (UTC).
func callsInMarch(t *testing.T) (*Set, Request) {
	t.Helper()
	cal, err := period.LoadCalendar("UTC")
	if err != nil {
		t.Fatal(err)
	}
	set, err := Compile([]IndicatorDef{{ID: "calls", Kinds: []string{"call"}, Aggregate: Count}}, Env{})
	if err != nil {
		t.Fatal(err)
	}
	return set, Request{Calendar: cal, Periods: []period.Period{cal.Containing(period.Month, date.New(2025, 3, 1))}}
}

// A snapshot with a live event whose actor is "*" (the whole company's
// row) is refused when a tracker restores it, naming the event, as a stored
// version of that actor is: such a snapshot (written by a build that took
// one from its store) was restored, and every report after failed with
// "participant "*" is both an actor and a group", naming no event. One
// whose event of that actor was retracted restores.
func TestTrackerRestoreRefusesEveryoneActor(t *testing.T) {
	ctx := context.Background()
	set, req := callsInMarch(t)
	at := time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		events []Event
		want   string // "": restored
	}{
		{[]Event{{ID: "e1", Kind: "call", Actor: "anna", Time: at}, {ID: "e2", Kind: "call", Actor: "~", Time: at}},
			`restore tracker: snapshot: event "e2": actor "*" is the whole company's row in reports, not an actor`},
		{[]Event{{ID: "e1", Kind: "call", Actor: "anna", Time: at}, {ID: "e2", Kind: "call", Actor: "~", Time: at}, {ID: "e2", Deleted: true}}, ""},
	} {
		store := NewSnapStore()
		tr, err := set.Track(ctx, req, store)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range c.events {
			if err := tr.Apply(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		if err := tr.Snapshot(ctx); err != nil {
			t.Fatal(err)
		}
		tr.Close()
		snap, n := store.Snapshot()
		store.SetSnapshot(withActor(t, snap, '-'), n)
		if _, err := set.Track(ctx, req, store); err != nil {
			t.Fatalf("the checksum made again: %v", err)
		}
		store.SetSnapshot(withActor(t, snap, '*'), n)
		tr, err = set.Track(ctx, req, store)
		if c.want != "" {
			if err == nil || err.Error() != c.want {
				t.Errorf("%v, want %s", err, c.want)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		res, err := tr.Result(ctx, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Participants(); len(got) != 2 || got[0] != "anna" {
			t.Errorf("participants %v, want anna and *", got)
		}
		tr.Close()
	}
}

// A corrupt snapshot whose ledger holds a key twice is refused quoting the
// key cut to 64 bytes: a key of 10,000 bytes made an error of 10,000
// bytes.
func TestTrackerRestoreQuotesLedgerKeyCut(t *testing.T) {
	ctx := context.Background()
	set, req := callsInMarch(t)
	store := NewSnapStore()
	tr, err := set.Track(ctx, req, store)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("k", 10_000)
	if err := tr.Commit(ctx, &TrackBatch{Ledger: []TrackRecord{{Key: long + "1"}, {Key: long + "2"}}}); err != nil {
		t.Fatal(err)
	}
	if err := tr.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	tr.Close()
	snap, n := store.Snapshot()
	// The second key made the first: one key twice.
	store.SetSnapshot(bytes.Replace(bytes.Clone(snap), []byte(long+"2"), []byte(long+"1"), 1), n)
	_, err = set.Track(ctx, req, store)
	want := `restore tracker: snapshot: corrupt in the ledger: the key "` + strings.Repeat("k", 64) + `…" twice`
	if err == nil || err.Error() != want {
		t.Errorf("%.300v, want %s", err, want)
	}
}
