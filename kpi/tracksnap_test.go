package kpi_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// drawBatches cuts a stream of versions for req's periods into batches of
// one to four versions, with Known instants on a clock that moves forward
// from the first period's start, ledger keys (each new) and closed records
// (a few keys, restated).
func drawBatches(t *rapid.T, req kpi.Request) []kpi.TrackBatch {
	stream := genStream(t, req.Calendar, req.Periods)
	clock, _ := req.Calendar.Bounds(req.Periods[0])
	var out []kpi.TrackBatch
	keys := 0
	for len(stream) > 0 {
		n := rapid.IntRange(1, min(4, len(stream))).Draw(t, "batch")
		b := kpi.TrackBatch{Events: slices.Clone(stream[:n])}
		stream = stream[n:]
		clock = clock.Add(time.Duration(rapid.IntRange(0, 36).Draw(t, "hours")) * time.Hour)
		for i := range b.Events {
			if rapid.IntRange(0, 4).Draw(t, "known") > 0 {
				b.Events[i].Known = clock
			}
		}
		if rapid.IntRange(0, 3).Draw(t, "ledger") == 0 {
			keys++
			b.Ledger = []kpi.TrackRecord{{Key: fmt.Sprintf("sent/%d", keys), Data: []byte(fmt.Sprint(clock.Unix()))}}
		}
		if rapid.IntRange(0, 4).Draw(t, "closed") == 0 {
			key := rapid.SampledFrom([]string{"q1", "q2"}).Draw(t, "closed key")
			b.Closed = []kpi.TrackRecord{{Key: key, Data: []byte(fmt.Sprint(len(out)))}}
		}
		out = append(out, b)
	}
	return out
}

func must0(t *rapid.T, err error) {
	if err != nil {
		t.Fatal(err)
	}
}

// knownAt lists the Known instants of batches, and an instant before each.
func knownAt(batches []kpi.TrackBatch) []time.Time {
	var ts []time.Time
	for _, b := range batches {
		for _, e := range b.Events {
			if !e.Known.IsZero() {
				ts = append(ts, e.Known, e.Known.Add(-time.Nanosecond))
			}
		}
	}
	return ts
}

