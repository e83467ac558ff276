package enginetest

import (
	"sync"
	"sync/atomic"
)

// ReadLoop calls read in a loop on each of n goroutines until stop is
// called: the readers of a tracker's tests of reads during applies. stop
// returns the first error a read returned (which ends that goroutine's
// loop); it may be called again (from a deferred call or t.Cleanup as
// well), and returns the same.
func ReadLoop(n int, read func() error) (stop func() error) {
	quit := make(chan struct{})
	var wg sync.WaitGroup
	var first atomic.Pointer[error]
	for range n {
		wg.Go(func() {
			for {
				select {
				case <-quit:
					return
				default:
				}
				if err := read(); err != nil {
					first.CompareAndSwap(nil, &err)
					return
				}
			}
		})
	}
	return sync.OnceValue(func() error {
		close(quit)
		wg.Wait()
		if p := first.Load(); p != nil {
			return *p
		}
		return nil
	})
}
