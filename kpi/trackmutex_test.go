package kpi

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestTrackMutexExcludes runs writers and readers at once: a writer never
// holds the lock with anyone else, readers hold it together.
func TestTrackMutexExcludes(t *testing.T) {
	var m trackMutex
	var writers, readers, maxReaders atomic.Int32
	var counter int // written by writers, read by readers: -race checks the lock orders them
	var wg sync.WaitGroup
	const rounds = 2000
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				if w == 0 && i%2 == 0 {
					if !m.TryLock() {
						m.Lock()
					}
				} else {
					m.Lock()
				}
				if writers.Add(1) != 1 || readers.Load() != 0 {
					t.Error("a writer holds the lock with someone else")
				}
				counter++
				writers.Add(-1)
				m.Unlock()
			}
		}()
	}
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				m.RLock()
				n := readers.Add(1)
				for {
					old := maxReaders.Load()
					if n <= old || maxReaders.CompareAndSwap(old, n) {
						break
					}
				}
				if writers.Load() != 0 {
					t.Error("a reader holds the lock with a writer")
				}
				_ = counter
				readers.Add(-1)
				m.RUnlock()
			}
		}()
	}
	wg.Wait()
	if counter != 3*rounds {
		t.Fatalf("counter %d, want %d", counter, 3*rounds)
	}
	if m.state.Load() != 0 || m.sleepers.Load() != 0 {
		t.Fatalf("state %d, sleepers %d after every release", m.state.Load(), m.sleepers.Load())
	}
}

// TestTrackMutexWriterWaits checks that a waiting writer holds up readers
// that come after it, and that TryLock fails while anyone holds the lock.
func TestTrackMutexWriterWaits(t *testing.T) {
	var m trackMutex
	m.RLock()
	if m.TryLock() {
		t.Fatal("TryLock took the lock from a reader")
	}
	locked := make(chan struct{})
	go func() {
		m.Lock()
		close(locked)
	}()
	for m.state.Load()&lockWaiting == 0 {
		time.Sleep(time.Millisecond)
	}
	read, released := make(chan struct{}), make(chan struct{})
	go func() {
		m.RLock()
		close(read)
		m.RUnlock()
		close(released)
	}()
	select {
	case <-read:
		t.Fatal("a reader took the lock while a writer waited for it")
	case <-locked:
		t.Fatal("the writer took the lock from a reader")
	case <-time.After(20 * time.Millisecond):
	}
	m.RUnlock()
	<-locked
	select {
	case <-read:
		t.Fatal("a reader took the lock from the writer")
	case <-time.After(10 * time.Millisecond):
	}
	if m.TryLock() {
		t.Fatal("TryLock took the lock from the writer")
	}
	m.Unlock()
	<-read
	<-released // TryLock then finds the lock free
	if !m.TryLock() {
		t.Fatal("TryLock failed on a free lock")
	}
	m.Unlock()
}

func TestTrackMutexMisuse(t *testing.T) {
	for name, f := range map[string]func(m *trackMutex){
		"unlock":  func(m *trackMutex) { m.Unlock() },
		"runlock": func(m *trackMutex) { m.RUnlock() },
		"runlock of the writer's": func(m *trackMutex) {
			m.Lock()
			m.RUnlock()
		},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f(&trackMutex{})
		})
	}
}

// BenchmarkTrackMutex takes and releases the write lock as a tracker's
// Apply does (TryLock, then Unlock), with trackMutex and sync.RWMutex.
func BenchmarkTrackMutex(b *testing.B) {
	b.Run("trackMutex", func(b *testing.B) {
		var m trackMutex
		for b.Loop() {
			if !m.TryLock() {
				m.Lock()
			}
			m.Unlock()
		}
	})
	b.Run("sync.RWMutex", func(b *testing.B) {
		var m sync.RWMutex
		for b.Loop() {
			if !m.TryLock() {
				m.Lock()
			}
			m.Unlock()
		}
	})
}
