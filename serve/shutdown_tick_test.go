package serve

import (
	"context"
	"net"
	"sync/atomic"
	"testing"
	"time"
)

// Shutdown stops the tick loop and waits for a tick under way before it
// returns (and before its final snapshot), so the command's closing of the
// tracker never runs beside a tick. Under -race, the plain write of the
// late tick and the read after ListenAndServe race unless shutdown waited.
func TestShutdownWaitsForTick(t *testing.T) {
	var armed, finished atomic.Bool
	started := make(chan struct{})
	late := 0 // written by the tick under way, read after shutdown
	f := newFixture(t, func(c *Config) {
		c.TickEvery = time.Second
		c.Now = func() time.Time {
			if armed.CompareAndSwap(true, false) {
				close(started)
				time.Sleep(100 * time.Millisecond)
				late = 1
				finished.Store(true)
			}
			return testNow
		}
	})
	_, cancel, done := f.listen(t)
	armed.Store(true)
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("no tick started")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !finished.Load() || late != 1 {
		t.Fatal("ListenAndServe returned while a tick was under way")
	}
}

// listen serves the fixture on a port of the loopback until cancel: base is
// its address, done has what ListenAndServe returned.
func (f *fixture) listen(t *testing.T) (base string, cancel context.CancelFunc, done <-chan error) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- ListenAndServe(ctx, l, f.srv) }()
	return "http://" + l.Addr().String(), cancel, errc
}