// scanned returns the live events of a source as text, sorted by id.
func scanned(t *rapid.T, src kpi.Source) []string {
	var out []string
	err := src.Scan(context.Background(), kpi.Query{}, func(e *kpi.Event) error {
		names := slices.Sorted(maps.Keys(e.Attrs))
		var attrs []string
		for _, n := range names {
			v := e.Attrs[n]
			if x, ok := v.(time.Time); ok {
				_, off := x.Zone()
				v = fmt.Sprint(x.UnixNano(), off)
			}
			attrs = append(attrs, fmt.Sprintf("%s=%v(%T)", n, v, v))
		}
		out = append(out, fmt.Sprintf("%s %s %d %s %v %s %s known %d", e.ID, e.Kind, e.Time.UnixNano(), e.Actor, e.Amount, e.Currency, strings.Join(attrs, ","), e.Known.UnixNano()))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// sameTracker fails unless got and want give the same values (now, as of
// instants, as known at the batches' Known instants), the same live events,
// ledger and closed records, and the same part.
func sameTracker(t *rapid.T, what string, got, want *kpi.Tracker, req kpi.Request, knowns []time.Time) {
	ctx := context.Background()
	sameResult(t, what+": now", must(t)(got.Result(ctx, time.Time{})), must(t)(want.Result(ctx, time.Time{})))
	start, _ := req.Calendar.Bounds(req.Periods[0])
	_, end := req.Calendar.Bounds(req.Periods[len(req.Periods)-1])
	asOf := start.Add(time.Duration(rapid.Int64Range(0, int64(end.Sub(start))).Draw(t, "as of")))
	sameResult(t, what+": as of", must(t)(got.Result(ctx, asOf)), must(t)(want.Result(ctx, asOf)))
	if len(knowns) > 0 {
		at := rapid.SampledFrom(knowns).Draw(t, "known at")
		sameResult(t, what+": as known at", must(t)(got.AsKnownAt(ctx, at)), must(t)(want.AsKnownAt(ctx, at)))
	}
	if g, w := scanned(t, got), scanned(t, want); !slices.Equal(g, w) {
		t.Fatalf("%s: scan gives\n%s\nwant\n%s", what, strings.Join(g, "\n"), strings.Join(w, "\n"))
	}
	if got.Len() != want.Len() {
		t.Fatalf("%s: %d live events, want %d", what, got.Len(), want.Len())
	}
	// The tracker's table in place, and a frozen source of what was known
	// at an instant.
	var tg, tw []string
	must0(t, got.ReadTable(ctx, func(tab *kpi.Table) error { tg = scanned(t, tab); return nil }))
	must0(t, want.ReadTable(ctx, func(tab *kpi.Table) error { tw = scanned(t, tab); return nil }))
	if !slices.Equal(tg, tw) {
		t.Fatalf("%s: the table read in place differs", what)
	}
	if len(knowns) > 0 {
		at := rapid.SampledFrom(knowns).Draw(t, "source at")
		sg, err := got.SourceAt(ctx, at)
		must0(t, err)
		sw, err := want.SourceAt(ctx, at)
		must0(t, err)
		if g, w := scanned(t, sg), scanned(t, sw); !slices.Equal(g, w) {
			t.Fatalf("%s: the source as known at %v gives\n%s\nwant\n%s", what, at, strings.Join(g, "\n"), strings.Join(w, "\n"))
		}
	}
	ledger := func(tr *kpi.Tracker) string {
		m := map[string]string{}
		tr.LedgerRange(func(k string, d []byte) bool { m[k] = string(d); return true })
		return fmt.Sprint(m)
	}
	if g, w := ledger(got), ledger(want); g != w {
		t.Fatalf("%s: ledger %s, want %s", what, g, w)
	}
	if g, w := fmt.Sprint(got.Closed()), fmt.Sprint(want.Closed()); g != w {
		t.Fatalf("%s: closed %s, want %s", what, g, w)
	}
	gp, gerr := got.Partial(ctx)
	wp, werr := want.Partial(ctx)
	if fmt.Sprint(gerr) != fmt.Sprint(werr) || string(gp) != string(wp) {
		t.Fatalf("%s: part %s (%v), want %s (%v)", what, gp, gerr, wp, werr)
	}
}

// TestTrackerRestartsFromSnapshot: a tracker that commits random batches
// (corrections, retractions, out of order, Known instants, ledger keys and
// closed records) takes a snapshot at a random batch and goes on; a tracker
// restarted from the snapshot and the batches after it, and one that
// replays every batch, give what the tracker that never stopped gives, and
// keep giving it as more batches come (a duplicate ledger key refused by
// all), through a second snapshot of the restarted tracker, and under a
// changed plan.
func TestTrackerRestartsFromSnapshot(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		set, req := drawTracking(t)
		batches := drawBatches(t, req)
		knowns := knownAt(batches)
		at := rapid.IntRange(0, len(batches)).Draw(t, "snapshot after")
		restart := rapid.IntRange(at, len(batches)).Draw(t, "restart after")
		commit := func(tr *kpi.Tracker, b kpi.TrackBatch) {
			if err := tr.Commit(ctx, &b); err != nil {
				t.Fatal(err)
			}
		}
		store := kpi.NewSnapStore()
		live, err := set.Track(ctx, req, store)
		if err != nil {
			t.Fatal(err)
		}
		for i, b := range batches[:restart] {
			if i == at {
				if err := live.Snapshot(ctx); err != nil {
					t.Fatal(err)
				}
			}
			commit(live, b)
		}
		if at == restart {
			if err := live.Snapshot(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if _, n := store.Snapshot(); n != int64(at) {
			t.Fatalf("the snapshot covers %d batches, want %d", n, at)
		}
		restoredStore := store.Clone()
		restored, err := set.Track(ctx, req, restoredStore)
		if err != nil {
			t.Fatal(err)
		}
		replayed, err := set.Track(ctx, req, kpi.LoadOnly{TrackStore: store.Clone()})
		if err != nil {
			t.Fatal(err)
		}
		sameTracker(t, "restored", restored, live, req, knowns)
		sameTracker(t, "replayed", replayed, live, req, knowns)

		trackers := []*kpi.Tracker{live, restored, replayed}
		for _, b := range batches[restart:] {
			for _, tr := range trackers {
				commit(tr, b)
			}
		}
		if len(batches) > 0 && len(batches[0].Ledger) > 0 {
			dup := kpi.TrackBatch{Events: batches[0].Events[:1], Ledger: batches[0].Ledger}
			for _, tr := range trackers {
				if err := tr.Commit(ctx, &dup); !errors.Is(err, kpi.ErrDuplicateKey) {
					t.Fatalf("a committed ledger key again: %v, want ErrDuplicateKey", err)
				}
			}
		}
		sameTracker(t, "restored, then more batches", restored, live, req, knowns)
		sameTracker(t, "replayed, then more batches", replayed, live, req, knowns)

		// The restarted tracker's own snapshot.
		if err := restored.Snapshot(ctx); err != nil {
			t.Fatal(err)
		}
		again, err := set.Track(ctx, req, restoredStore.Clone())
		if err != nil {
			t.Fatal(err)
		}
		sameTracker(t, "restored twice", again, live, req, knowns)

		// Another plan over the same store: other indicators, periods,
		// groups and zone.
		set2, req2 := drawTracking(t)
		changed, err := set2.Track(ctx, req2, restoredStore.Clone())
		if err != nil {
			t.Fatal(err)
		}
		full, err := set2.Track(ctx, req2, kpi.LoadOnly{TrackStore: restoredStore.Clone()})
		if err != nil {
			t.Fatal(err)
		}
		sameTracker(t, "restored under a changed plan", changed, full, req2, knowns)
	})
}

// snapshotFixture is a tracker on a SnapStore that took a snapshot after
// events of every sort: amounts beyond int64 minor units, attributes of
// every type (a time in a named zone), a correction, a retraction, Known
// instants, a ledger key and a closed record.
func snapshotFixture(t *testing.T) (*kpi.Set, kpi.Request, *kpi.SnapStore, *kpi.Tracker) {
	t.Helper()
	ctx := context.Background()
	cal, err := period.LoadCalendar("Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"won"}, Aggregate: "count"},
		{ID: "web", Kinds: []string{"won"}, Where: `source == "web"`, Aggregate: "sum", Value: "amount"},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"source": kpi.AttrString}})
	if err != nil {
		t.Fatal(err)
	}
	jan := cal.Containing(period.Month, date.New(2025, 1, 1))
	req := kpi.Request{Calendar: cal, Periods: []period.Period{jan, cal.Next(jan)}}
	store := kpi.NewSnapStore()
	tr, err := set.Track(ctx, req, store)
	if err != nil {
		t.Fatal(err)
	}
	moscow, _ := time.LoadLocation("Europe/Moscow")
	utc := func(mo time.Month, d, h, m int) time.Time { return time.Date(2025, mo, d, h, m, 0, 0, time.UTC) }
	amt := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }
	known := utc(3, 1, 0, 0)
	batches := []kpi.TrackBatch{
		{Events: []kpi.Event{
			{ID: "1", Kind: "won", Time: utc(1, 31, 22, 30), Actor: "u1", Amount: amt("100"), Attrs: map[string]any{"source": "web", "at": time.Date(2025, 1, 2, 3, 4, 5, 6, moscow)}},
			{ID: "2", Kind: "won", Time: utc(1, 15, 10, 0), Actor: "u2", Amount: amt("50"), Attrs: map[string]any{"source": "partner", "score": decimal.RequireFromString("1.50"), "vip": true, "pipeline": int64(3)}},
			{ID: "deal-3", Kind: "won", Time: utc(2, 10, 9, 0), Actor: "u1", Amount: amt("7"), Attrs: map[string]any{"source": "web"}, Known: known},
			{ID: "4", Kind: "call", Time: utc(2, 11, 9, 0), Actor: "u3"},
		}, Ledger: []kpi.TrackRecord{{Key: "sent/1", Data: []byte("hello")}}},
		{Events: []kpi.Event{
			{ID: "2", Deleted: true, Known: known.Add(time.Hour)},
			{ID: "deal-3", Kind: "won", Time: utc(2, 10, 9, 0), Actor: "u1", Amount: amt("9"), Attrs: map[string]any{"source": "web"}, Known: known.Add(2 * time.Hour)},
			{ID: "5", Kind: "won", Time: utc(2, 20, 9, 0), Actor: "u2", Amount: amt("123456789012345678901234567890.5"), Attrs: map[string]any{"source": "ads"}},
		}, Closed: []kpi.TrackRecord{{Key: "q1", Data: []byte("closed")}}},
	}
	for _, b := range batches {
		if err := tr.Commit(ctx, &b); err != nil {
			t.Fatal(err)
		}
	}
	if err := tr.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	return set, req, store, tr
}

