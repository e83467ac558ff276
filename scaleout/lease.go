package scaleout

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// Leases lends partitions to workers for a while, so that the partitions
// of a worker that died lapse and other workers take them. A lease is held
// by one holder at a time; a holder that stops keeping it loses it.
type Leases interface {
	// Take lends partition p to holder unless another holder has it; ok
	// reports whether holder has it now.
	Take(ctx context.Context, p int, holder string) (ok bool, err error)
	// Keep renews holder's lease of p. It returns an error matching
	// ErrLeaseLost once the lease lapsed or another holder took it.
	Keep(ctx context.Context, p int, holder string) error
	// Give ends holder's lease of p, if holder has it.
	Give(ctx context.Context, p int, holder string) error
}

// ErrLeaseLost is matched by the error of Leases.Keep for a lease the
// holder no longer has.
var ErrLeaseLost = errors.New("lease lost")

// ErrFenced is matched by the error of a partition store's Commit that
// another writer committed to since the store was loaded, or of its Load
// that another writer pruned while it was read (the NATS tenant's stores
// are fenced so). A worker with leases loads the store again and goes on
// while it keeps the partition's lease: the other writer was the previous
// holder, which had not noticed yet that it lost it (in a start made
// within Worker.StoreWait of taking the lease: in a later one, the other
// writer is one outside the leases, and the worker stops, naming the
// partition).
var ErrFenced = errors.New("another writer committed to the partition's store")

// instance tells this process's workers from those of other processes
// that have the same holder name.
var instance = rand.Text()[:8]

// LeaseHolder is the holder w takes its leases as: Holder and a token of
// this worker, so that two workers started with one name (two processes,
// or two workers of one) do not both hold a lease; with one name alone each
// took every lease the other had, both ran each partition, and they
// churned. A worker restarted in a new process has a new token: it takes
// the leases of the one before once they lapse, or at once when it gave
// them back.
func (w *Worker) LeaseHolder() string {
	return fmt.Sprintf("%s#%s-%p", w.Holder, instance, w)
}

