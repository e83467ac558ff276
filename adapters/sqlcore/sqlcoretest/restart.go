package sqlcoretest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// replayOnly hides a store's snapshots: a tracker on it replays every
// batch.
type replayOnly struct{ kpi.TrackStore }

// TestTrackerRestart checks a tracker's restart from a snapshot in the
// database open returns. A tracker commits batches of event versions (with
// corrections, retractions and the instants they became known), writes a
// snapshot, commits more, and stops. The covered batches are then made
// unreadable (a replay of every batch fails), and a tracker started on the
// database opened again restores the snapshot and applies the batches after
// it: it gives the results, the results as known at instants before and
// after the snapshot, the ledger and the closed records of the tracker that
// stopped, which a replay of every batch gave too. It goes on: more batches,
// a second snapshot, the batches it covers pruned, and a third tracker that
// gives the second's results.
func TestTrackerRestart(t *testing.T, open OpenAgain) {
	ctx := context.Background()
	s, again := open(t)
	set, req := crashSet(t)
	known := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	in := crashInput()
	for i, b := range in {
		for j := range b.Events {
			b.Events[j].Known = known.Add(time.Duration(i) * time.Hour)
		}
	}
	in[20].Closed = []kpi.TrackRecord{{Key: "2025-03", Data: []byte(`{"won":1}`)}}
	const covered = 12
	instants := []time.Time{known.Add(5*time.Hour + time.Minute), known.Add(17*time.Hour + time.Minute)}

	// state is what a tracker gives: results now and as known at the
	// instants, ledger keys and closed records.
	type state struct {
		Rows   []kpi.Row
		Known  [][]kpi.Row
		Ledger []string
		Closed map[string][]byte
	}
	stateOf := func(tr *kpi.Tracker) state {
		t.Helper()
		r, err := tr.Result(ctx, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		st := state{Rows: r.Rows(), Closed: tr.Closed()}
		for _, at := range instants {
			r, err := tr.AsKnownAt(ctx, at)
			if err != nil {
				t.Fatal(err)
			}
			st.Known = append(st.Known, r.Rows())
		}
		tr.LedgerRange(func(key string, _ []byte) bool { st.Ledger = append(st.Ledger, key); return true })
		slices.Sort(st.Ledger)
		return st
	}
	track := func(store kpi.TrackStore) *kpi.Tracker {
		t.Helper()
		tr, err := set.Track(ctx, req, store)
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
	same := func(what string, got, want state) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\n got %+v\nwant %+v", what, got, want)
		}
	}

	ts := trackStore(t, s)
	tr := track(ts)
	for i, b := range in {
		if i == covered {
			if err := tr.Snapshot(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if err := tr.Commit(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	want := stateOf(tr)
	if len(want.Ledger) != len(in) || reflect.DeepEqual(want.Known[0], want.Rows) || reflect.DeepEqual(want.Known[1], want.Rows) {
		t.Fatalf("the test's input shows too little: %+v", want)
	}
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	replay := track(replayOnly{ts})
	same("a replay of every batch", stateOf(replay), want)
	_ = replay.Close()

	// The covered batches' attributes no longer decode.
	if _, err := s.DB().ExecContext(ctx, fmt.Sprintf(`UPDATE goalkit_track_events SET attrs = 'not json'
WHERE seq IN (SELECT seq FROM goalkit_track_batches ORDER BY seq LIMIT %d)`, covered)); err != nil {
		t.Fatal(err)
	}
	if _, err := set.Track(ctx, req, replayOnly{ts}); err == nil {
		t.Fatal("a replay of unreadable batches succeeded")
	}

	restored := track(trackStore(t, again()))
	same("a restart from the snapshot", stateOf(restored), want)
	for i := range 3 {
		b := &kpi.TrackBatch{Events: in[i].Events[:50], Ledger: []kpi.TrackRecord{{Key: fmt.Sprint("again-", i)}}}
		for j := range b.Events {
			b.Events[j].ID += "-again"
			b.Events[j].Known = known.Add(30 * time.Hour)
		}
		if err := restored.Commit(ctx, b); err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			if err := restored.Snapshot(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	want = stateOf(restored)
	if err := restored.Close(); err != nil {
		t.Fatal(err)
	}
	// The batches the second snapshot covers pruned: the restart, and
	// what was known at instants long before, do not need them.
	if n, err := trackStore(t, again()).Prune(ctx); n != int64(len(in))+2 || err != nil {
		t.Fatalf("Prune: %d, %v; want %d batches", n, err, len(in)+2)
	}
	third := track(trackStore(t, again()))
	defer third.Close()
	same("a restart from the second snapshot, the batches it covers pruned", stateOf(third), want)
}
