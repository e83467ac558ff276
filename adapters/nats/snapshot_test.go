package nats_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/adaptertest"
	gknats "github.com/goalkit/goalkit/adapters/nats"
	"github.com/goalkit/goalkit/adapters/nats/natstest"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
	"github.com/nats-io/nats.go/jetstream"
)

// TestTrackSnapshotter runs the snapshot conformance suite on a
// partition's store, reopened through a new Tenant value too.
func TestTrackSnapshotter(t *testing.T) {
	e := connect(t, natstest.Start(t, 1))
	n := 0
	names := map[kpi.TrackSnapshotter]string{}
	adaptertest.TestTrackSnapshotter(t, func(t testing.TB) kpi.TrackSnapshotter {
		n++
		name := fmt.Sprint("snap", n)
		s := snapStore(t, e.tenant(t, name, 2), 1)
		names[s] = name
		return s
	}, func(t testing.TB, s kpi.TrackSnapshotter) kpi.TrackSnapshotter {
		tn, err := gknats.Open(context.Background(), e.js, names[s])
		if err != nil {
			t.Fatal(err)
		}
		return snapStore(t, tn, 1)
	})
}

func snapStore(t testing.TB, tn *gknats.Tenant, p int) kpi.TrackSnapshotter {
	t.Helper()
	s, err := tn.Store(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	sn, ok := s.(kpi.TrackSnapshotter)
	if !ok {
		t.Fatalf("the partition's store (%T) is not a kpi.TrackSnapshotter", s)
	}
	return sn
}

// rivals connects to a server of its own, and returns the connection, a
// tenant of one partition on it, and two stores of that partition, the
// first of which committed batches 1 and 2.
func rivals(t *testing.T, tenant string) (e *env, tn *gknats.Tenant, a, b kpi.TrackSnapshotter) {
	t.Helper()
	e = connect(t, natstest.Start(t, 1))
	tn = e.tenant(t, tenant, 1)
	a, b = snapStore(t, tn, 0), snapStore(t, tn, 0)
	commit(t, a, batch(1), batch(2))
	return e, tn, a, b
}

// batch returns a batch of one event, its ID i, and the ledger keys given.
func batch(i int, keys ...string) *kpi.TrackBatch {
	b := &kpi.TrackBatch{Events: []kpi.Event{{ID: fmt.Sprint("e", i), Kind: "deal", Time: asOf}}}
	for _, k := range keys {
		b.Ledger = append(b.Ledger, kpi.TrackRecord{Key: k, Data: []byte(k)})
	}
	return b
}

func commit(t *testing.T, s kpi.TrackStore, bs ...*kpi.TrackBatch) {
	t.Helper()
	for _, b := range bs {
		if err := s.Commit(context.Background(), b); err != nil {
			t.Fatalf("commit of %s: %v", b.Events[0].ID, err)
		}
	}
}

func snapshot(t *testing.T, s kpi.TrackSnapshotter, n int64, data string) {
	t.Helper()
	if err := s.SaveSnapshot(context.Background(), n, func(w io.Writer) error {
		_, err := io.WriteString(w, data)
		return err
	}); err != nil {
		t.Fatalf("SaveSnapshot(%d): %v", n, err)
	}
}

// ids returns the ID of each batch's event: Load's batches when after is
// negative, else LoadAfter(after)'s.
func ids(t *testing.T, s kpi.TrackSnapshotter, after int64) ([]string, error) {
	t.Helper()
	var out []string
	fn := func(b *kpi.TrackBatch) error {
		out = append(out, b.Events[0].ID)
		return nil
	}
	if after < 0 {
		return out, s.Load(context.Background(), fn)
	}
	return out, s.LoadAfter(context.Background(), after, fn)
}

func wantIDs(t *testing.T, s kpi.TrackSnapshotter, after int64, want ...string) {
	t.Helper()
	got, err := ids(t, s, after)
	if err != nil {
		t.Fatalf("load after %d: %v", after, err)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("load after %d: batches %v, want %v", after, got, want)
	}
}

// subjectMsgs returns how many messages the state stream holds for
// partition p of tenant.
func subjectMsgs(t *testing.T, js jetstream.JetStream, tenant string, p int) uint64 {
	t.Helper()
	s, err := js.Stream(context.Background(), "GOALKIT_"+tenant+"_STATE")
	if err != nil {
		t.Fatal(err)
	}
	subject := fmt.Sprintf("goalkit.%s.state.%d", tenant, p)
	info, err := s.Info(context.Background(), jetstream.WithSubjectFilter(subject))
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Subjects[subject]
}

// TestPrune checks that Prune removes the batches the snapshot covers
// from the stream, that the batches left keep their numbers across a
// restart, that pruned ledger keys are still refused, and that an n below
// the pruned batches is refused.
func TestPrune(t *testing.T) {
	ctx := context.Background()
	e := connect(t, natstest.Start(t, 1))
	tn := e.tenant(t, "prune", 2)
	s := snapStore(t, tn, 1)
	other := snapStore(t, tn, 0)
	commit(t, other, batch(100))

	if n, err := tn.Prune(ctx, 1); n != 0 || err != nil {
		t.Fatalf("Prune without a snapshot: %d, %v; want 0, nil", n, err)
	}
	commit(t, s, batch(1), batch(2, "k2"), batch(3))
	commit(t, other, batch(101))
	commit(t, s, batch(4), batch(5, "k5"))
	snapshot(t, s, 3, "three")
	if got := subjectMsgs(t, e.js, "prune", 1); got != 5 {
		t.Fatalf("before the prune: %d messages, want 5", got)
	}
	if n, err := tn.Prune(ctx, 1); n != 3 || err != nil {
		t.Fatalf("Prune: %d, %v; want 3, nil", n, err)
	}
	if got := subjectMsgs(t, e.js, "prune", 1); got != 2 {
		t.Fatalf("after the prune: %d messages, want 2", got)
	}
	if n, err := tn.Prune(ctx, 1); n != 0 || err != nil {
		t.Fatalf("a second Prune: %d, %v; want 0, nil", n, err)
	}
	// The other partition is untouched.
	wantIDs(t, snapStore(t, tn, 0), -1, "e100", "e101")

	check := func(s kpi.TrackSnapshotter) {
		t.Helper()
		wantIDs(t, s, -1, "e4", "e5")
		wantIDs(t, s, 3, "e4", "e5")
		wantIDs(t, s, 4, "e5")
		wantIDs(t, s, 5)
		for _, n := range []int64{0, 2, 6} {
			if got, err := ids(t, s, n); err == nil {
				t.Fatalf("LoadAfter(%d) after 3 batches were pruned of 5: %v, want an error", n, got)
			}
		}
		if err := s.SaveSnapshot(ctx, 2, func(io.Writer) error { return nil }); err == nil || !strings.Contains(err.Error(), "pruned") {
			t.Fatalf("SaveSnapshot(2) after 3 were pruned: %v, want an error that says so", err)
		}
	}
	check(s)
	reopened, err := gknats.Open(ctx, e.js, "prune")
	if err != nil {
		t.Fatal(err)
	}
	check(snapStore(t, reopened, 1))

	// A pruned ledger key is refused: by the store that committed it, by
	// a new one loaded with Load, and by one loaded with LoadAfter.
	for i, load := range []int64{-2, -1, 3} {
		s := s
		if load > -2 {
			s = snapStore(t, reopened, 1)
			if _, err := ids(t, s, load); err != nil {
				t.Fatal(err)
			}
		}
		err := s.Commit(ctx, batch(50+i, "k2"))
		if !errors.Is(err, kpi.ErrDuplicateKey) {
			t.Fatalf("commit of a pruned ledger key (%d): %v, want an error matching ErrDuplicateKey", i, err)
		}
	}

	// A store that only read after the snapshot numbers on from there.
	s = snapStore(t, reopened, 1)
	wantIDs(t, s, 3, "e4", "e5")
	commit(t, s, batch(6, "k6"))
	snapshot(t, s, 6, "six")
	wantIDs(t, s, 5, "e6")
	// The snapshot covers every batch: the last stays in the stream, so
	// that commits stay fenced on it, but it counts as pruned.
	if n, err := tn.Prune(ctx, 1); n != 3 || err != nil {
		t.Fatalf("Prune of every batch: %d, %v; want 3, nil", n, err)
	}
	if got := subjectMsgs(t, e.js, "prune", 1); got != 1 {
		t.Fatalf("after a prune of every batch: %d messages, want 1", got)
	}
	wantIDs(t, s, -1)
	wantIDs(t, s, 6)
	commit(t, s, batch(7))
	s = snapStore(t, reopened, 1)
	wantIDs(t, s, -1, "e7")
	wantIDs(t, s, 6, "e7")
	for _, k := range []string{"k2", "k5", "k6"} {
		if err := s.Commit(ctx, batch(60, k)); !errors.Is(err, kpi.ErrDuplicateKey) {
			t.Fatalf("commit of pruned ledger key %s: %v, want an error matching ErrDuplicateKey", k, err)
		}
	}
	commit(t, s, batch(8, "k8"))
	wantIDs(t, s, 6, "e7", "e8")
}

// TestFencedAcrossSnapshots checks that of two stores of one partition
// that read it, the second to commit fails, also when the first saved a
// snapshot and pruned every batch in between.
func TestFencedAcrossSnapshots(t *testing.T) {
	ctx := context.Background()
	_, tn, a, b := rivals(t, "fenced")
	for _, s := range []kpi.TrackSnapshotter{a, b} {
		if _, err := ids(t, s, -1); err != nil {
			t.Fatal(err)
		}
	}
	commit(t, a, batch(3))
	snapshot(t, a, 3, "three")
	if n, err := tn.Prune(ctx, 0); n != 3 || err != nil {
		t.Fatalf("Prune: %d, %v; want 3, nil", n, err)
	}
	if err := b.Commit(ctx, batch(4)); !errors.Is(err, gknats.ErrFenced) {
		t.Fatalf("commit of the store that lost the partition: %v, want ErrFenced", err)
	}
	commit(t, a, batch(5))

	// A store that restarts from the snapshot takes the partition over.
	c2 := snapStore(t, tn, 0)
	wantIDs(t, c2, 3, "e5")
	commit(t, c2, batch(6))
	if err := a.Commit(ctx, batch(7)); !errors.Is(err, gknats.ErrFenced) {
		t.Fatalf("commit of the store that lost the partition after a restart: %v, want ErrFenced", err)
	}
	wantIDs(t, snapStore(t, tn, 0), 3, "e5", "e6")
}

// TestTrackerRestart restarts a tracker on a partition's store from a
// snapshot and the batches after it, once the batches the snapshot covers
// were pruned: the restarted tracker reports what a batch evaluation of
// every event reports.
func TestTrackerRestart(t *testing.T) {
	ctx := context.Background()
	e := connect(t, natstest.Start(t, 1))
	tn := e.tenant(t, "restart", 1)
	plan := goalkittest.CompilePlan(t, planYAML)
	versions := workload(t, 3000)
	cut := len(versions) - 250 // the tracker restarts after cut versions
	track := func(tn *gknats.Tenant) *goalkit.Tracker {
		t.Helper()
		s, err := tn.Store(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := plan.Track(ctx, s, team)
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
	apply := func(tr *goalkit.Tracker, events []kpi.Event) {
		t.Helper()
		for len(events) > 0 {
			k := min(100, len(events))
			if err := tr.Apply(ctx, events[:k]...); err != nil {
				t.Fatal(err)
			}
			events = events[k:]
		}
	}
	tr := track(tn)
	apply(tr, versions[:2000])
	if err := tr.Indicators().Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	apply(tr, versions[2000:cut])
	batches := uint64(20 + (cut-2000+99)/100)
	before := subjectMsgs(t, e.js, "restart", 0)
	if n, err := tn.Prune(ctx, 0); n != 20 || err != nil {
		t.Fatalf("Prune: %d, %v; want 20, nil", n, err)
	}
	after := subjectMsgs(t, e.js, "restart", 0)
	if before != batches || after != batches-20 {
		t.Fatalf("the stream held %d batches before the prune and %d after; want %d and %d", before, after, batches, batches-20)
	}
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}

	reopened, err := gknats.Open(ctx, e.js, "restart")
	if err != nil {
		t.Fatal(err)
	}
	again := track(reopened)
	sameReport(t, plan, again, goalkittest.Final(versions[:cut]))
	// The tracker goes on: its batches are numbered after the pruned, and
	// a second restart gives the same.
	apply(again, versions[cut:])
	if err := again.Indicators().Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := reopened.Prune(ctx, 0); n != int64(batches-20)+3 || err != nil {
		t.Fatalf("second Prune: %d, %v; want %d, nil", n, err, batches-20+3)
	}
	if err := again.Close(); err != nil {
		t.Fatal(err)
	}
	third := track(reopened)
	defer third.Close()
	sameReport(t, plan, third, goalkittest.Final(versions))
}

// sameReport fails unless the tracker's report equals Plan.Evaluate over
// the final events.
func sameReport(t *testing.T, plan *goalkit.Plan, tr *goalkit.Tracker, finalEvents []kpi.Event) {
	t.Helper()
	ctx := context.Background()
	got, err := tr.Report(ctx, asOf)
	if err != nil {
		t.Fatal(err)
	}
	want, err := plan.Evaluate(ctx, kpi.Events(finalEvents), asOf, team)
	if err != nil {
		t.Fatal(err)
	}
	scaleouttest.SameReport(t, "the restarted tracker's report", got, want)
	// The report holds the team, and something in it.
	if v, ok := got.Values.Value("won_sum", "team", plan.Periods()[0]); !ok || !v.Valid {
		t.Fatalf("team row: %v %v", v, ok)
	}
}

// TestSnapshotsLeaveNothing checks that replaced snapshots, failed ones and
// pruned batches' ledger keys leave nothing in the snapshots bucket: it
// holds the latest snapshot and the pruned keys of each partition, and no
// marker of a removed object.
func TestSnapshotsLeaveNothing(t *testing.T) {
	ctx := context.Background()
	e := connect(t, natstest.Start(t, 1))
	tn := e.tenant(t, "tidy", 2)
	s := snapStore(t, tn, 0)
	commit(t, s, batch(1, "k1"), batch(2))
	boom := errors.New("boom")
	for i := range 5 {
		snapshot(t, s, int64(1+i%2), strings.Repeat("x", 600<<10+i))
		err := s.SaveSnapshot(ctx, 2, func(w io.Writer) error {
			_, _ = io.WriteString(w, strings.Repeat("y", 700<<10))
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("a failed write: %v", err)
		}
		cctx, cancel := context.WithCancel(ctx)
		err = s.SaveSnapshot(cctx, 2, func(w io.Writer) error {
			_, _ = io.WriteString(w, strings.Repeat("z", 600<<10))
			cancel()
			_, _ = io.WriteString(w, strings.Repeat("z", 600<<10))
			return nil
		})
		if err == nil {
			t.Fatal("a snapshot canceled while it was written was saved")
		}
		if i == 2 {
			if n, err := tn.Prune(ctx, 0); n != 1 || err != nil {
				t.Fatalf("Prune: %d, %v", n, err)
			}
		}
	}
	snapshot(t, s, 2, "last")
	if n, err := tn.Prune(ctx, 0); n != 1 || err != nil {
		t.Fatalf("Prune: %d, %v", n, err)
	}
	obs, err := e.js.ObjectStore(ctx, "goalkit_tidy_snapshots")
	if err != nil {
		t.Fatal(err)
	}
	infos, err := obs.List(ctx, jetstream.ListObjectsShowDeleted())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, in := range infos {
		names = append(names, strings.SplitN(in.Name, ".", 3)[1])
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"ledger", "snapshot"}) {
		t.Fatalf("the bucket holds %v, want a ledger and a snapshot", names)
	}
	// Each object: its description and one chunk.
	if n := e.streamInfo(t, "OBJ_goalkit_tidy_snapshots").State.Msgs; n != 4 {
		t.Fatalf("the bucket's stream holds %d messages, want 4", n)
	}
}

// TestCommitDuringSnapshot checks that Commit does not wait for a snapshot
// being written: the snapshot's write waits for a commit made meanwhile.
func TestCommitDuringSnapshot(t *testing.T) {
	ctx := context.Background()
	e := connect(t, natstest.Start(t, 1))
	s := snapStore(t, e.tenant(t, "beside", 1), 0)
	commit(t, s, batch(1))
	committed := make(chan error, 1)
	err := s.SaveSnapshot(ctx, 1, func(w io.Writer) error {
		if _, err := io.WriteString(w, strings.Repeat("a", 1<<20)); err != nil {
			return err
		}
		go func() { committed <- s.Commit(ctx, batch(2, "k2")) }()
		select {
		case err := <-committed:
			if err != nil {
				return err
			}
		case <-time.After(10 * time.Second):
			return errors.New("a commit waited for the snapshot being written")
		}
		_, err := io.WriteString(w, "end")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, s, 1, "e2")
	wantIDs(t, snapStore(t, e.tenant(t, "beside", 1), 0), 1, "e2")
}

// TestTenantWithoutSnapshots checks a tenant created before snapshots
// (no snapshots bucket): its stores work without snapshots, SaveSnapshot
// says what to do, and Create adds the bucket.
func TestTenantWithoutSnapshots(t *testing.T) {
	ctx := context.Background()
	e := connect(t, natstest.Start(t, 1))
	e.tenant(t, "older", 1)
	if err := e.js.DeleteObjectStore(ctx, "goalkit_older_snapshots"); err != nil {
		t.Fatal(err)
	}
	tn, err := gknats.Open(ctx, e.js, "older")
	if err != nil {
		t.Fatal(err)
	}
	s := snapStore(t, tn, 0)
	commit(t, s, batch(1), batch(2, "k2"))
	found, err := s.LoadSnapshot(ctx, func(int64, io.Reader) error { return nil })
	if found || err != nil {
		t.Fatalf("LoadSnapshot without a bucket: %v, %v; want false, nil", found, err)
	}
	err = s.SaveSnapshot(ctx, 2, func(w io.Writer) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "call Create") {
		t.Fatalf("SaveSnapshot without a bucket: %v, want an error that says to call Create", err)
	}
	if n, err := tn.Prune(ctx, 0); n != 0 || err != nil {
		t.Fatalf("Prune without a bucket: %d, %v; want 0, nil", n, err)
	}
	wantIDs(t, s, 1, "e2")
	tn = e.tenant(t, "older", 1)
	s = snapStore(t, tn, 0)
	snapshot(t, s, 2, "two")
	if n, err := tn.Prune(ctx, 0); n != 2 || err != nil {
		t.Fatalf("Prune once Create added the bucket: %d, %v; want 2, nil", n, err)
	}
	wantIDs(t, s, 2)
	if err := s.Commit(ctx, batch(3, "k2")); !errors.Is(err, kpi.ErrDuplicateKey) {
		t.Fatalf("commit of a pruned ledger key: %v, want an error matching ErrDuplicateKey", err)
	}
}

// TestConcurrentSnapshots saves snapshots of one partition from two stores
// at once: each is saved, the latest is whole, and the bucket keeps it
// alone.
func TestConcurrentSnapshots(t *testing.T) {
	ctx := context.Background()
	e, _, a, b := rivals(t, "both")
	data := map[int64]string{1: strings.Repeat("1", 300<<10), 2: strings.Repeat("2", 700<<10)}
	for range 5 {
		errs := make(chan error, 2)
		for n, s := range map[int64]kpi.TrackSnapshotter{1: a, 2: b} {
			go func() {
				errs <- s.SaveSnapshot(ctx, n, func(w io.Writer) error {
					_, err := io.WriteString(w, data[n])
					return err
				})
			}()
		}
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		found, err := a.LoadSnapshot(ctx, func(n int64, r io.Reader) error {
			got, err := io.ReadAll(r)
			if err == nil && string(got) != data[n] {
				err = fmt.Errorf("the snapshot of %d batches holds %d bytes that are not the %d saved", n, len(got), len(data[n]))
			}
			return err
		})
		if !found || err != nil {
			t.Fatalf("LoadSnapshot: %v, %v", found, err)
		}
	}
	obs, err := e.js.ObjectStore(ctx, "goalkit_both_snapshots")
	if err != nil {
		t.Fatal(err)
	}
	infos, err := obs.List(ctx, jetstream.ListObjectsShowDeleted())
	if err != nil || len(infos) != 1 {
		t.Fatalf("the bucket holds %d objects (%v), want 1", len(infos), err)
	}
}

// A store loaded while the batches it reads are pruned (by the previous
// holder of a lease that lapsed, which has not noticed yet) fails with an
// error that says to load again and matches scaleout.ErrFenced, so that a
// worker with leases loads the partition again rather than stop.
func TestLoadWhilePrunedIsFenced(t *testing.T) {
	ctx := context.Background()
	_, tn, a, b := rivals(t, "loadprune")
	commit(t, a, batch(3), batch(4))
	snapshot(t, a, 3, "three")
	pruned := false
	err := b.Load(ctx, func(*kpi.TrackBatch) error {
		if !pruned {
			pruned = true
			if _, err := tn.Prune(ctx, 0); err != nil {
				return err
			}
		}
		return nil
	})
	if !pruned || !errors.Is(err, scaleout.ErrFenced) || !strings.Contains(err.Error(), "read it again") {
		t.Fatalf("a load under a prune: %v, want an error matching scaleout.ErrFenced that says to read it again", err)
	}
}