// TestTrackerSnapshotRefused: a snapshot that is cut short anywhere, has
// any byte changed, another format version, is not a snapshot or has data
// after its end is refused with an error that says so; no tracker starts.
func TestTrackerSnapshotRefused(t *testing.T) {
	ctx := context.Background()
	set, req, store, _ := snapshotFixture(t)
	good, n := store.Snapshot()
	refused := func(data []byte) error {
		s := store.Clone()
		s.SetSnapshot(data, n)
		tr, err := set.Track(ctx, req, s)
		if err == nil {
			tr.Close()
			return errors.New("no error")
		}
		if !strings.HasPrefix(err.Error(), "restore tracker: snapshot: ") {
			t.Fatalf("error %q does not say the snapshot is at fault", err)
		}
		return err
	}
	version := slices.Clone(good)
	version[len("goalkit\x00tracker\n")] = 2
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "truncated in the header"},
		{"not a snapshot", []byte("{\"events\": [1, 2, 3], \"more\": \"json\"}"), "not a tracker snapshot"},
		{"another version", version, "format version 2 is not one this build reads (version 1)"},
		{"data after its end", append(slices.Clone(good), 0), "corrupt in the checksum: data after the end"},
		{"no checksum", good[:len(good)-8], "truncated in the checksum"},
		{"half", good[:len(good)/2], "truncated in "},
	} {
		if err := refused(tc.data); !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
	for i := range good {
		if err := refused(good[:i]); !strings.Contains(err.Error(), "truncated in ") {
			t.Fatalf("cut after %d of %d bytes: got %v, want truncated", i, len(good), err)
		}
		bad := slices.Clone(good)
		bad[i] ^= 0x5a
		if err := refused(bad); err.Error() == "no error" {
			t.Fatalf("byte %d of %d changed: the snapshot was taken", i, len(good))
		}
	}
}

