package kpi

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// trackMutex is a reader/writer lock with sync.RWMutex's methods and
// guarantees (any number of readers or one writer; a writer waiting holds
// up readers that come after it), whose writer takes and releases it with
// one atomic operation each instead of sync.RWMutex's two: a tracker takes
// its write lock for every Apply, and live tracking applies one version
// per Apply, some 200 ns each, of which sync.RWMutex took 30.
//
// Its state is one word: whether the writer holds it, whether a writer
// waits, and the readers holding it. Whoever cannot take it sleeps on a
// condition, counted in sleepers; whoever releases it wakes them all when
// there are any (a release is followed by the load of sleepers, a sleeper
// counts itself before it looks at the state: one of the two sees the
// other).
type trackMutex struct {
	state    atomic.Int64
	sleepers atomic.Int32
	mu       sync.Mutex
	cond     sync.Cond // on mu
}

// lockSpins is how many times Lock looks at the lock before it sleeps:
// some tens of microseconds.
const lockSpins = 1 << 13

const (
	lockWriter  = 1      // the writer holds the lock
	lockWaiting = 2      // a writer waits for it: readers wait too
	lockReader  = 1 << 2 // one reader holds it
)

// TryLock takes the write lock if no one holds it and no writer waits, and
// reports whether it did.
func (m *trackMutex) TryLock() bool { return m.state.CompareAndSwap(0, lockWriter) }

// Lock takes the write lock, waiting for the readers and the writer
// holding it. It spins a while before it sleeps: a reader holds the lock
// for a moment (a catch-up's freeze of the table), and a writer that slept
// would wait, once woken, for a processor its readers have taken.
func (m *trackMutex) Lock() {
	if m.TryLock() {
		return
	}
	spins := lockSpins
	if runtime.GOMAXPROCS(0) < 2 {
		spins = 0 // the reader cannot run while the writer spins
	}
	for range spins {
		s := m.state.Load()
		if s&^lockWaiting == 0 {
			if m.state.CompareAndSwap(s, lockWriter) {
				return
			}
			continue
		}
		if s&lockWaiting == 0 {
			m.state.CompareAndSwap(s, s|lockWaiting) // readers that come wait
		}
	}
	m.sleep(func(s int64) (int64, bool) {
		if s&^lockWaiting == 0 {
			return lockWriter, true
		}
		return s | lockWaiting, false
	})
}

// Unlock releases the write lock.
func (m *trackMutex) Unlock() {
	if m.state.Add(-lockWriter)&lockWriter != 0 {
		panic("kpi: unlock of a tracker lock not locked")
	}
	m.wake()
}

// RLock takes a read lock, waiting while a writer holds the lock or waits
// for it.
func (m *trackMutex) RLock() {
	for {
		s := m.state.Load()
		if s&(lockWriter|lockWaiting) != 0 {
			break
		}
		if m.state.CompareAndSwap(s, s+lockReader) {
			return
		}
	}
	m.sleep(func(s int64) (int64, bool) {
		if s&(lockWriter|lockWaiting) == 0 {
			return s + lockReader, true
		}
		return s, false
	})
}

// RUnlock releases a read lock.
func (m *trackMutex) RUnlock() {
	if m.state.Add(-lockReader) < 0 {
		panic("kpi: read unlock of a tracker lock not read-locked")
	}
	m.wake()
}

// sleep waits until step, given the state, returns the state that takes
// the lock and true, and stores that state; a state step returns with
// false is stored (when it differs) before sleeping.
func (m *trackMutex) sleep(step func(s int64) (int64, bool)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cond.L == nil {
		m.cond.L = &m.mu
	}
	m.sleepers.Add(1)
	defer m.sleepers.Add(-1)
	for {
		s := m.state.Load()
		next, took := step(s)
		if next != s && !m.state.CompareAndSwap(s, next) {
			continue
		}
		if took {
			return
		}
		m.cond.Wait()
	}
}

// wake wakes the sleepers after a release.
func (m *trackMutex) wake() {
	if m.sleepers.Load() == 0 {
		return
	}
	m.mu.Lock()
	m.cond.Broadcast()
	m.mu.Unlock()
}
