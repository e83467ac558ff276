package serve

import "sync"

// changes broadcasts "something changed" (an applied batch, a tick, a
// close) to any number of waiters: each waits on the channel of the moment,
// which is closed at the next change and replaced.
type changes struct {
	mu     sync.Mutex
	ch     chan struct{}
	seq    uint64
	closed bool
}

func newChanges() *changes { return &changes{ch: make(chan struct{})} }

// wait returns the channel closed at the next change and the number of
// changes so far.
func (c *changes) wait() (<-chan struct{}, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ch, c.seq
}

// notify wakes every waiter.
func (c *changes) notify() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.seq++
	close(c.ch)
	c.ch = make(chan struct{})
}

// close wakes every waiter a last time; the channel of later waits is
// closed already, so they return at once.
func (c *changes) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.closed = true
	c.seq++
	close(c.ch)
}

// current returns the number of changes so far.
func (c *changes) current() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seq
}