// TestTrackerSnapshotChangedPlan: a snapshot taken under one plan restores
// trackers of other indicators, periods and zones with their own numbers
// (worked out by hand here), the same as a replay of every batch.
func TestTrackerSnapshotChangedPlan(t *testing.T) {
	ctx := context.Background()
	_, _, store, live := snapshotFixture(t)
	// The plan of the snapshot, in Moscow: event 1 (January 31, 22:30
	// UTC) is in February there; 2 is retracted; 5 is not web.
	moscow := must1[*kpi.Result](t)(live.Result(ctx, time.Time{}))
	mcal := moscow.Calendar()
	mjan := mcal.Containing(period.Month, date.New(2025, 1, 1))
	want := map[string]string{"won u1 jan": "0", "won u1 feb": "2", "web u1 feb": "109", "won u2 feb": "1", "web u2 feb": "0"}
	checkValues(t, "Moscow", moscow, mjan, mcal.Next(mjan), want)

	// Another plan: in UTC, by day and by month, one more indicator and a
	// filter, and a participant list.
	cal, err := period.LoadCalendar("UTC")
	if err != nil {
		t.Fatal(err)
	}
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"won"}, Aggregate: "count"},
		{ID: "web", Kinds: []string{"won"}, Where: `source in ["web", "ads"]`, Aggregate: "max", Value: "amount"},
		{ID: "calls", Kinds: []string{"call"}, Aggregate: "count"},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"source": kpi.AttrString}})
	if err != nil {
		t.Fatal(err)
	}
	jan := cal.Containing(period.Month, date.New(2025, 1, 1))
	req := kpi.Request{Calendar: cal, Periods: []period.Period{jan, cal.Next(jan)}, Participants: []string{"u3"}}
	restored, err := set.Track(ctx, req, store.Clone())
	if err != nil {
		t.Fatal(err)
	}
	replayed, err := set.Track(ctx, req, kpi.LoadOnly{TrackStore: store.Clone()})
	if err != nil {
		t.Fatal(err)
	}
	res := must1[*kpi.Result](t)(restored.Result(ctx, time.Time{}))
	want = map[string]string{"won u1 jan": "1", "won u1 feb": "1", "web u1 jan": "100", "web u1 feb": "9",
		"web u2 feb": "123456789012345678901234567890.5", "calls u3 feb": "1", "won u2 jan": "0"}
	checkValues(t, "UTC", res, jan, cal.Next(jan), want)
	sameResult(t, "restored against replayed", res, must1[*kpi.Result](t)(replayed.Result(ctx, time.Time{})))
	// As known before the correction of deal-3 and the retraction of 2.
	at := time.Date(2025, 3, 1, 0, 30, 0, 0, time.UTC)
	then := must1[*kpi.Result](t)(restored.AsKnownAt(ctx, at))
	checkValues(t, "UTC as known at", then, jan, cal.Next(jan), map[string]string{"won u2 jan": "1", "web u1 feb": "7"})
	sameResult(t, "as known at", then, must1[*kpi.Result](t)(replayed.AsKnownAt(ctx, at)))
}