// runLeased runs the partitions of w.Partitions whose leases it takes as
// w.LeaseHolder, keeping them every w.LeaseEvery and taking free ones, until ctx
// is done or a partition fails.
func (w *Worker) runLeased(ctx context.Context) error {
	if w.Drain {
		return errors.New("a worker with leases does not drain: give it a static assignment")
	}
	if w.Holder == "" {
		return errors.New("a worker with leases needs a holder name")
	}
	holder := w.LeaseHolder()
	every := w.LeaseEvery
	if every <= 0 {
		every = time.Second
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type running struct {
		cancel context.CancelFunc
		done   chan struct{}
		lost   bool // its lease was lost: it is stopping
	}
	held := map[int]*running{}
	wait := w.StoreWait
	if wait <= 0 {
		wait = time.Minute
	}
	var mu sync.Mutex
	var failed error
	// took holds when the worker took the lease of each partition it
	// holds (and has held since). A start of the partition its store
	// refuses (kpi.ErrStoreInUse, ErrFenced), made wait or more after
	// that, shows a writer that held or committed to the store after the
	// previous holder had stopped: one outside these leases. Counted
	// from the lease, not from the first refusal, so that a partition
	// written seldom, whose every run waits longer than wait for a record
	// before its commit is fenced, is told too.
	took := map[int]time.Time{}
	defer func() {
		for p, r := range held {
			r.cancel()
			<-r.done
			if !r.lost {
				_ = w.Leases.Give(context.WithoutCancel(ctx), p, holder)
			}
		}
	}()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if ctx.Err() != nil {
			// Stopped: the select below may have taken the tick instead,
			// and a round would take leases again and open their stores.
			return nil
		}
		for p, r := range held {
			select {
			case <-r.done:
				// It failed (failed says why), stopped after its lease was
				// lost, or found its store still held by the partition's
				// previous holder (then its lease is kept, and it is taken
				// again below).
				delete(held, p)
			default:
			}
			if r.lost {
				continue // not taken again until it has stopped
			}
			if err := w.Leases.Keep(ctx, p, holder); err != nil {
				// It stops on its own: waiting for it here would keep no
				// other lease meanwhile, and a slow stop would let them
				// lapse too.
				r.cancel()
				delete(took, p)
				r.lost = true
				if !errors.Is(err, ErrLeaseLost) && ctx.Err() == nil {
					return fmt.Errorf("partition %d: keep lease: %w", p, err)
				}
			}
		}
		mu.Lock()
		err := failed
		mu.Unlock()
		if err != nil {
			return err
		}
		for _, p := range w.Partitions {
			if held[p] != nil || (w.MaxPartitions > 0 && len(held) >= w.MaxPartitions) {
				continue
			}
			ok, err := w.Leases.Take(ctx, p, holder)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return fmt.Errorf("partition %d: take lease: %w", p, err)
			}
			if !ok {
				continue
			}
			since, kept := took[p]
			if !kept {
				since = time.Now()
				took[p] = since
			}
			pctx, pcancel := context.WithCancel(ctx)
			r := &running{cancel: pcancel, done: make(chan struct{})}
			held[p] = r
			go func() {
				defer close(r.done)
				start := time.Now()
				err := w.partition(pctx, p)
				mu.Lock()
				defer mu.Unlock()
				if err == nil || pctx.Err() != nil {
					return
				}
				if !errors.Is(err, kpi.ErrStoreInUse) && !errors.Is(err, ErrFenced) {
					failed = errors.Join(failed, fmt.Errorf("partition %d: %w", p, err))
					return
				}
				// A store still in use, or one the previous holder committed
				// to since it was loaded, is one whose previous holder lost
				// the lease and has not stopped yet: the partition is started
				// again at the next round, as long as the lease is kept. A
				// store that refuses a start made wait or more after the
				// lease was taken is held or written by a writer outside
				// these leases, which would go on for ever.
				if start.Sub(since) >= wait {
					failed = errors.Join(failed, fmt.Errorf("partition %d: its store still refused it %v or more after this worker took the partition's lease (%w): another writer holds it or commits to it outside these leases (a worker on a static share of the partitions, or one given other leases); stop that writer, or give every worker of the partition the same leases",
						p, wait, err))
				}
			}()
		}
		// A partition not held now (its lease not taken again, or
		// MaxPartitions reached) counts from its next take.
		for p := range took {
			if held[p] == nil {
				delete(took, p)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// MemoryLeases are Leases in memory that lapse after TTL without Keep. It
// is safe for concurrent use.
type MemoryLeases struct {
	// TTL is how long a lease lasts without Keep (0 or less: 10
	// seconds, as a NATS tenant's by default).
	TTL time.Duration
	mu  sync.Mutex
	m   map[int]memLease
}

type memLease struct {
	holder string
	until  time.Time
}

func (l *MemoryLeases) ttl() time.Duration {
	if l.TTL <= 0 {
		return 10 * time.Second
	}
	return l.TTL
}

// Take implements Leases.
func (l *MemoryLeases) Take(_ context.Context, p int, holder string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = map[int]memLease{}
	}
	if cur, ok := l.m[p]; ok && cur.holder != holder && time.Now().Before(cur.until) {
		return false, nil
	}
	l.m[p] = memLease{holder: holder, until: time.Now().Add(l.ttl())}
	return true, nil
}

// Keep implements Leases.
func (l *MemoryLeases) Keep(_ context.Context, p int, holder string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	cur, ok := l.m[p]
	if !ok || cur.holder != holder || !time.Now().Before(cur.until) {
		return fmt.Errorf("partition %d: %w", p, ErrLeaseLost)
	}
	l.m[p] = memLease{holder: holder, until: time.Now().Add(l.ttl())}
	return nil
}

// Give implements Leases.
func (l *MemoryLeases) Give(_ context.Context, p int, holder string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if cur, ok := l.m[p]; ok && cur.holder == holder {
		delete(l.m, p)
	}
	return nil
}
