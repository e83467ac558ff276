package nats_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
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
	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// The plan of the tests: every aggregate that merges, a ratio, and a team.
const planYAML = scaleouttest.PlanYAML

var (
	asOf = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	team = scaleouttest.Team
)

// workload returns n events of the standard workload with corrections and
// retractions among them, as versions in order.
func workload(t testing.TB, n int) []kpi.Event {
	t.Helper()
	out, err := goalkittest.Workload{N: n, Seed: 7, CorrectedPerMille: 100, RetractedPerMille: 50}.Events()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameAsBatch fails unless the merged report of the tenant equals
// Plan.Evaluate over the final events.
func sameAsBatch(t *testing.T, plan *goalkit.Plan, tn *gknats.Tenant, finalEvents []kpi.Event) {
	t.Helper()
	teamRow(t, plan, scaleouttest.SameAsBatch(t, plan, tn.Source(), finalEvents, asOf, team))
}

// eventuallySame is sameAsBatch for workers that do not drain: it waits
// until the merged report catches up first.
func eventuallySame(t *testing.T, plan *goalkit.Plan, tn *gknats.Tenant, finalEvents []kpi.Event) {
	t.Helper()
	teamRow(t, plan, scaleouttest.EventuallySameAsBatch(t, plan, tn.Source(), finalEvents, asOf, 30*time.Second, team))
}

// teamRow fails unless the report holds the team, and something in it.
func teamRow(t *testing.T, plan *goalkit.Plan, rep *goalkit.Report) {
	t.Helper()
	if v, ok := rep.Values.Value("won_sum", "team", plan.Periods()[0]); !ok || !v.Valid {
		t.Fatalf("team row: %v %v", v, ok)
	}
}

type env struct {
	js       jetstream.JetStream
	replicas int
}

func connect(t testing.TB, c *natstest.Cluster) *env {
	nc, err := natsgo.Connect(c.URL(), natsgo.MaxReconnects(-1), natsgo.ReconnectWait(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return connectConn(t, nc, len(c.Servers))
}

func connectConn(t testing.TB, nc *natsgo.Conn, replicas int) *env {
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return &env{js: js, replicas: replicas}
}

func (e *env) tenant(t testing.TB, name string, partitions int) *gknats.Tenant {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tn, err := gknats.Create(ctx, e.js, gknats.Config{Tenant: name, Partitions: partitions, Replicas: e.replicas})
	if err != nil {
		t.Fatal(err)
	}
	return tn
}

// streamInfo returns the information of a stream.
func (e *env) streamInfo(t testing.TB, name string) *jetstream.StreamInfo {
	t.Helper()
	ctx := context.Background()
	s, err := e.js.Stream(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

// cluster3 starts a 3-node cluster, skipped in short mode, and returns it,
// a connection to it that replicates 3 ways, and the plan of the tests.
func cluster3(t *testing.T) (*natstest.Cluster, *env, *goalkit.Plan) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a 3-node cluster")
	}
	c := natstest.Start(t, 3)
	return c, connect(t, c), goalkittest.CompilePlan(t, planYAML)
}

func worker(plan *goalkit.Plan, tn *gknats.Tenant, a scaleout.Assignment, drain bool) *scaleout.Worker {
	return &scaleout.Worker{Plan: plan, Options: []goalkit.EvalOption{team}, Log: tn, Store: tn.Store, Parts: tn.Parts(),
		Partitions: a.Owned(tn.Partitions()), Batch: 200, Drain: drain}
}

func drain(t *testing.T, plan *goalkit.Plan, tn *gknats.Tenant, asg ...scaleout.Assignment) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, len(asg))
	for i, a := range asg {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			errs[i] = worker(plan, tn, a, true).Run(ctx)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

func publish(t *testing.T, tn *gknats.Tenant, batch string, events []kpi.Event) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// A publish that fails (a server went away) is retried whole: the
	// server drops the records it already has, and the versions keep the
	// order of their stamps.
	recs, err := scaleout.Records(batch, time.Now(), events, tn.Partitions())
	if err != nil {
		t.Fatal(err)
	}
	for {
		err := tn.Append(ctx, recs)
		if err == nil {
			return
		}
		if ctx.Err() != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func all(n int) []scaleout.Assignment {
	var out []scaleout.Assignment
	for i := range n {
		out = append(out, scaleout.Assignment{I: i, N: n})
	}
	return out
}

// TestCluster runs the scale-out on a 3-node JetStream cluster with
// streams and buckets replicated 3 ways. Each subtest has a tenant of its
// own; the last one kills a node.
func TestCluster(t *testing.T) {
	c, e, plan := cluster3(t)
	ctx := context.Background()

	t.Run("replicated 3 ways", func(t *testing.T) {
		tn := e.tenant(t, "replicas", 3)
		for _, name := range []string{"GOALKIT_replicas_EVENTS", "GOALKIT_replicas_STATE", "KV_goalkit_replicas_parts", "KV_goalkit_replicas_ledger", "KV_goalkit_replicas_leases"} {
			if info := e.streamInfo(t, name); info.Config.Replicas != 3 || info.Cluster == nil || len(info.Cluster.Replicas) != 2 {
				t.Fatalf("%s: replicas %d, cluster %+v", name, info.Config.Replicas, info.Cluster)
			}
		}
		if tn.Partitions() != 3 {
			t.Fatalf("partitions = %d", tn.Partitions())
		}
		if _, err := gknats.Create(ctx, e.js, gknats.Config{Tenant: "replicas", Partitions: 4}); err == nil || err.Error() != "tenant replicas has 3 partitions, not 4" {
			t.Fatalf("changing the partitions: %v", err)
		}
	})

	t.Run("kill a worker mid-stream and restart it", func(t *testing.T) {
		tn := e.tenant(t, "restart", 3)
		events := workload(t, 3000)
		publish(t, tn, "all", events)
		// The worker is killed (its context cancelled) as its fifth commit
		// returns, whatever else it has under way.
		wctx, cancel := context.WithCancel(ctx)
		var commits atomic.Int32
		w := worker(plan, tn, scaleout.Assignment{I: 0, N: 1}, false)
		w.Batch = 50
		w.Store = func(ctx context.Context, p int) (kpi.TrackStore, error) {
			s, err := tn.Store(ctx, p)
			return scaleouttest.KillAfter{TrackStore: s, N: &commits, At: 5, Kill: cancel}, err
		}
		if err := w.Run(wctx); err != nil {
			t.Fatal(err)
		}
		if n := e.streamInfo(t, "GOALKIT_restart_STATE").State.Msgs; n < 5 || n >= uint64(len(events)/50) {
			t.Fatalf("the worker committed %d batches before it was killed", n)
		}
		drain(t, plan, tn, scaleout.Assignment{I: 0, N: 1})
		sameAsBatch(t, plan, tn, goalkittest.Final(events))
	})

	t.Run("publish every event twice", func(t *testing.T) {
		tn := e.tenant(t, "twice", 4)
		events := workload(t, 2000)
		publish(t, tn, "all", events)
		publish(t, tn, "all", events) // a retry: the server drops it
		if n := e.streamInfo(t, "GOALKIT_twice_EVENTS").State.Msgs; n != uint64(len(events)) {
			t.Fatalf("the stream holds %d messages for %d versions", n, len(events))
		}
		// Every version again, under another name, after a first drain: a
		// redelivery of the whole history leaves the same final events.
		drain(t, plan, tn, all(2)...)
		publish(t, tn, "again", events)
		drain(t, plan, tn, all(2)...)
		sameAsBatch(t, plan, tn, goalkittest.Final(events))
	})

	t.Run("corrections and retractions before the originals", func(t *testing.T) {
		tn := e.tenant(t, "early", 3)
		events := workload(t, 2000)
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range events {
			events[i].Known = base.Add(time.Duration(i) * time.Second)
		}
		// Delivered newest first: every correction and retraction comes
		// before the version it replaces.
		delivered := slices.Clone(events)
		slices.Reverse(delivered)
		var early int
		seen := map[string]bool{}
		for _, e := range delivered {
			if seen[e.ID] {
				early++
			}
			seen[e.ID] = true
		}
		if early < 100 {
			t.Fatalf("only %d versions come after their replacements", early)
		}
		publish(t, tn, "reversed", delivered)
		drain(t, plan, tn, all(3)...)
		sameAsBatch(t, plan, tn, goalkittest.Final(events))
	})

	t.Run("move a partition between workers", func(t *testing.T) {
		tn := e.tenant(t, "move", 4)
		events := workload(t, 3000)
		third := len(events) / 3
		publish(t, tn, "1", events[:third])
		drain(t, plan, tn, scaleout.Assignment{I: 0, N: 1}) // one worker owns every partition
		publish(t, tn, "2", events[third:2*third])
		drain(t, plan, tn, all(2)...) // two share them
		publish(t, tn, "3", events[2*third:])
		drain(t, plan, tn, all(3)...) // three share them
		sameAsBatch(t, plan, tn, goalkittest.Final(events))

		// Two writers of one partition: the second to commit is fenced.
		s1, _ := tn.Store(ctx, 0)
		s2, _ := tn.Store(ctx, 0)
		for _, s := range []kpi.TrackStore{s1, s2} {
			if err := s.Load(ctx, func(*kpi.TrackBatch) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}
		if err := s1.Commit(ctx, &kpi.TrackBatch{}); err != nil {
			t.Fatal(err)
		}
		if err := s2.Commit(ctx, &kpi.TrackBatch{}); !errors.Is(err, gknats.ErrFenced) {
			t.Fatalf("second writer: %v, want ErrFenced", err)
		}
	})

	t.Run("tenants are apart", func(t *testing.T) {
		a := e.tenant(t, "acme", 2)
		b := e.tenant(t, "globex", 2)
		events := workload(t, 500)
		publish(t, a, "all", events)
		drain(t, plan, a, all(1)...)
		drain(t, plan, b, all(1)...)
		sameAsBatch(t, plan, a, goalkittest.Final(events))
		sameAsBatch(t, plan, b, nil)
	})

	t.Run("notifications once across notifiers", func(t *testing.T) {
		tn := e.tenant(t, "notify", 2)
		gplan := goalkittest.CompilePlan(t, goalPlan)
		var events []kpi.Event
		for i := range 30 {
			events = append(events, kpi.Event{ID: fmt.Sprint("l", i), Kind: "lead.created", Actor: []string{"anna", "boris"}[i%2],
				Time: time.Date(2025, 3, 1+i%20, 10, 0, 0, 0, time.UTC)})
		}
		publish(t, tn, "leads", events)
		at := time.Date(2025, 3, 25, 0, 0, 0, 0, time.UTC)
		var mu sync.Mutex
		var emitted []string
		var wg sync.WaitGroup
		errs := make([]error, 3)
		for i := range 3 {
			wg.Go(func() {
				ns, err := scaleout.Notify(ctx, gplan, tn.Source(), tn.Ledger(), at)
				errs[i] = err
				mu.Lock()
				defer mu.Unlock()
				for _, n := range ns {
					emitted = append(emitted, n.Key)
				}
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		want := expectedNotifications(t, gplan, events, at)
		slices.Sort(emitted)
		if len(want) == 0 || !slices.Equal(emitted, want) {
			t.Fatalf("emitted %v, want each of %v once", emitted, want)
		}
		// A restarted notifier emits nothing again.
		ns, err := scaleout.Notify(ctx, gplan, tn.Source(), tn.Ledger(), at)
		if err != nil || len(ns) != 0 {
			t.Fatalf("again: %v %v", ns, err)
		}
		// A notifier whose clock is behind, as of the first of March
		// (before the leads that reached the goals), takes nothing back:
		// the ledger tells when each achievement was told.
		if ns, err := scaleout.Notify(ctx, gplan, tn.Source(), tn.Ledger(), time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)); err != nil || len(ns) != 0 {
			t.Fatalf("as of an earlier instant: %v %v", ns, err)
		}
		// Six of anna's fifteen leads retracted leave her nine of ten: the
		// achievement the ledger holds is revoked, once, as a live
		// tracker revokes it from its own ledger.
		var gone []kpi.Event
		for i := 0; i < 12; i += 2 {
			gone = append(gone, kpi.Event{ID: fmt.Sprint("l", i), Deleted: true})
		}
		publish(t, tn, "retract", gone)
		for round := range 2 {
			ns, err := scaleout.Notify(ctx, gplan, tn.Source(), tn.Ledger(), at.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, n := range ns {
				got = append(got, string(n.Kind)+" "+n.Participant)
			}
			if want := []string{"achievement_revoked anna"}; round == 1 {
				want = nil
				if len(got) != 0 {
					t.Fatalf("after the revocation was recorded: %v, want nothing", got)
				}
			} else if !slices.Equal(got, want) {
				t.Fatalf("after the retraction: %v, want %v", got, want)
			}
		}
	})

	t.Run("leases move a dead worker's partitions", func(t *testing.T) {
		ctx := context.Background()
		tn, err := gknats.Create(ctx, e.js, gknats.Config{Tenant: "leases", Partitions: 3, Replicas: e.replicas, LeaseTTL: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		events := workload(t, 2000)
		half := len(events) / 2
		leased := func(holder string, l scaleout.Leases) *scaleout.Worker {
			w := worker(plan, tn, scaleout.Assignment{I: 0, N: 1}, false)
			w.Leases, w.Holder, w.LeaseEvery = l, holder, 100*time.Millisecond
			return w
		}
		// a takes every lease, then b starts and waits for free ones.
		actx, killA := context.WithCancel(ctx)
		aDone := make(chan error, 1)
		a, b := leased("a", scaleouttest.Crashing{Leases: tn.Leases()}), leased("b", tn.Leases())
		go func() { aDone <- a.Run(actx) }()
		scaleouttest.WaitHeld(t, tn.Leases(), a.LeaseHolder(), 3, 30*time.Second)
		bctx, stopB := context.WithCancel(ctx)
		bDone := make(chan error, 1)
		go func() { bDone <- b.Run(bctx) }()
		defer func() {
			// A merged report that never caught up may be a worker that
			// stopped: say so.
			if t.Failed() {
				select {
				case err := <-bDone:
					t.Logf("b had stopped: %v", err)
				default:
				}
			}
		}()
		publish(t, tn, "1", events[:half])
		eventuallySame(t, plan, tn, goalkittest.Final(events[:half]))
		killA() // it dies without giving its leases back
		if err := <-aDone; err != nil {
			t.Fatal(err)
		}
		publish(t, tn, "2", events[half:])
		eventuallySame(t, plan, tn, goalkittest.Final(events))
		scaleouttest.WaitHeld(t, tn.Leases(), b.LeaseHolder(), 3, 30*time.Second)
		stopB()
		if err := <-bDone; err != nil {
			t.Fatal(err)
		}
	})

	t.Run("kill one NATS node", func(t *testing.T) {
		tn := e.tenant(t, "killnode", 3)
		events := workload(t, 3000)
		half := len(events) / 2
		publish(t, tn, "1", events[:half])
		drain(t, plan, tn, all(3)...)
		c.Kill(0)
		publish(t, tn, "2", events[half:])
		drain(t, plan, tn, all(3)...)
		sameAsBatch(t, plan, tn, goalkittest.Final(events))
	})
}

const goalPlan = `
timezone: UTC
indicators:
  - {id: leads, kinds: [lead.created], aggregate: count}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
goals:
  - id: leads10
    indicator: leads
    target: 10
    period: {from: 2025-03-01, every: month}
    participants: {users: [anna, boris, vera]}
    milestones: [50%, 100%]
    notify:
      - on: milestone_reached
      - on: achieved
`

// expectedNotifications is what one tracker over every event emits.
func expectedNotifications(t *testing.T, plan *goalkit.Plan, events []kpi.Event, at time.Time) []string {
	t.Helper()
	ctx := context.Background()
	tr, err := plan.Track(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if err := tr.Apply(ctx, events...); err != nil {
		t.Fatal(err)
	}
	ns, err := tr.Tick(ctx, at)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, n := range ns {
		keys = append(keys, n.Key)
	}
	slices.Sort(keys)
	return keys
}

// TestTrackStore runs the conformance suite on a partition's store.
func TestTrackStore(t *testing.T) {
	e := connect(t, natstest.Start(t, 1))
	n := 0
	adaptertest.TestTrackStore(t, func() kpi.TrackStore {
		n++
		tn := e.tenant(t, fmt.Sprint("conf", n), 1)
		s, err := tn.Store(context.Background(), 0)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