func must1[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// checkValues checks values keyed "indicator participant jan|feb".
func checkValues(t *testing.T, what string, res *kpi.Result, jan, feb period.Period, want map[string]string) {
	t.Helper()
	for key, w := range want {
		f := strings.Fields(key)
		p := jan
		if f[2] == "feb" {
			p = feb
		}
		v, ok := res.Value(f[0], f[1], p)
		if !ok || !v.Valid || v.Decimal.String() != w {
			t.Errorf("%s: %s = %v (%v), want %s", what, key, v, ok, w)
		}
	}
}

// TestTrackerSnapshotKeepsValues: what the fixture's snapshot restores
// scans as the live tracker does: attribute values of every type (a time
// in its named zone), amounts beyond int64, Known instants.
func TestTrackerSnapshotKeepsValues(t *testing.T) {
	ctx := context.Background()
	set, req, store, live := snapshotFixture(t)
	restored, err := set.Track(ctx, req, store.Clone())
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(rt *rapid.T) {
		sameTracker(rt, "restored", restored, live, req, []time.Time{time.Date(2025, 3, 1, 1, 30, 0, 0, time.UTC)})
	})
	var at time.Time
	if err := restored.Scan(ctx, kpi.Query{}, func(e *kpi.Event) error {
		if v, ok := e.Attrs["at"].(time.Time); ok {
			at = v
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if at.Location().String() != "Europe/Moscow" || at.Nanosecond() != 6 {
		t.Fatalf("time attribute restored as %v in %v", at, at.Location())
	}
	if _, ok := enginetest.LedgerData(restored, "sent/1"); !ok {
		t.Fatal("the restored ledger lacks sent/1")
	}
	dup := kpi.TrackBatch{Ledger: []kpi.TrackRecord{{Key: "sent/1"}}}
	if err := restored.Commit(ctx, &dup); !errors.Is(err, kpi.ErrDuplicateKey) {
		t.Fatalf("a ledger key of the snapshot again: %v, want ErrDuplicateKey", err)
	}
}

// TestTrackerSnapshotNeedsStore: a tracker whose store keeps no snapshots
// says so.
func TestTrackerSnapshotNeedsStore(t *testing.T) {
	ctx := context.Background()
	set, req, store, _ := snapshotFixture(t)
	for _, tc := range []struct {
		store kpi.TrackStore
		want  string
	}{
		{nil, "snapshot: the tracker has no store"},
		{kpi.LoadOnly{TrackStore: store.Clone()}, "snapshot: the tracker's store (kpi.LoadOnly) keeps no snapshots: it is not a TrackSnapshotter"},
	} {
		tr, err := set.Track(ctx, req, tc.store)
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.Snapshot(ctx); err == nil || err.Error() != tc.want {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
}

// TestTrackerSnapshotWhileApplying takes snapshots while batches are
// committed (new events, corrections, retractions, amounts that raise the
// table's scale): each snapshot restores exactly the batches it says it
// covers, never part of one. Run it with -race.
func TestTrackerSnapshotWhileApplying(t *testing.T) {
	ctx := context.Background()
	cal, err := period.LoadCalendar("UTC")
	if err != nil {
		t.Fatal(err)
	}
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "n", Kinds: []string{"a"}, Aggregate: "count"},
		{ID: "total", Kinds: []string{"a"}, Where: `source == "web"`, Aggregate: "sum", Value: "amount"},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"source": kpi.AttrString}})
	if err != nil {
		t.Fatal(err)
	}
	req := kpi.Request{Calendar: cal, Periods: []period.Period{cal.Containing(period.Year, date.New(2025, 1, 1))}}
	var batches []kpi.TrackBatch
	for i := range 400 {
		at := time.Date(2025, 1, 1+i%360, 12, 0, 0, 0, time.UTC)
		amt := decimal.NewNullDecimal(decimal.New(int64(i+1), -int32(2+i/60)))
		b := kpi.TrackBatch{Events: []kpi.Event{
			{ID: fmt.Sprint("x", i), Kind: "a", Time: at, Actor: fmt.Sprint("u", i%7), Amount: amt, Attrs: map[string]any{"source": []string{"web", "ads"}[i%2], fmt.Sprint("attr", i%70): int64(i)}},
			{ID: fmt.Sprint(i), Kind: "a", Time: at, Actor: "u1", Amount: amt},
		}}
		if i%10 == 9 {
			b.Events = append(b.Events, kpi.Event{ID: fmt.Sprint("x", i-5), Kind: "b", Time: at, Actor: "u2"}, kpi.Event{ID: fmt.Sprint(i - 3), Deleted: true})
		}
		batches = append(batches, b)
	}
	store := kpi.NewSnapStore()
	tr, err := set.Track(ctx, req, store)
	if err != nil {
		t.Fatal(err)
	}
	type snap struct {
		data []byte
		n    int64
	}
	var snaps []snap
	take := func() {
		if err := tr.Snapshot(ctx); err != nil {
			t.Fatal(err)
		}
		if data, n := store.Snapshot(); len(snaps) == 0 || snaps[len(snaps)-1].n != n {
			snaps = append(snaps, snap{data, n})
		}
	}
	// One snapshot before the writer starts and one it waits for halfway:
	// on a busy machine the writer may commit every batch between two
	// snapshots of the loop, which would then be of one count only.
	take()
	done := make(chan error)
	half := make(chan chan struct{})
	go func() {
		for i, b := range batches {
			if i == len(batches)/2 {
				taken := make(chan struct{})
				half <- taken
				<-taken
			}
			if err := tr.Commit(ctx, &b); err != nil {
				done <- err
				return
			}
			runtime.Gosched() // let snapshots in between
		}
		done <- nil
	}()
	for running := true; running; {
		var taken chan struct{}
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			running = false
		case taken = <-half:
		default:
		}
		take()
		if taken != nil {
			close(taken)
		}
		runtime.Gosched()
	}
	if len(snaps) < 2 || snaps[0].n == snaps[len(snaps)-1].n {
		t.Fatalf("%d snapshots taken, all of %d batches", len(snaps), snaps[0].n)
	}
	t.Logf("%d snapshots, of %d to %d batches", len(snaps), snaps[0].n, snaps[len(snaps)-1].n)
	for i := 0; i < len(snaps); i += max(1, len(snaps)/20) {
		s := kpi.NewSnapStore()
		for _, b := range batches[:snaps[i].n] {
			if err := s.Commit(ctx, &b); err != nil {
				t.Fatal(err)
			}
		}
		s.SetSnapshot(snaps[i].data, snaps[i].n)
		restored, err := set.Track(ctx, req, s)
		if err != nil {
			t.Fatal(err)
		}
		replayed, err := set.Track(ctx, req, kpi.LoadOnly{TrackStore: s.Clone()})
		if err != nil {
			t.Fatal(err)
		}
		what := fmt.Sprintf("snapshot of %d batches", snaps[i].n)
		sameResult(t, what, must1[*kpi.Result](t)(restored.Result(ctx, time.Time{})), must1[*kpi.Result](t)(replayed.Result(ctx, time.Time{})))
		if restored.Len() != replayed.Len() {
			t.Fatalf("%s: %d live events, want %d", what, restored.Len(), replayed.Len())
		}
	}
}

// countingSnaps counts the snapshots a tracker writes.
type countingSnaps struct {
	*kpi.SnapStore
	saves int
}

func (c *countingSnaps) SaveSnapshot(ctx context.Context, n int64, write func(w io.Writer) error) error {
	c.saves++
	return c.SnapStore.SaveSnapshot(ctx, n, write)
}

// Snapshot writes nothing when no batch came since the latest snapshot the
// tracker wrote or restored, and writes again after one.
func TestSnapshotOnlyWhenSomethingChanged(t *testing.T) {
	ctx := context.Background()
	set, req := workloadTracking(t)
	store := &countingSnaps{SnapStore: kpi.NewSnapStore()}
	tr, err := set.Track(ctx, req, store)
	if err != nil {
		t.Fatal(err)
	}
	ev := kpi.Event{ID: "1", Kind: "call", Time: time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC), Actor: "u1"}
	snapshot := func(tr *kpi.Tracker, want int) {
		t.Helper()
		if err := tr.Snapshot(ctx); err != nil {
			t.Fatal(err)
		}
		if store.saves != want {
			t.Fatalf("%d snapshots written, want %d", store.saves, want)
		}
	}
	snapshot(tr, 1) // none yet: an empty tracker's
	snapshot(tr, 1)
	if err := tr.Apply(ctx, ev); err != nil {
		t.Fatal(err)
	}
	snapshot(tr, 2)
	snapshot(tr, 2)
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := set.Track(ctx, req, store)
	if err != nil {
		t.Fatal(err)
	}
	snapshot(again, 2) // restored from it: nothing new
	ev.ID = "2"
	if err := again.Apply(ctx, ev); err != nil {
		t.Fatal(err)
	}
	snapshot(again, 3)
	if _, n := store.Snapshot(); n != 2 {
		t.Fatalf("the latest snapshot covers %d batches, want 2", n)
	}
}
